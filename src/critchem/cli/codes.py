"""``critchem codes``: customs codes with labels, parents and correspondences."""

from __future__ import annotations

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render
from critchem.services import codes as service

app = typer.Typer(help="Customs codes (CN8, HS).", no_args_is_help=True)


@app.command("show")
@handle_errors
def show(
    code: str = typer.Argument(..., help="CN8 code (8 digits) or HS code (2, 4 or 6 digits)."),
    year: int = typer.Option(service.DEFAULT_CN_YEAR, help="CN nomenclature year."),
    lang: str = typer.Option("en", "--lang", help="Label language: en, fr or de."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show a code: full label, parents, HS/CN correspondences, molecules under it."""
    out = service.show_code(code, year=year, lang=lang)
    if fmt is not Format.table:
        render(out, fmt)
        return
    render(
        out.model_dump(
            include={
                "code",
                "kind",
                "nomenclature",
                "label",
                "label_language",
                "supplementary_unit",
            }
        ),
        fmt,
        title=out.code,
    )
    if out.parents:
        render(out.parents, fmt, title="Parents")
    if out.correspondences:
        render(out.correspondences, fmt, title="Correspondences")
    if out.molecules:
        render(out.molecules, fmt, title="Molecules under this code")
    if out.children:
        render({"children": out.children}, fmt)


@app.command("changes")
@handle_errors
def changes(
    source: int = typer.Argument(..., help="From CN year."),
    target: int = typer.Argument(..., help="To CN year (the next one)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """CN codes that changed between two consecutive years."""
    rows = [{"code": k, "successors": v} for k, v in service.changed_codes(source, target).items()]
    render(rows, fmt, columns=["code", "successors"], title=f"CN {source} → {target}")
