"""``critchem prodcom``: Eurostat PRODCOM files (EU sold production) into the store."""

from __future__ import annotations

from pathlib import Path

import typer

from critchem.cli.output import Format, handle_errors, render
from critchem.core.settings import Settings

app = typer.Typer(
    help="EU sold production (Eurostat PRODCOM) into the store.", no_args_is_help=True
)


@app.command("load")
@handle_errors
def load(
    paths: list[Path] = typer.Argument(..., exists=True, help="PRODCOM files (API or bulk)."),
    store: Path | None = typer.Option(
        None, "--store", help="Store folder (default from settings)."
    ),
    years: list[int] = typer.Option(
        [], "--year", help="Years expected (absent ones are reported)."
    ),
    correspondence: Path | None = typer.Option(
        None, help="A PRODCOM-CN8 correspondence file (default: the shipped one)."
    ),
    output: Format = typer.Option(Format.table, "--output", "-o", help="Report format."),
) -> None:
    """Parse PRODCOM files and keep them in the store; every row is accounted for."""
    from critchem.services.prodcom import load_prodcom

    reports = load_prodcom(
        paths, store_root=store or Settings().store, years=years, correspondence=correspondence
    )
    if output is Format.table:
        rows = [
            {
                **{
                    k: r[k]
                    for k in (
                        "path",
                        "layout",
                        "rows_read",
                        "rows_used",
                        "rows_ignored",
                        "rows_rejected",
                        "confidential",
                    )
                },
                "years": ", ".join(map(str, r["years"])),
                "years_missing": ", ".join(map(str, r["years_missing"])) or "-",
                "codes_outside_correspondence": r["codes_outside_correspondence"],
            }
            for r in reports
        ]
        render(rows, output, title="PRODCOM loads")
        for r in reports:
            for rejected in r["rejected"]:
                typer.echo(f"{r['path']}: line {rejected['line']}: {rejected['reason']}")
        return
    render(reports, output, title="PRODCOM loads")
