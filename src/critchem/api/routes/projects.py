"""``/projects``, ``/capacity/gaps``, ``/production/sites`` and ``/funding/optimise``.

Projects are public except their financials (``capex_meur``, ``funding_gap_meur``), shown to
the owner organisation, the promoters and the secretariat only; production capacities are
shown to their owning organisation and the secretariat, and totals of fewer than three
companies are withheld. Every answer that shows confidential figures is written to the
audit log (action ``read_confidential``). Members submit projects for their organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from critchem.accounts import Accounts, Principal
from critchem.accounts.disclosure import MIN_COMPANIES
from critchem.api.deps import SettingsDep
from critchem.api.problems import FieldError, problem_response
from critchem.api.schemas import MAX_PAGE, Page
from critchem.api.security import AccountsDep, Analyst, PrincipalDep, client_ip, require_role
from critchem.core.errors import PermissionDeniedError, ProjectValidationError
from critchem.core.settings import Settings
from critchem.investment import InstrumentVerdict, Status, parse_project
from critchem.investment.pipeline import PipelineLocation
from critchem.investment.portfolio.solution import Solution
from critchem.investment.projects import (
    ID_PATTERN,
    NUTS2_PATTERN,
    Label,
    MoleculeCapacity,
    Project,
    Promoter,
    member_state_codes,
    molecule_ids,
)
from critchem.services import gaps as gaps_service
from critchem.services import investment
from critchem.services.gaps import CapacityGapsOut
from critchem.services.investment import ProjectOut, project_out
from critchem.services.pipeline_table import PipelineTableOut, released_table
from critchem.services.production import MoleculeProductionOut, molecule_production
from critchem.services.project_views import funding_verdicts, matches, may_see_financials

router = APIRouter(tags=["investment"])

Member = Annotated[Principal, Depends(require_role("member"))]
ProjectId = Annotated[str, Path(min_length=1, max_length=64, description="Project id.")]


def _pipeline(settings: Settings) -> PipelineLocation:
    return investment.default_pipeline_path(settings)


def _audit(
    accounts: Accounts,
    principal: Principal,
    request: Request,
    resource: str,
    detail: dict[str, Any],
) -> None:
    """Record a read that showed confidential figures."""
    accounts.read_confidential(principal, resource, detail, ip=client_ip(request))


def _one_of(codes: Callable[[], list[str]], what: str) -> Callable[[str], str]:
    """A validator that keeps ``value`` only if ``codes()`` lists it."""

    def check(value: str) -> str:
        if value not in codes():
            raise ValueError(f"{value!r} is not {what}")
        return value

    return check


def _enum_of(codes: Callable[[], list[str]]) -> Callable[[dict[str, Any]], None]:
    """Write ``codes()`` as the schema's ``enum`` when the OpenAPI document is built."""

    def extra(schema: dict[str, Any]) -> None:
        schema["enum"] = codes()

    return extra


MemberState = Annotated[
    str,
    AfterValidator(_one_of(member_state_codes, "the ISO alpha-2 code of a Member State")),
    Field(
        json_schema_extra=_enum_of(member_state_codes),
        description="ISO alpha-2 code of a Member State (Greece: GR).",
    ),
]
"""A Member State as the project validator stores it; the list is read from the data."""

RegistryMolecule = Annotated[
    str,
    AfterValidator(_one_of(molecule_ids, "a molecule of the registry")),
    Field(json_schema_extra=_enum_of(molecule_ids), description="Molecule id of the registry."),
]

ProjectIdIn = Annotated[str, Field(pattern=ID_PATTERN, description="Project id.")]


def _as(model: type[BaseModel], name: str) -> Any:
    """The field ``name`` of the validator's ``model``, so both carry the same bounds."""
    return model.model_fields[name]


