"""``critchem pact``: the PACT v3 host served by ``critchem serve`` (clients, footprints)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render

app = typer.Typer(help="The PACT v3 host: clients, published footprints, events.")
clients_app = typer.Typer(help="Data recipients allowed to call the host.", no_args_is_help=True)
footprints_app = typer.Typer(help="Footprints the host publishes.", no_args_is_help=True)
app.add_typer(clients_app, name="clients")
app.add_typer(footprints_app, name="footprints")

DB_OPTION = typer.Option(
    None, "--db", help="Database URL (default: the CRITCHEM_DATABASE_URL setting)."
)


@clients_app.command("add")
@handle_errors
def add_client(
    name: str = typer.Argument(..., help="Name of the data recipient (unique)."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Make a client; prints client_id and client_secret (the secret is shown only now)."""
    from critchem.services.pact import add_client as make

    client = make(name, db)
    render(
        {"name": client.name, "client_id": client.client_id, "client_secret": client.client_secret},
        fmt,
        title="PACT client (keep the secret: it is not stored and cannot be shown again)",
    )


@clients_app.command("list")
@handle_errors
def list_clients(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """List the clients (never their secrets)."""
    from critchem.services.pact import list_clients as rows

    render(rows(db), fmt, title="PACT clients", columns=["name", "client_id", "active", "created"])


@footprints_app.command("publish")
@handle_errors
def publish(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="PACT v3 footprints: JSON, CSV or Excel (.xlsx)."
    ),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Validate footprints and publish the valid ones (exit 2 if any row was rejected)."""
    from critchem.services.pact import publish_file

    report = publish_file(file, None, db)
    payload = {
        "source": report.source,
        "read": report.read,
        "published": report.valid,
        "rejected": report.rejected,
        "errors": [e.model_dump() for e in report.errors],
    }
    render(payload, fmt, title="Published")
    if report.rejected:
        Console(stderr=True).print(
            f"{report.rejected} of {report.read} row(s) rejected: see errors", highlight=False
        )
        raise typer.Exit(2)
