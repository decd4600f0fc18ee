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


CALLBACK_HOST_HELP = (
    "Host (HOST or HOST:PORT) the client may name as the source of its requests, where the "
    "answers are sent."
)


@clients_app.command("add")
@handle_errors
def add_client(
    name: str = typer.Argument(..., help="Name of the data recipient (unique)."),
    callback_host: list[str] = typer.Option([], "--callback-host", help=CALLBACK_HOST_HELP),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Make a client; prints client_id and client_secret (the secret is shown only now)."""
    from critchem.services.pact import add_client as make

    client = make(name, db, callback_host)
    render(
        {"name": client.name, "client_id": client.client_id, "client_secret": client.client_secret},
        fmt,
        title="PACT client (keep the secret: it is not stored and cannot be shown again)",
    )


@clients_app.command("allow")
@handle_errors
def allow(
    name: str = typer.Argument(..., help="Name of the client."),
    callback_host: str = typer.Option(..., "--callback-host", help=CALLBACK_HOST_HELP),
    remote_client_id: str | None = typer.Option(
        None,
        "--remote-client-id",
        help="client_id the requester's host issued to this host (to authenticate there).",
    ),
    remote_secret: str | None = typer.Option(
        None,
        "--remote-client-secret",
        envvar="CRITCHEM_PACT_REMOTE_SECRET",
        help="Its client_secret (better from CRITCHEM_PACT_REMOTE_SECRET; asked if missing). "
        "Stored encrypted.",
    ),
    auth_url: str | None = typer.Option(
        None, "--auth-url", help="The requester's auth base URL, if not its PACT base URL."
    ),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Allow a callback host for a client and store the credentials used to answer there."""
    from critchem.services.pact import allow_callback

    if remote_client_id is not None and remote_secret is None:
        remote_secret = typer.prompt("Remote client secret", hide_input=True)
    row = allow_callback(
        name,
        callback_host,
        remote_client_id=remote_client_id,
        remote_secret=remote_secret,
        auth_url=auth_url,
        db=db,
    )
    render(row, fmt, title="Callback host allowed")


@clients_app.command("list")
@handle_errors
def list_clients(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """List the clients (never their secrets)."""
    from critchem.services.pact import list_clients as rows

    render(
        rows(db),
        fmt,
        title="PACT clients",
        columns=["name", "client_id", "active", "created", "callback_hosts"],
    )


@app.command("deliver")
@handle_errors
def deliver(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Send the answers to PACT requests that are due (retried with backoff for 72 h)."""
    from critchem.services.pact import deliver as run

    report = run(db)
    if fmt is Format.table:
        render(
            report["attempts"],
            fmt,
            title=f"PACT answers: {report['delivered']} delivered, {report['retrying']} to retry, "
            f"{report['expired']} expired",
            columns=["id", "target", "outcome", "status"],
        )
    else:
        render(report, fmt, title="PACT answers")


@app.command("outbox")
@handle_errors
def outbox(
    status: str | None = typer.Option(
        None, "--status", help="Only answers with this status: pending, delivered or expired."
    ),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List the answers to PACT requests and their delivery."""
    from critchem.services.pact import outbox as rows

    render(
        rows(status, db),
        fmt,
        title="PACT outbox",
        columns=["id", "target", "status", "attempts", "next_attempt", "last_outcome"],
    )


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