class PromoterIn(BaseModel):
    """A promoter organisation and its Member State (ISO2)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, _as(Promoter, "name")]
    country: MemberState


class MoleculeIn(BaseModel):
    """A molecule of the registry and the planned capacity (t/year)."""

    model_config = ConfigDict(extra="forbid")

    molecule: RegistryMolecule
    capacity_t_per_year: Annotated[float, _as(MoleculeCapacity, "capacity_t_per_year")]


class ProjectIn(BaseModel):
    """A project to submit; the owner organisation is the submitter's.

    The bounds are those of :class:`critchem.investment.projects.Project`. What the schema
    cannot say is checked on submission, a 422 naming the field: ``nuts2`` must be a region
    of ``country``, ``funding_gap_meur`` at most ``capex_meur``, each molecule listed once.
    """

    model_config = ConfigDict(extra="forbid")

    id: ProjectIdIn
    title: Annotated[str, _as(Project, "title")]
    promoters: Annotated[list[PromoterIn], Field(min_length=1)]
    country: MemberState
    nuts2: Annotated[
        str, Field(pattern=NUTS2_PATTERN, description="NUTS2 region of `country`, e.g. DEA1.")
    ]
    site: Annotated[str, _as(Project, "site")]
    molecules: Annotated[list[MoleculeIn], Field(min_length=1)]
    status: Status
    start_year: Annotated[int, _as(Project, "start_year")]
    capex_meur: Annotated[float, _as(Project, "capex_meur")]
    funding_gap_meur: Annotated[float, _as(Project, "funding_gap_meur")]
    trl: Annotated[int, _as(Project, "trl")]
    ghg_avoided_10y_tco2e: Annotated[float, _as(Project, "ghg_avoided_10y_tco2e")]
    labels: list[Label] = []


class VersionOut(BaseModel):
    """One stored version of a project, as the principal may see it."""

    id: str
    version: int
    action: str
    recorded_at: str
    recorded_by: str
    project: ProjectOut


@router.get("/projects", response_model=Page[ProjectOut], summary="List projects")
def list_projects(
    settings: SettingsDep,
    principal: PrincipalDep,
    accounts: AccountsDep,
    request: Request,
    country: Annotated[str | None, Query(max_length=2, description="ISO2 code.")] = None,
    molecule: Annotated[str | None, Query(max_length=100, description="Molecule id.")] = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> Page[ProjectOut]:
    """Projects matching every filter, by id; financials only where the principal may see them."""
    rows = [
        p
        for p in investment.list_projects(pipeline=_pipeline(settings))
        if matches(p, country, molecule, status)
    ]
    rows.sort(key=lambda p: p.id)
    page = [project_out(p, principal) for p in rows[offset : offset + limit]]
    shown = [p.id for p in page if p.financials_visible]
    if shown:
        _audit(accounts, principal, request, "projects", {"financials_of": shown})
    return Page[ProjectOut](items=page, total=len(rows), limit=limit, offset=offset)


@router.post("/projects", response_model=ProjectOut, status_code=201, summary="Submit a project")
def submit_project(
    body: ProjectIn,
    settings: SettingsDep,
    member: Member,
    accounts: AccountsDep,
    request: Request,
) -> ProjectOut | JSONResponse:
    """Add a project to the pipeline (member role), owned by the submitter's organisation."""
    if not member.organisation:
        raise PermissionDeniedError(
            f"user {member.username!r} belongs to no organisation; an administrator must set one"
        )
    data = {**body.model_dump(mode="json"), "owner_org": member.organisation}
    try:
        project = parse_project(data)
    except ProjectValidationError as exc:
        error = FieldError(loc=["body", exc.field or "project"], msg=str(exc), type="value_error")
        return problem_response(request, 422, "invalid-project", str(exc), errors=[error])
    investment.open_pipeline(_pipeline(settings)).add(project, by=member.actor)
    accounts.audit(member.actor, "project_submit", f"project {project.id}", ip=client_ip(request))
    return project_out(project, member)


@router.get(
    "/pipeline/table",
    response_model=PipelineTableOut,
    summary="Capex and funding gap by country and molecule",
)
def pipeline_table(
    settings: SettingsDep, principal: PrincipalDep, accounts: AccountsDep, request: Request
) -> PipelineTableOut:
    """The pipeline's money by country x molecule with margins, as of the last release.

    Cells are withheld (null, with the reason) by the primary rules, the change since the
    previous release, and secondary suppression, so that no withheld cell can be derived
    from the row and column totals. The secretariat sees the live pipeline.
    """
    table = released_table(principal, pipeline=_pipeline(settings))
    small = [
        f"{c.country}/{c.molecule}"
        for c in table.cells
        if c.capex_meur is not None and 0 < c.companies < MIN_COMPANIES
    ]
    if small:
        _audit(accounts, principal, request, "pipeline table", {"small_cells": small})
    return table


@router.get("/projects/{project_id}", response_model=ProjectOut, summary="Show one project")
def show_project(
    project_id: ProjectId,
    settings: SettingsDep,
    principal: PrincipalDep,
    accounts: AccountsDep,
    request: Request,
) -> ProjectOut:
    """The current version of one project."""
    out = project_out(investment.show_project(project_id, pipeline=_pipeline(settings)), principal)
    if out.financials_visible:
        _audit(accounts, principal, request, f"project {project_id}", {"financials": True})
    return out


@router.get(
    "/projects/{project_id}/history",
    response_model=list[VersionOut],
    summary="Every version of one project",
)
def project_history(
    project_id: ProjectId,
    settings: SettingsDep,
    principal: PrincipalDep,
    accounts: AccountsDep,
    request: Request,
) -> list[VersionOut]:
    """Every stored version, oldest first; financials as the current owner allows."""
    versions = investment.project_history(project_id, pipeline=_pipeline(settings))
    out = [
        VersionOut(
            id=v.id,
            version=v.version,
            action=v.action,
            recorded_at=v.recorded_at.isoformat(),
            recorded_by=v.recorded_by,
            project=project_out(v.project, principal),
        )
        for v in versions
    ]
    if any(v.project.financials_visible for v in out):
        _audit(accounts, principal, request, f"project {project_id} history", {"financials": True})
    return out


