"""Investment services shared by the CLI and the API: pipeline, eligibility, selection."""

from __future__ import annotations

from pathlib import Path

from critchem.investment import (
    ImportReport,
    InstrumentVerdict,
    Pipeline,
    Project,
    ProjectVersion,
    SelectionResult,
    eligible_instruments,
    export_file,
    import_file,
    load_catalogue,
    select,
)
from critchem.services.project_views import PipelineAggregateOut as PipelineAggregateOut
from critchem.services.project_views import ProjectOut as ProjectOut
from critchem.services.project_views import pipeline_aggregates as pipeline_aggregates
from critchem.services.project_views import project_out as project_out
from critchem.settings import Settings

PIPELINE_FILE = "pipeline.jsonl"


def default_pipeline_path(settings: Settings | None = None) -> Path:
    """The pipeline file under the critchem home folder."""
    return (settings or Settings()).home / PIPELINE_FILE


def open_pipeline(path: Path | None = None) -> Pipeline:
    """The pipeline stored at ``path`` (default under the critchem home)."""
    return Pipeline(path or default_pipeline_path())


def import_projects(file: Path, *, pipeline: Path | None = None, by: str = "") -> ImportReport:
    """Import a CSV or Excel file into the pipeline; bad rows are reported, not stored."""
    return import_file(open_pipeline(pipeline), file, by=by)


def export_projects(file: Path, *, pipeline: Path | None = None) -> int:
    """Export the current projects to a CSV or Excel file; returns the row count."""
    return export_file(open_pipeline(pipeline).current(), file)


def list_projects(*, pipeline: Path | None = None) -> list[Project]:
    """The current version of every project."""
    return open_pipeline(pipeline).current()


def show_project(project_id: str, *, pipeline: Path | None = None) -> Project:
    """The current version of one project."""
    return open_pipeline(pipeline).get(project_id)


def project_history(project_id: str, *, pipeline: Path | None = None) -> list[ProjectVersion]:
    """Every stored version of one project."""
    return open_pipeline(pipeline).history(project_id)


def project_eligibility(
    project_id: str,
    *,
    pipeline: Path | None = None,
    relevant_costs_meur: float | None = None,
) -> list[InstrumentVerdict]:
    """Every instrument's verdict for one project, with maximum amounts and refusals."""
    project = open_pipeline(pipeline).get(project_id)
    return eligible_instruments(project, load_catalogue(), relevant_costs_meur=relevant_costs_meur)


def select_projects(
    *, pipeline: Path | None = None, critical: list[str] | None = None
) -> list[SelectionResult]:
    """Gate and score every project of the pipeline, ranked."""
    return select(open_pipeline(pipeline).current(), critical=critical)
