"""``critchem projects``: the investment pipeline, instrument eligibility and selection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from critchem.accounts.roles import ANONYMOUS, Principal
from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render
from critchem.investment.pipeline import project_to_row
from critchem.services import gaps as gaps_service
from critchem.services import investment as service

app = typer.Typer(help="Investment project pipeline, funding eligibility and selection.")

PIPELINE_OPTION = typer.Option(
    None,
    "--pipeline",
    help="Pipeline SQLite database file (default: the service database, CRITCHEM_DATABASE_URL).",
)


@app.command("import")
@handle_errors
def import_(
    file: Path = typer.Argument(..., help="CSV or Excel (.xlsx) file of projects."),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Import projects; every rejected row is listed with its row, column and reason."""
    report = service.import_projects(file, pipeline=pipeline)
    if fmt is Format.json:
        render(report, fmt)
        return
    render(report.model_dump(exclude={"errors"}), fmt, title=f"Import of {file.name}")
    if report.errors:
        render(report.errors, fmt, columns=["row", "column", "why"], title="Rejected rows")


@app.command("export")
@handle_errors
def export(
    file: Path = typer.Argument(..., help="CSV or Excel (.xlsx) file to write."),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Export the current version of every project."""
    count = service.export_projects(file, pipeline=pipeline)
    render({"file": str(file), "rows": count}, fmt)


@app.command("release")
@handle_errors
def release(
    by: str = typer.Option(..., "--by", help="Who releases (recorded with the release point)."),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Release the pipeline: published aggregates show it as of now, until the next release."""
    at = service.release_pipeline(pipeline=pipeline, by=by)
    render({"released_at": at.isoformat(), "by": by}, fmt)


@app.command("list")
@handle_errors
def list_(pipeline: Path | None = PIPELINE_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """List the projects of the pipeline."""
    rows: list[dict[str, Any]] = [
        project_to_row(p) for p in service.list_projects(pipeline=pipeline)
    ]
    render(
        rows,
        fmt,
        columns=None
        if fmt is Format.json
        else [
            "id",
            "title",
            "country",
            "nuts2",
            "molecules",
            "status",
            "trl",
            "capex_meur",
            "funding_gap_meur",
            "labels",
        ],
        title="Project pipeline",
    )


@app.command("show")
@handle_errors
def show(
    project_id: str = typer.Argument(..., help="Project id."),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show the current version of one project."""
    project = service.show_project(project_id, pipeline=pipeline)
    render(project if fmt is Format.json else project_to_row(project), fmt, title=project.title)


@app.command("history")
@handle_errors
def history(
    project_id: str = typer.Argument(..., help="Project id."),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show every stored version of one project."""
    versions = service.project_history(project_id, pipeline=pipeline)
    if fmt is Format.json:
        render(versions, fmt)
        return
    rows = [
        {
            "version": v.version,
            "action": v.action,
            "recorded_at": v.recorded_at.isoformat(timespec="seconds"),
            "recorded_by": v.recorded_by,
            **project_to_row(v.project),
        }
        for v in versions
    ]
    render(rows, fmt, title=f"History of {project_id}")


@app.command("eligible")
@handle_errors
def eligible(
    project_id: str = typer.Argument(..., help="Project id."),
    relevant_costs: float | None = typer.Option(
        None, help="Relevant costs in M€ (default: the project's capex)."
    ),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Which instruments the project may use, up to how much, and why the others refuse."""
    verdicts = service.project_eligibility(
        project_id, pipeline=pipeline, relevant_costs_meur=relevant_costs
    )
    if fmt is Format.json:
        render(verdicts, fmt)
        return
    rows = [
        {
            "instrument": v.instrument_id + (" (EXAMPLE)" if v.example else ""),
            "form": v.form,
            "eligible": "yes" if v.eligible else "no",
            "max_amount_meur": v.max_amount_meur,
            "refusals": "; ".join(f"{r.rule}: {r.reason}" for r in v.refusals),
            "project_source": v.project_source,
        }
        for v in verdicts
    ]
    version = verdicts[0].catalogue_version if verdicts else ""
    render(rows, fmt, title=f"Instruments for {project_id} (catalogue {version})")


@app.command("select")
@handle_errors
def select(
    critical: list[str] | None = typer.Option(
        None, "--critical", help="Critical molecule id (repeat); default: the CCA non-paper list."
    ),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Two-stage selection: gate, then weighted scores and thresholds, ranked."""
    results = service.select_projects(pipeline=pipeline, critical=critical or None)
    if fmt is Format.json:
        render(results, fmt)
        return
    rows = [
        {
            "rank": r.rank,
            "project_id": r.project_id,
            "gate": "pass"
            if r.gate_passed
            else "fail: " + ", ".join(g.condition for g in r.gate if not g.ok),
            **{k: v for k, v in r.points.items()},
            "total": r.total,
            "below_threshold": ", ".join(r.below_threshold),
            "method_version": r.method_version,
            "project_source": r.project_source,
        }
        for r in results
    ]
    method_cols = list(next((r.points for r in results if r.points), {}))
    render(
        rows,
        fmt,
        columns=[
            "rank",
            "project_id",
            "gate",
            *method_cols,
            "total",
            "below_threshold",
            "method_version",
        ],
        title="Selection",
    )


LOCAL = Principal(username="local", role="secretariat", organisation="", via="anonymous")
"""Who runs the command line: it reads the data files directly, so it sees what they hold."""


@app.command("gaps")
@handle_errors
def gaps(
    selected: list[str] | None = typer.Option(
        None, "--selected", help="Project id (repeat); default: the two-stage selection."
    ),
    public: bool = typer.Option(
        False, "--public", help="Show what the public sees (small capacity totals withheld)."
    ),
    map_file: Path | None = typer.Option(
        None, "--map", help="Also write a map of the sites and projects to this HTML file."
    ),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """EU demand against capacity per critical molecule, now and after the selected projects."""
    projects = service.list_projects(pipeline=pipeline)
    from critchem.core.settings import Settings

    out = gaps_service.capacity_gaps(
        selected or None,
        ANONYMOUS if public else LOCAL,
        projects=projects,
        store_root=Settings().store,
    )
    if map_file is not None:
        gaps_service.write_gaps_map(map_file, out, projects)
    if fmt is Format.json:
        render(out, fmt)
        return
    label = " (ILLUSTRATIVE data)" if out.illustrative else ""
    rows = [
        {**m.model_dump(mode="json"), "source": "illustrative" if out.illustrative else "real"}
        for m in out.molecules
    ]
    render(
        rows,
        fmt,
        columns=[
            "molecule",
            "demand_t",
            "imports_t",
            "capacity_now_t",
            "closures_t",
            "added_t",
            "capacity_after_t",
            "gap_now_t",
            "gap_after_t",
            "imports_replaced_t",
            "dependency_now",
            "dependency_after",
        ],
        title=f"Capacity gaps, t/year, after {len(out.selected)} project(s){label}",
    )
    if map_file is not None and fmt is Format.table:
        Console(stderr=True).print(f"map written to {map_file}")
