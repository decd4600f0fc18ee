"""``critchem lead-markets``: the demand-side scenario of a lead market for clean chemicals."""

from __future__ import annotations

from pathlib import Path

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render

app = typer.Typer(
    help="Lead markets: projects serving them, green premium and quota demand scenario."
)


@app.callback()
def _group() -> None:
    """Lead markets: projects serving them, green premium and quota demand scenario."""


@app.command("scenario")
@handle_errors
def scenario(
    file: Path = typer.Option(
        ..., "--scenario", exists=True, dir_okay=False, help="Scenario file (YAML or JSON)."
    ),
    pipeline: Path | None = typer.Option(
        None,
        "--pipeline",
        exists=True,
        dir_okay=False,
        help="Pipeline file (CSV or Excel) instead of the register of real funded projects.",
    ),
    example: bool = typer.Option(
        False,
        "--example",
        help="Run on the ILLUSTRATIVE example pipeline instead of the register of real funded "
        "projects.",
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Molecules and projects serving a lead market (the real funded projects register by
    default), the green premium per tonne (EU and CBAM views) and the low-carbon volume a
    quota demands against the counted capacity."""
    from rich.console import Console

    from critchem.services.lead_markets import scenario_file

    result = scenario_file(file, pipeline=pipeline, example=example)
    if fmt is Format.json:
        render(result, fmt)
        return
    label = result.data_label
    if fmt is Format.csv:
        listed = result.registered if result.ground == "register" else result.projects
        rows = [{**y.model_dump(), "data_label": label} for y in result.years] or [
            {**p.model_dump(), "data_label": label} for p in listed
        ]
        render(rows, fmt)
        return
    console = Console()
    console.print(f"{label} | {result.market_name}: {result.legal_source}", highlight=False)
    if result.ground == "register":
        render(
            result.registered, fmt,
            title=f"Funded projects making {result.market}'s product ({label}): "
            f"{result.registered_capacity_t_per_year or 0:g} t/yr counted",
            columns=["project", "country", "product", "counted", "capacity_t_per_year",
                     "capacity_note", "instrument_id", "source"],
        )  # fmt: skip
    render(
        result.projects, fmt, title=f"Pipeline projects serving {result.market} ({label})",
        columns=["id", "molecule", "relation", "capacity_t_per_year", "start_year",
                 "declared_pcf_kgco2e_per_kg", "tag"],
    )  # fmt: skip
    if result.premiums:
        render(result.premiums, fmt, title="Green premium per tonne (declared inputs)")
    console.print(result.demand_note, highlight=False)
    if result.years:
        render(result.years, fmt, title=f"Quota scenario ({label})")
