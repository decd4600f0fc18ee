"""``critchem bulletin``: the weekly early-warning bulletin (HTML, PDF and JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render
from critchem.services.bulletin import make_bulletin
from critchem.surveillance.base import Severity


@handle_errors
def bulletin(
    week: str | None = typer.Option(
        None, "--week", help="ISO week, e.g. 2025-W48: alerts created or escalated in it (UTC)."
    ),
    period: str | None = typer.Option(
        None, "--period", help="Trade month, e.g. 2025-11: alerts on that month's trade."
    ),
    db: str | None = typer.Option(
        None, "--db", help="Alert database URL (default: the CRITCHEM_DATABASE_URL setting)."
    ),
    out: Path = typer.Option(
        Path("."), "--out", file_okay=False, help="Folder to write the bulletin files into."
    ),
    severity: str = typer.Option(
        "amber", "--min-severity", help="Leave out alerts below this severity: amber or red."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Write the bulletin of one ISO week (new or escalated alerts) or of one trade month."""
    if (week is None) == (period is None):
        raise typer.BadParameter("give --week YYYY-Www or --period YYYY-MM (one of them)")
    if severity not in ("info", "amber", "red"):
        raise typer.BadParameter(f"--min-severity {severity!r}: give info, amber or red")
    result = make_bulletin(
        week,
        period=period,
        database_url=db,
        out_dir=out,
        min_severity=cast(Severity, severity),
    )
    if fmt is not Format.table:
        render(result, fmt)
        return
    render(
        result.model_dump(mode="json", exclude={"items"}),
        fmt,
        title=f"Bulletin {result.week}",
    )
    if result.items:
        render(
            result.items,
            fmt,
            columns=["id", "severity", "change", "severity_before", "subject", "partner", "chart"],
            title="Alerts",
        )
