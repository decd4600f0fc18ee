"""``critchem cbam``: the CBAM certificate cost of an importer's shipments."""

from __future__ import annotations

from pathlib import Path

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render

app = typer.Typer(help="CBAM certificate cost of an importer's shipments.")


@app.command("calc")
@handle_errors
def calc(
    inputs: Path = typer.Option(
        ..., "--inputs", exists=True, dir_okay=False, help="JSON file: prices, share, shipments."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Embedded emissions × (EU ETS price − carbon price paid at origin) × the CBAM share."""
    from critchem.services.carbon import cbam_file

    result = cbam_file(inputs)
    if fmt is Format.json:
        render(result, fmt)
        return
    label = " (ILLUSTRATIVE)" if result.source in {"illustrative", "synthetic"} else ""
    title = (
        f"CBAM {result.year}{label}: {result.total_cost_eur:,.2f} EUR for "
        f"{result.total_certificates:,.3f} certificates (ETS {result.ets_price_eur_per_t} EUR/t, "
        + (
            f"share {result.cbam_share} per {result.cbam_share_source})"
            if result.cbam_share is not None
            else "free allocation per shipment)"
        )
    )
    columns = None
    if fmt is Format.table:  # the full source of each default value is in json and csv
        columns = [
            "id", "cn_code", "good", "origin_country", "quantity_t", "see_tco2e_per_t",
            "emissions_basis", "default_markup_pct", "method", "free_allocation_tco2e_per_t",
            "emissions_due_tco2e", "certificates", "cost_eur",
        ]  # fmt: skip
    render(result.shipments, fmt, columns=columns, title=title)


@app.command("embedded")
@handle_errors
def embedded(
    inputs: Path = typer.Option(
        ..., "--inputs", exists=True, dir_okay=False, help="JSON: production process(es)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Specific embedded emissions (direct, indirect, precursors) of each good produced."""
    from critchem.services.carbon import embedded_file

    render(embedded_file(inputs), fmt, title="Specific embedded emissions (tCO2e/t)")
