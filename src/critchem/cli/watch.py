"""``critchem watch``: the detectors on daily or weekly aggregates of the surveillance feed."""

from __future__ import annotations

from pathlib import Path

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render


@handle_errors
def watch(
    freq: str = typer.Option("W", "--freq", help="D (daily) or W (weekly, ISO weeks)."),
    store: Path | None = typer.Option(None, "--store", help="Trade store folder."),
    db: str | None = typer.Option(None, "--db", help="Alert database URL."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Watch the declaration-level surveillance feed, daily or weekly."""
    from critchem.core.settings import Settings
    from critchem.services.feed_monitor import watch_feed

    if freq not in ("D", "W"):
        raise typer.BadParameter(f"--freq {freq!r}: give D or W")
    settings = Settings()
    report = watch_feed(
        store_root=store or settings.store,
        database_url=db or settings.database_url,
        freq="D" if freq == "D" else "W",
    )
    if fmt is not Format.table:
        render(report, fmt)
        return
    render(
        report["alerts"],
        fmt,
        columns=["severity", "title", "events"],
        title=(
            f"Surveillance feed, {'daily' if freq == 'D' else 'weekly'}: {report['series']} "
            f"series, detectors {', '.join(report['detectors'])}"
        ),
    )
