"""The ``critchem`` command line."""

from __future__ import annotations

import typer

from critchem.cli import (
    alerts,
    alliance,
    assess,
    codes,
    funding,
    molecules,
    projects,
    subscriptions,
    trade,
    users,
)
from critchem.cli.bulletin import bulletin
from critchem.cli.demo import demo
from critchem.cli.monitor import monitor
from critchem.cli.serve import serve


def build_app() -> typer.Typer:
    """Assemble the command-line application."""
    app = typer.Typer(
        name="critchem",
        help="Criteria, trade monitoring and investment coordination for critical chemicals.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    app.command("demo")(demo)
    app.add_typer(molecules.app, name="molecules")
    app.add_typer(codes.app, name="codes")
    app.command("assess")(assess.assess)
    app.command("ingest")(trade.ingest)
    app.command("fetch")(trade.fetch)
    app.add_typer(trade.app, name="trade")
    app.add_typer(alerts.app, name="alerts")
    app.add_typer(subscriptions.app, name="subscriptions")
    app.command("monitor")(monitor)
    app.command("serve")(serve)
    app.command("compare")(assess.compare)
    app.command("bulletin")(bulletin)
    app.add_typer(projects.app, name="projects")
    app.add_typer(funding.app, name="funding")
    app.add_typer(users.app, name="users")
    app.add_typer(alliance.app, name="alliance")
    return app


def run() -> None:
    """Entry point of the ``critchem`` script."""
    build_app()()
