"""``critchem alerts``: list, show, acknowledge and close early-warning alerts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from critchem.cli.output import FORMAT_OPTION, OUT_OPTION, Format, handle_errors, render
from critchem.services import alerts

app = typer.Typer(help="Early-warning alerts and their lifecycle.", no_args_is_help=True)

DB_OPTION = typer.Option(
    None, "--db", help="Alert database URL (default: the CRITCHEM_DATABASE_URL setting)."
)


@app.command("list")
@handle_errors
def list_(
    state: str | None = typer.Option(None, help="new, acknowledged or closed."),
    severity: str | None = typer.Option(None, help="info, amber or red."),
    molecule: str | None = typer.Option(None, help="Molecule id."),
    product: str | None = typer.Option(None, help="CN8 product code."),
    since: datetime | None = typer.Option(
        None, formats=["%Y-%m-%d", "%Y-%m"], help="Last seen on or after (YYYY-MM[-DD])."
    ),
    limit: int = typer.Option(50, min=1, max=1000, help="At most this many alerts."),
    offset: int = typer.Option(0, min=0, help="Skip this many alerts (paging)."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
    out: Path | None = OUT_OPTION,
) -> None:
    """List alerts, latest period first."""
    since_day: date | None = since.date() if since else None
    rows = alerts.list_alerts(
        alerts.open_store(db),
        state=state,
        severity=severity,
        molecule=molecule,
        product=product,
        since=since_day,
        limit=limit,
        offset=offset,
    )
    columns = None if fmt is Format.json else alerts.LIST_COLUMNS
    render(rows, fmt, columns=columns, title="Alerts", out=out)


@app.command()
@handle_errors
def show(
    alert_id: int = typer.Argument(..., help="Alert id."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show one alert with its events, evidence and state history."""
    detail = alerts.show_alert(alerts.open_store(db), alert_id)
    if fmt is not Format.table:
        render(detail, fmt)
        return
    summary = detail.model_dump(mode="json", exclude={"events", "transitions", "evidence"})
    render(summary, fmt, title="Alert")
    render(
        detail.events,
        fmt,
        columns=["period", "family", "detector", "severity", "statistic", "threshold", "message"],
        title="Events",
    )
    render(
        detail.transitions,
        fmt,
        columns=["at", "from_state", "to_state", "by", "note"],
        title="History",
    )


@app.command("ack")
@handle_errors
def ack(
    alert_id: int = typer.Argument(..., help="Alert id."),
    by: str = typer.Option(..., "--by", help="Who acknowledges it."),
    note: str | None = typer.Option(None, "--note", help="Why, or what happens next."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Acknowledge a new alert."""
    render(alerts.acknowledge_alert(alerts.open_store(db), alert_id, by=by, note=note), fmt)


@app.command("close")
@handle_errors
def close(
    alert_id: int = typer.Argument(..., help="Alert id."),
    by: str = typer.Option(..., "--by", help="Who closes it."),
    reason: str = typer.Option(..., "--reason", help="Why it is closed."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Close a new or acknowledged alert."""
    render(alerts.close_alert(alerts.open_store(db), alert_id, by=by, reason=reason), fmt)
