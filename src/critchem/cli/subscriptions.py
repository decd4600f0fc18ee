"""``critchem subscriptions``: who is notified of alerts, and sending the notifications."""

from __future__ import annotations

import typer

from critchem.cli.output import FORMAT_OPTION, Format, fail, handle_errors, render
from critchem.services import notify

app = typer.Typer(help="Alert notifications by webhook or e-mail.", no_args_is_help=True)

DB_OPTION = typer.Option(
    None, "--db", help="Alert database URL (default: the CRITCHEM_DATABASE_URL setting)."
)


@app.command()
@handle_errors
def add(
    name: str = typer.Option(..., "--name", help="A name to recognise the subscription by."),
    webhook: str | None = typer.Option(None, "--webhook", help="URL to POST alerts to."),
    secret: str | None = typer.Option(
        None, "--secret", help="Webhook secret, signs each request (HMAC-SHA256)."
    ),
    email: str | None = typer.Option(None, "--email", help="Address to e-mail alerts to."),
    min_severity: str = typer.Option(
        "amber", "--min-severity", help="Least severity sent: info, amber or red."
    ),
    product: str | None = typer.Option(
        None, "--product", help="Only alerts on CN codes starting with these digits."
    ),
    molecule: str | None = typer.Option(None, "--molecule", help="Only alerts on this molecule."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Subscribe a webhook (--webhook URL --secret S) or an address (--email ADDR)."""
    if (webhook is None) == (email is None):
        raise fail("give either --webhook URL (with --secret) or --email ADDRESS", 2)
    channel, target = ("webhook", webhook) if webhook is not None else ("email", email)
    assert target is not None
    created = notify.add_subscription(
        notify.open_store(db),
        name=name,
        channel=channel,
        target=target,
        secret=secret,
        min_severity=min_severity,
        product_prefix=product,
        molecule_id=molecule,
    )
    render(created, fmt, title="Subscription")


@app.command("list")
@handle_errors
def list_(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """List subscriptions (secrets masked)."""
    rows = notify.list_subscriptions(notify.open_store(db))
    columns = None if fmt is Format.json else notify.SUBSCRIPTION_COLUMNS
    render(rows, fmt, columns=columns, title="Subscriptions")


@app.command()
@handle_errors
def remove(
    subscription_id: int = typer.Argument(..., help="Subscription id."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Remove a subscription and its delivery log."""
    render(notify.remove_subscription(notify.open_store(db), subscription_id), fmt)


@app.command()
@handle_errors
def deliver(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Send every alert not yet delivered to the subscriptions it matches."""
    rows = notify.deliver(notify.open_store(db))
    columns = None if fmt is Format.json else notify.DELIVERY_COLUMNS
    render(rows, fmt, columns=columns, title="Deliveries")
