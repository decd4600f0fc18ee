"""``critchem molecules``: search and show molecules."""

from __future__ import annotations

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render
from critchem.services import molecules as service

app = typer.Typer(help="Find molecules and their customs codes.", no_args_is_help=True)


@app.command("search")
@handle_errors
def search(
    text: str = typer.Argument(..., help="Name, synonym, CAS, EC number, formula or code."),
    limit: int = typer.Option(10, help="Most results to show."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Search the registry, tolerant of typos."""
    hits = service.search_molecules(text, limit=limit)
    render(
        hits,
        fmt,
        columns=["id", "name", "cas", "matched_on", "score", "cn8"],
        title=f"Molecules matching {text!r}",
    )


@app.command("show")
@handle_errors
def show(
    query: str = typer.Argument(..., help="Name, synonym, CAS, EC number, formula or code."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show one molecule with its CN8 and HS6 codes."""
    molecule = service.show_molecule(query)
    if fmt is Format.table:
        record = molecule.model_dump(exclude={"codes", "hazard", "regulatory", "taric"})
        if molecule.hazard is not None:
            record["clp"] = ", ".join(molecule.hazard.clp) or molecule.hazard.note
        render(record, fmt, title=molecule.name)
        if molecule.codes:
            render(
                molecule.codes,
                fmt,
                columns=["cn8", "hs6", "cn_year", "relation", "share", "confidence", "label"],
                title="Customs codes",
            )
        if molecule.taric:
            render(
                molecule.taric,
                fmt,
                columns=["taric10", "cn8", "measure", "reference", "date"],
                title="TARIC codes used by trade measures",
            )
        if molecule.regulatory:
            render(
                molecule.regulatory,
                fmt,
                columns=["instrument", "status", "reference", "date", "source_url"],
                title="Regulatory status (beside the verdict, not in it)",
            )
        return
    render(molecule, fmt)


@app.command("list")
@handle_errors
def list_(
    tag: str | None = typer.Option(None, help="Only molecules with this tag."),
    sector: str | None = typer.Option(None, help="Only molecules serving this sector."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List the registry."""
    rows = service.list_molecules(tag=tag, sector=sector)
    render(
        rows, fmt, columns=["id", "name", "cas", "value_chain", "sectors", "cn8"], title="Registry"
    )
