"""``critchem custody``: chain-of-custody records (batch transfers), shown and traced back."""

from __future__ import annotations

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
