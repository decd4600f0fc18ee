"""The ``critchem`` command line.

Every sub-command is listed in :data:`COMMANDS` with the module that holds it and is imported
only when it runs, so that ``critchem --help``, ``--version`` and the look-ups stay fast. Add a
command with one line there (``"name": LazyCommand("critchem.cli.module:attribute", "help")``);
do not import command modules at the top of this file.
"""

from __future__ import annotations

import typer

from critchem.cli.lazy import LazyCommand, LazyGroup

COMMANDS: dict[str, LazyCommand] = {
    "demo": LazyCommand(
        "critchem.cli.demo:demo",
        "Registry, trade store, indicators and criticality on the bundled data.",
    ),
    "molecules": LazyCommand(
        "critchem.cli.molecules:app", "Find molecules and their customs codes."
    ),
    "codes": LazyCommand("critchem.cli.codes:app", "Customs codes (CN8, HS)."),
    "assess": LazyCommand(
        "critchem.cli.assess:assess",
        "Assess materials with a methodology; one record per material with its explanation.",
    ),
    "evidence": LazyCommand(
        "critchem.cli.evidence:app",
        "The evidence base: every criticality input computed from data, with provenance.",
    ),
    "ingest": LazyCommand(
        "critchem.cli.trade:ingest",
        "Ingest trade files into the store; bad rows are quarantined and every load reconciles.",
    ),
    "fetch": LazyCommand(
        "critchem.cli.trade:fetch", "Download provider files (cached, resumed, checksummed)."
    ),
    "trade": LazyCommand("critchem.cli.trade:app", "Trade series and supplier concentration."),
    "alerts": LazyCommand("critchem.cli.alerts:app", "Early-warning alerts and their lifecycle."),
    "subscriptions": LazyCommand(
        "critchem.cli.subscriptions:app", "Alert notifications by webhook or e-mail."
    ),
    "monitor": LazyCommand(
        "critchem.cli.monitor:monitor",
        "Run every detector on the series touched by new loads; fuse and store the alerts.",
    ),
    "serve": LazyCommand(
        "critchem.cli.serve:serve",
        "Serve the API on the embedded default (SQLite alerts, DuckDB trade store).",
    ),
    "compare": LazyCommand(
        "critchem.cli.assess:compare",
        "What entered, left and moved between two assessments (JSON files from assess).",
    ),
    "bulletin": LazyCommand(
        "critchem.cli.bulletin:bulletin",
        "Write the bulletin of one ISO week (new or escalated alerts) or of one trade month.",
    ),
    "projects": LazyCommand(
        "critchem.cli.projects:app",
        "Investment project pipeline, funding eligibility and selection.",
    ),
    "funding": LazyCommand(
        "critchem.cli.funding:app",
        "Funding instruments for a project and portfolio optimisation.",
    ),
    "users": LazyCommand("critchem.cli.users:app", "User accounts, roles and API keys."),
    "events": LazyCommand(
        "critchem.cli.events:app",
        "Registers of real trade events, with a source on every row.",
    ),
    "alliance": LazyCommand(
        "critchem.cli.alliance:app",
        "The Alliance: members, bodies, meetings, motions and votes.",
    ),
    "unfair": LazyCommand(
        "critchem.cli.unfair:unfair",
        "Unfair-competition signal of a CN code: volumes, undercutting, price depression, share.",
    ),
    "diversion": LazyCommand(
        "critchem.cli.diversion:diversion",
        "Trade-diversion suspects after each EU trade-defence case of the register.",
    ),
    "watch": LazyCommand(
        "critchem.cli.watch:watch",
        "Watch the declaration-level surveillance feed, daily or weekly.",
    ),
    "sites": LazyCommand("critchem.cli.sites:app", "Production sites: which are critical and why."),
    "prodcom": LazyCommand(
        "critchem.cli.prodcom:app", "EU sold production (Eurostat PRODCOM) into the store."
    ),
    "pcf": LazyCommand(
        "critchem.cli.pcf:app", "Product carbon footprints (PACT v3): import and roll-up."
    ),
    "pact": LazyCommand(
        "critchem.cli.pact:app", "The PACT v3 host: clients, published footprints, events."
    ),
    "cbam": LazyCommand(
        "critchem.cli.cbam:app", "CBAM certificate cost of an importer's shipments."
    ),
    "lead-markets": LazyCommand(
        "critchem.cli.lead_markets:app",
        "Lead markets: projects serving them, green premium and quota demand scenario.",
    ),
    "custody": LazyCommand(
        "critchem.cli.custody:app",
        "Chain-of-custody records: batch transfers, traced back through suppliers.",
    ),
}
"""Every sub-command: where it lives and its one-line help (shown by ``critchem --help``)."""


class _CritchemGroup(LazyGroup):
    lazy = COMMANDS


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"critchem {version('critchem')}")
        raise typer.Exit()


def _main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Criteria, trade monitoring and investment coordination for critical chemicals."""


def build_app() -> typer.Typer:
    """Assemble the command-line application (sub-commands load on first use)."""
    app = typer.Typer(
        name="critchem",
        cls=_CritchemGroup,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(_main)
    return app


def run() -> None:
    """Run the command line (the ``critchem`` script enters at :func:`critchem.cli.run`)."""
    build_app()()