@router.get(
    "/projects/{project_id}/eligibility",
    response_model=list[InstrumentVerdict],
    summary="Which instruments fit a project",
)
def project_eligibility(
    project_id: ProjectId,
    settings: SettingsDep,
    principal: PrincipalDep,
    accounts: AccountsDep,
    request: Request,
) -> list[InstrumentVerdict]:
    """Every instrument's verdict: eligible ones with the most they may give, refusals with rule.

    The maximum amounts derive from the project's costs and funding gap, so they are shown
    only to those who may see its financials (``max_amount_meur`` null otherwise).
    """
    project = investment.show_project(project_id, pipeline=_pipeline(settings))
    verdicts = funding_verdicts(project, principal)
    if may_see_financials(project, principal):
        _audit(accounts, principal, request, f"project {project_id} eligibility", {})
    return verdicts


@router.get("/capacity/gaps", response_model=CapacityGapsOut, summary="Capacity gaps")
def capacity_gaps(
    settings: SettingsDep,
    principal: PrincipalDep,
    accounts: AccountsDep,
    request: Request,
    selected: Annotated[
        list[str] | None,
        Query(max_length=500, description="Project ids (repeat); default: the selection."),
    ] = None,
) -> CapacityGapsOut:
    """EU demand against capacity per critical molecule, now and after the selected projects."""
    projects = investment.list_projects(pipeline=_pipeline(settings))
    out = gaps_service.capacity_gaps(
        selected, principal, projects=projects, store_root=settings.store
    )
    if principal.username is not None:
        _audit(accounts, principal, request, "capacity gaps", {"selected": out.selected})
    return out


@router.get("/production/sites", response_model=MoleculeProductionOut, summary="Production sites")
def production_sites(
    principal: PrincipalDep,
    accounts: AccountsDep,
    request: Request,
    molecule: Annotated[str, Query(min_length=1, max_length=100, description="Molecule id.")],
) -> MoleculeProductionOut:
    """The EU sites of a molecule; capacities visible to their owner and the secretariat."""
    out = molecule_production(molecule, principal)
    if out.disclosed:
        _audit(accounts, principal, request, f"production {molecule}", {"sites": out.disclosed})
    return out


class OptimiseIn(BaseModel):
    """What to optimise, and an optional what-if scenario."""

    model_config = ConfigDict(extra="forbid")

    objective: Literal["gap", "ghg", "score", "shortfall"] = "gap"
    budget_scale: dict[str, float] = Field(
        default_factory=dict, description="Budget multiplier by instrument id ('*' for all)."
    )
    drop: list[ProjectIdIn] = Field(
        default_factory=list,
        description="Projects that drop out; an id that is no candidate is a 400 naming the "
        "closest ids.",
    )
    time_limit: float = Field(default=30.0, gt=0, le=120)


class SolutionOut(BaseModel):
    """One solve: status, objective, optimality gap, chosen projects and the allocations."""

    solver: str
    status: str
    objective: float | None
    gap: float | None
    seconds: float
    selected: list[str]
    allocations: list[dict[str, Any]] = Field(
        description="Project, instrument, amount (M€), for the projects whose financials the "
        "principal may see."
    )


class OptimiseOut(BaseModel):
    """The optimised portfolio and the greedy baseline."""

    config_version: str
    example: bool
    optimum: SolutionOut
    greedy: SolutionOut
    what_if_objective_change_pct: float | None


def _solution(solution: Solution, visible_ids: set[str]) -> SolutionOut:
    return SolutionOut(
        solver=solution.solver,
        status=solution.status,
        objective=solution.objective,
        gap=solution.gap,
        seconds=solution.seconds,
        selected=list(solution.selected),
        allocations=[
            {
                "project_id": a.project_id,
                "instrument_id": a.instrument_id,
                "amount_meur": a.amount_meur,
            }
            for a in solution.allocations
            if a.project_id in visible_ids
        ],
    )


@router.post("/funding/optimise", response_model=OptimiseOut, summary="Optimise the portfolio")
def optimise(
    body: OptimiseIn,
    settings: SettingsDep,
    analyst: Analyst,
    accounts: AccountsDep,
    request: Request,
) -> OptimiseOut:
    """Choose projects and split funding across instruments (analyst role), with HiGHS."""
    pipeline = _pipeline(settings)
    run = investment.optimise_portfolio(
        objective=body.objective,
        budget_scale=body.budget_scale,
        drop=body.drop,
        time_limit=body.time_limit,
        pipeline=pipeline,
    )
    visible_ids = {
        p.id for p in investment.list_projects(pipeline=pipeline) if may_see_financials(p, analyst)
    }
    _audit(accounts, analyst, request, "funding optimise", {"objective": body.objective})
    change = run.comparison.objective_change_pct if run.comparison is not None else None
    return OptimiseOut(
        config_version=run.config_version,
        example=run.example,
        optimum=_solution(run.optimum, visible_ids),
        greedy=_solution(run.greedy, visible_ids),
        what_if_objective_change_pct=change,
    )
