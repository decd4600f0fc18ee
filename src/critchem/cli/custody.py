"""``critchem custody``: chain-of-custody records (batch transfers), shown and traced back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render

app = typer.Typer(help="Chain-of-custody records: batch transfers, traced back through suppliers.")

DB_OPTION = typer.Option(
    None, "--db", help="Database URL (default: the CRITCHEM_DATABASE_URL setting)."
)
AS_OPTION = typer.Option(
    None,
    "--as",
    help="Act as this organisation: see only its records, record only what it supplies "
    "(default: the database's operator, who sees every record as the secretariat does).",
)


@app.command("add")
@handle_errors
def add(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON or CSV file."),
    all_or_nothing: bool = typer.Option(
        False,
        "--all-or-nothing",
        help="Keep no row when any row is refused (default: keep the good rows).",
    ),
    input_format: str | None = typer.Option(
        None, "--input-format", help="json or csv (default: from the file's suffix)."
    ),
    organisation: str | None = AS_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Import records; every refused row is reported by row and field, all at once.

    Exits with status 2 when any row was refused (the report is still printed, and says
    whether the good rows were kept).
    """
    from critchem.services.custody import import_file, operator

    report = import_file(
        file, operator(organisation), all_or_nothing=all_or_nothing, fmt=input_format, db=db
    )
    kept = "kept" if report.mode == "keep-good-rows" else "kept (all or nothing)"
    if fmt is Format.table:
        render(
            report.errors,
            fmt,
            title=f"Custody records: {report.received} received, {report.kept} {kept}, "
            f"{report.refused} refused",
            columns=["row", "field", "message"],
        )
    else:
        render(report, fmt)
    if report.errors:
        raise typer.Exit(2)


@app.command("list")
@handle_errors
def list_(
    organisation: str | None = AS_OPTION, db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION
) -> None:
    """List the records (those of ``--as`` organisation, or all)."""
    from critchem.services.custody import open_book, operator

    render(
        open_book(db).records(operator(organisation)),
        fmt,
        title="Custody records",
        columns=[
            "id",
            "batch",
            "supplier",
            "recipient",
            "molecule",
            "quantity",
            "unit",
            "custody_model",
            "certified_quantity",
            "transferred_on",
        ],
    )


@app.command("show")
@handle_errors
def show(
    record: str = typer.Argument(..., help="The record's id."),
    organisation: str | None = AS_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show one record."""
    from critchem.services.custody import open_book, operator

    render(open_book(db).get(record, operator(organisation)), fmt, title=f"Custody record {record}")


@app.command("trace")
@handle_errors
def trace(
    record: str = typer.Argument(..., help="The record's id."),
    pact: bool = typer.Option(
        False, "--pact", help="Print the traced batches' PACT v3 footprints held here."
    ),
    organisation: str | None = AS_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Trace a batch back through its suppliers (the graph of input batches)."""
    from critchem.services.custody import footprints, open_book, operator

    viewer = operator(organisation)
    if pact:
        render(footprints(record, viewer, db), Format.json if fmt is Format.table else fmt)
        return
    traced = open_book(db).trace(record, viewer)
    if fmt is Format.table:
        render(
            traced.nodes,
            fmt,
            title=traced.statement,
            columns=[
                "key",
                "tier",
                "record",
                "supplier",
                "molecule",
                "custody_model",
                "certified_share",
                "credit",
                "pcf_id",
                "origin_country",
            ],
        )
    else:
        render(traced, fmt)


account_app = typer.Typer(
    help="Site mass-balance accounts: credits in and claims out per site, product and period."
)
app.add_typer(account_app, name="account")


@account_app.command("declare")
@handle_errors
def account_declare(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        help="JSON file: organisation, site, product, unit, "
        "inputs, period, carry_periods, opens_on, rule_source.",
    ),
    organisation: str | None = AS_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Declare a site's mass-balance account; refused if the records already overdraw it."""
    from critchem.services.custody import declare_account_file, operator

    made = declare_account_file(file, operator(organisation), db)
    render(made, fmt, title=f"Mass-balance account {made.id}")


@account_app.command("list")
@handle_errors
def account_list(
    organisation: str | None = AS_OPTION, db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION
) -> None:
    """List the site mass-balance accounts (those of ``--as`` organisation, or all)."""
    from critchem.services.custody import open_book, operator

    render(
        open_book(db).accounts(operator(organisation)),
        fmt,
        title="Mass-balance accounts",
        columns=["id", "organisation", "site", "product", "unit", "period", "carry_periods",
                 "opens_on"],
    )  # fmt: skip


@account_app.command("statement")
@handle_errors
def account_statement(
    account: str = typer.Argument(..., help="The account's id."),
    until: datetime | None = typer.Option(
        None, "--until", formats=["%Y-%m-%d"], help="Last day booked (default: every record)."
    ),
    organisation: str | None = AS_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The account per period: opening, credits in, claims out, expired, closing."""
    from critchem.services.custody import open_book, operator

    shown = open_book(db).statement(
        account, operator(organisation), until.date() if until else None
    )
    if fmt is Format.json:
        render(shown, fmt)
        return
    rows = [
        {
            "period": p.period,
            "opening": p.opening,
            "credits_in": p.credits_in,
            "claims_out": p.claims_out,
            "expired": p.expired,
            "closing": p.closing,
            "unit": shown.unit,
        }
        for p in shown.periods
    ]
    a = shown.account
    render(
        rows,
        fmt,
        title=f"Mass-balance account {a.id}: {a.organisation}, {a.site}, {a.product} "
        f"({shown.rule})",
        columns=list(rows[0]) if rows else None,
    )
