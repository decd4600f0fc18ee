"""``critchem events``: the sourced registers of trade defence, export controls and surveillance."""

from __future__ import annotations

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render

app = typer.Typer(help="Registers of real trade events, with a source on every row.")


@app.command("list")
@handle_errors
def list_(
    kind: str | None = typer.Option(
        None, "--kind", help="trade-defence, export-control or surveillance (default: all)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List the events of one register (or all), oldest first."""
    from critchem.services import events

    rows = events.list_events(kind)
    render(rows, fmt, columns=None if fmt is Format.json else events.LIST_COLUMNS, title="Events")
