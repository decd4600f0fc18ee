"""``critchem monitor``: scan what changed in the trade store and raise alerts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.progress import Progress

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render
from critchem.core.settings import Settings
from critchem.services.monitor import RECENT_MONTHS, run_monitor


@handle_errors
def monitor(
    full: bool = typer.Option(False, "--full", help="Scan everything, not only new loads."),
    recent: int = typer.Option(RECENT_MONTHS, min=1, help="Months that count as news."),
    store: Path | None = typer.Option(None, "--store", help="Trade store folder."),
    db: str | None = typer.Option(None, "--db", help="Alert database URL."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Run every detector on the series touched by new loads; fuse and store the alerts."""
    settings = Settings()
    with Progress(transient=True, disable=fmt is not Format.table) as bar:

        def start(total: int) -> Callable[[int], None]:
            task = bar.add_task("Scanning series", total=total)
            return lambda n: bar.advance(task, n)

        report = run_monitor(
            store_root=store or settings.store,
            database_url=db or settings.database_url,
            recent=recent,
            full=full,
            progress=start,
        )
    if fmt is Format.json:
        render(report.to_dict(), fmt)
        return
    summary = {k: v for k, v in report.to_dict().items() if k != "alerts"}
    render(summary, fmt, title="Monitor run")
    render(report.alerts, fmt, columns=["severity", "title", "events"], title="Alerts raised")
