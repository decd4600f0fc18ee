"""What the project pages of the dashboard show: the pipeline and one project.

Financial figures follow :func:`critchem.services.project_views.project_out`: a project's
capex and funding gap, the most each instrument may give it (derived from them) and its
selection points (the cost-efficiency criterion is € per tCO2e, the funding gap over the
GHG avoided) are shown to its owner, its promoters and the secretariat only. The pipeline
aggregates always cover the whole pipeline, not the filtered rows, so that the difference of
two shown totals cannot single out one company. Every page that shows confidential figures
is written to the audit log (``read_confidential``), as the API does.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from critchem.accounts import Accounts, Principal
from critchem.accounts.disclosure import MIN_COMPANIES
from critchem.accounts.roles import at_least
from critchem.investment import InstrumentVerdict, Project, Status
from critchem.investment.pipeline import PipelineLocation
from critchem.investment.selection import GateCheck
from critchem.services import investment
from critchem.services.pipeline_table import PipelineTableOut, pipeline_table, with_table_margins
from critchem.services.project_views import (
    PipelineAggregateOut,
    ProjectOut,
    funding_verdicts,
    matches,
    may_see_financials,
    pipeline_aggregates,
    project_out,
)

EMPTY_PIPELINE = (
    "The pipeline is empty: import projects with `critchem projects import FILE` "
    "(the example pipeline is src/critchem/investment/data/example_pipeline.csv)."
)


class _Page(BaseModel):
    model_config = ConfigDict(frozen=True)


class Choices(_Page):
    """The values the pipeline filters offer."""

    countries: list[str]
    molecules: list[str]
    statuses: list[str]


class ProjectsPageOut(_Page):
    """The pipeline page: filtered projects and the public aggregates of the whole pipeline."""

    filters: dict[str, str | None]
    choices: Choices
    projects: list[ProjectOut]
    total: int = Field(description="Projects matching the filters.")
    pipeline_total: int
    limit: int
    offset: int
    financials_shown: list[str] = Field(description="Projects whose financials are shown.")
    by_country: list[PipelineAggregateOut]
    by_molecule: list[PipelineAggregateOut]
    table: PipelineTableOut = Field(
        description="Capex and funding gap by country x molecule; withheld cells are null."
    )
    min_companies: int
    aggregates_as_of: datetime | None = Field(
        default=None,
        description=(
            "Release point the aggregates show the pipeline at (null: live, for a reader "
            "who may see every figure, or nothing released yet)."
        ),
    )
    message: str | None = None


class VersionRow(_Page):
    """One stored version and the fields it changed (as the reader sees them)."""

    version: int
    action: str
    recorded_at: datetime
    recorded_by: str
    changed: list[str]
    project: ProjectOut


class SelectionOut(_Page):
    """The two-stage selection of one project; points and rank only with the financials."""

    gate_passed: bool
    gate: list[GateCheck]
    selected: bool
    total: float | None
    rank: int | None
    points: dict[str, float] | None
    below_threshold: list[str]
    method_version: str


class ProjectPageOut(_Page):
    """One project, its versions, the instruments that fit and every refusal."""

    project: ProjectOut
    versions: list[VersionRow]
    funding: list[InstrumentVerdict] = Field(
        description="Every instrument's verdict; max_amount_meur null when confidential."
    )
    eligible: list[str]
    catalogue_version: str
    example_catalogue: bool
    selection: SelectionOut | None


def projects_page(
    principal: Principal,
    *,
    pipeline: PipelineLocation,
    accounts: Accounts,
    country: str | None = None,
    molecule: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
    ip: str | None = None,
) -> ProjectsPageOut:
    """The projects matching every filter, by id, and the aggregates per country and molecule."""
    projects = sorted(investment.list_projects(pipeline=pipeline), key=lambda p: p.id)
    rows = [p for p in projects if matches(p, country, molecule, status)]
    shown = [project_out(p, principal) for p in rows[offset : offset + limit]]
    visible = [p.id for p in shown if p.financials_visible]
    # aggregates change only at release points (unless the reader may see every figure)
    released, previous, released_at = investment.released_projects(pipeline=pipeline)
    if at_least(principal.role, "secretariat"):
        released, previous, released_at = projects, None, None
    # the two-way table's margins are the aggregates: each hides what the other hides
    table = pipeline_table(released, principal, previous=previous, as_of=released_at)
    by_country = with_table_margins(
        pipeline_aggregates(released, principal, by="country", previous=previous), table
    )
    by_molecule = with_table_margins(
        pipeline_aggregates(released, principal, by="molecule", previous=previous), table
    )
    small = [
        f"{a.by} {a.group}"
        for a in by_country + by_molecule
        if a.capex_meur is not None and a.companies < MIN_COMPANIES
    ] + [
        f"table {c.country}/{c.molecule}"
        for c in table.cells
        if c.capex_meur is not None and 0 < c.companies < MIN_COMPANIES
    ]
    if visible or small:
        detail: dict[str, object] = {"financials_of": visible, "small_aggregates": small}
        accounts.read_confidential(principal, "projects page", detail, ip=ip)
    message = None
    if not projects:
        message = EMPTY_PIPELINE
    elif not rows:
        message = "No project matches these filters."
    return ProjectsPageOut(
        filters={"country": country, "molecule": molecule, "status": status},
        choices=Choices(
            countries=sorted({p.country for p in projects}),
            molecules=sorted({m.molecule for p in projects for m in p.molecules}),
            statuses=[s.value for s in Status],
        ),
        projects=shown,
        total=len(rows),
        pipeline_total=len(projects),
        limit=limit,
        offset=offset,
        financials_shown=visible,
        by_country=by_country,
        by_molecule=by_molecule,
        table=table,
        min_companies=MIN_COMPANIES,
        aggregates_as_of=released_at,
        message=message,
    )


def changed_fields(before: ProjectOut | None, after: ProjectOut) -> list[str]:
    """The fields whose shown value differs between two versions (all of them for the first).

    Hidden financials are ``None`` in both versions, so their changes are not revealed.
    """
    if before is None:
        return ["(first version)"]
    old, new = before.model_dump(), after.model_dump()
    return [name for name in new if name != "financials_visible" and old[name] != new[name]]


def _selection(project: Project, pipeline: PipelineLocation, shown: bool) -> SelectionOut | None:
    results = investment.select_projects(pipeline=pipeline)
    found = next((r for r in results if r.project_id == project.id), None)
    if found is None:
        return None
    return SelectionOut(
        gate_passed=found.gate_passed,
        gate=found.gate,
        selected=found.selected,
        total=found.total if shown else None,
        rank=found.rank if shown else None,
        points=dict(found.points) if shown else None,
        below_threshold=found.below_threshold if shown else [],
        method_version=found.method_version,
    )


def project_page(
    project_id: str,
    principal: Principal,
    *,
    pipeline: PipelineLocation,
    accounts: Accounts,
    ip: str | None = None,
) -> ProjectPageOut:
    """The project, its history, its funding verdicts and its selection, as ``principal`` may.

    Raises
    ------
    ProjectNotFoundError
        No project of the pipeline has this id.
    """
    project = investment.show_project(project_id, pipeline=pipeline)
    shown = may_see_financials(project, principal)
    versions: list[VersionRow] = []
    previous: ProjectOut | None = None
    for v in investment.project_history(project_id, pipeline=pipeline):
        out = project_out(v.project, principal)
        versions.append(
            VersionRow(
                version=v.version,
                action=v.action,
                recorded_at=v.recorded_at,
                recorded_by=v.recorded_by,
                changed=changed_fields(previous, out),
                project=out,
            )
        )
        previous = out
    verdicts = funding_verdicts(project, principal)
    if shown:
        accounts.read_confidential(
            principal, f"project {project_id} page", {"financials": True}, ip=ip
        )
    return ProjectPageOut(
        project=project_out(project, principal),
        versions=versions,
        funding=verdicts,
        eligible=[v.instrument_id for v in verdicts if v.eligible],
        catalogue_version=verdicts[0].catalogue_version if verdicts else "",
        example_catalogue=any(v.example for v in verdicts),
        selection=_selection(project, pipeline, shown),
    )
