"""``critchem pcf``: product carbon footprints (PACT v3): import and roll-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render

app = typer.Typer(help="Product carbon footprints (PACT v3): import and roll-up.")


@app.command("import")
@handle_errors
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON or CSV file."),
    input_format: str | None = typer.Option(
        None, "--input-format", help="json or csv (default: from the file extension)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Validate PACT v3 footprints; bad rows are named (row and field), good rows are kept.

    Exits with status 2 when any row was rejected (the report is still printed).
    """
    from critchem.services.carbon import import_footprints

    report = import_footprints(file, input_format)
    payload: dict[str, Any] = report.model_dump(mode="json", exclude={"footprints"})
    payload["footprints"] = [f.to_pact() for f in report.footprints]
    if fmt is Format.json:
        render(payload, fmt)
    else:
        summary = (
            f"{report.source}: read {report.read}, valid {report.valid}, "
            f"rejected {report.rejected} (sha256 {report.sha256[:12]})"
        )
        rows = [
            {
                "id": str(f.id),
                "product": f.product_name_company,
                "company": f.company_name,
                "geography": f.pcf.geography,
                "pcf_excluding_biogenic_uptake": str(f.pcf.pcf_excluding_biogenic_uptake),
                "declared_unit": f"{f.pcf.declared_unit_amount} "
                f"{f.pcf.declared_unit_of_measurement.value}",
                "primary_data_share_pct": (
                    None if f.pcf.primary_data_share is None else str(f.pcf.primary_data_share)
                ),
            }
            for f in report.footprints
        ]
        render(rows, fmt, title=summary)
        if report.errors:
            render(
                [e.model_dump() for e in report.errors], fmt, title="Rejected rows",
                columns=["row", "field", "message"],
            )  # fmt: skip
    if report.rejected:
        Console(stderr=True).print(
            f"{report.rejected} of {report.read} row(s) rejected: see errors", highlight=False
        )
        raise typer.Exit(2)


@app.command("rollup")
@handle_errors
def rollup(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON roll-up file."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Cradle-to-gate PCF from the inputs' PCFs, process emissions, energy and allocation."""
    from critchem.services.carbon import rollup_file

    result = rollup_file(file)
    if fmt is Format.json:
        render(result, fmt)
        return
    label = " (ILLUSTRATIVE)" if result.source in {"illustrative", "synthetic"} else ""
    title = (
        f"{result.product}{label}: {result.pcf_kgco2e_per_kg:.4g} kgCO2e/kg, "
        f"primary data {result.primary_data_share_pct:.3g} %, "
        f"{result.allocation.value} allocation factor {result.allocation_factor:.4g}"
    )
    render(
        result.contributions, fmt, title=title,
        columns=["name", "kind", "kgco2e_per_kg", "share", "primary_data_share_pct", "hotspot"],
    )  # fmt: skip
