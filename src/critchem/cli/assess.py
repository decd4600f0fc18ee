"""``critchem assess`` and ``critchem compare``: criticality assessments."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from critchem.cli.output import FORMAT_OPTION, OUT_OPTION, Format, handle_errors, render
from critchem.services import criticality as service

TABLE_COLUMNS = (
    "material",
    "critical",
    "rank",
    "sr",
    "ei",
    "sr_stage",
    "hhi_gs",
    "hhi_eu",
    "import_reliance",
    "critical_production",
    "rank_p05",
    "rank_p95",
    "missing",
)
"""The columns shown in a table; CSV and JSON carry them all."""


@handle_errors
def assess(
    methodology: str = typer.Option("eu-crm", "--methodology", "-m", help="Methodology name."),
    inputs: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="Stage inputs CSV (or --evidence)."
    ),
    end_uses: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="End-use shares CSV."
    ),
    value_added: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="Value added per NACE sector CSV."
    ),
    supply_shares: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="Supply shares CSV (instead of HHI columns)."
    ),
    draws: int = typer.Option(0, min=0, help="Monte Carlo sensitivity draws (0: none)."),
    seed: int = typer.Option(0, help="Seed of the Monte Carlo draws."),
    report: Path | None = typer.Option(
        None,
        dir_okay=False,
        help="Also write an HTML report with the criticality matrix (and its JSON twin).",
    ),
    evidence: bool = typer.Option(
        False, "--evidence", help="Assess from the evidence table (`critchem evidence build`)."
    ),
    year: int | None = typer.Option(None, "--year", help="Evidence year (with --evidence)."),
    impute: str | None = typer.Option(
        None, "--impute", help="With --evidence: 'range' imputes missing inputs in their range."
    ),
    store: Path | None = typer.Option(None, "--store", help="Trade store folder (--evidence)."),
    fmt: Format = FORMAT_OPTION,
    out_file: Path | None = OUT_OPTION,
) -> None:
    """Assess materials with a methodology; one record per material with its explanation."""
    if evidence:
        from critchem.cli.assess_evidence import assess_from_evidence

        assess_from_evidence(methodology, year=year, impute=impute, store=store, fmt=fmt)
        return
    if inputs is None:
        raise typer.BadParameter("give --inputs, or --evidence", param_hint="--inputs")
    out = service.assess(
        methodology,
        inputs,
        end_uses=end_uses,
        value_added=value_added,
        supply_shares=supply_shares,
        sensitivity_draws=draws,
        seed=seed,
    )
    if report is not None:
        from critchem.reports.criticality_report import write_report
        from critchem.services.sites import sites_under

        written = write_report(
            out,
            report,
            critical=service.critical_list(out),
            sites=sites_under(out, illustrative=False),
        )
        Console(stderr=True).print(f"Report written: {written.html} (and {written.json_path.name})")
    if fmt is Format.json and out_file is None:
        sys.stdout.write(out.model_dump_json(indent=2) + "\n")
        return
    if fmt is Format.json and out_file is not None:
        out_file.write_text(out.model_dump_json(indent=2) + "\n")
        return
    columns = out.columns()
    if fmt is Format.table:
        columns = [c for c in columns if c in TABLE_COLUMNS or c.startswith("p_")]
    title = f"{methodology} assessment" + (" (ILLUSTRATIVE inputs)" if out.source else "")
    rows = [{**row, "source": out.source} for row in out.rows()] if out.source else out.rows()
    render(rows, fmt, columns=columns, title=title, out=out_file)


@handle_errors
def compare(
    before: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="Assessment JSON (before)."
    ),
    after: Path = typer.Argument(..., exists=True, dir_okay=False, help="Assessment JSON (after)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """What entered, left and moved between two assessments (JSON files from ``assess``)."""
    out = service.compare(before, after)
    if fmt is Format.json:
        sys.stdout.write(out.model_dump_json(indent=2) + "\n")
        return
    render(out.model_dump(mode="json"), fmt)
