"""What the funding page of the dashboard shows: an optimisation run and its what-if.

Running needs the analyst role. The awards of a project derive from its funding gap, so each
project's awards are shown only to those who may see its financials (as the API does); the
money per instrument and in total is an aggregate over the awarded projects' companies and is
withheld when fewer than three companies received it, unless the reader may see every
award of it. Every solve runs in its own process, stopped after ``TIME_LIMIT_S`` seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from critchem.accounts import Accounts, Principal
from critchem.accounts.disclosure import MIN_COMPANIES, suppress_small_aggregates
from critchem.accounts.roles import at_least
from critchem.core.errors import AuthenticationError, PermissionDeniedError, PortfolioError
from critchem.investment import Project, load_catalogue
from critchem.investment.pipeline import PipelineLocation
from critchem.investment.portfolio import Objective, PortfolioProblem, Solution, load_config
from critchem.investment.portfolio.whatif import ALL
from critchem.services import investment
from critchem.services.project_views import may_see_financials
from critchem.web.pages.project_pages import EMPTY_PIPELINE

TIME_LIMIT_S = 10.0
"""Seconds each solve of the page may take (the CLI and the API allow longer)."""
MAX_SCALE = 10.0
"""The largest budget factor the form accepts."""
UNITS = {
    "gap": "t/year of criticality-weighted capacity added",
    "ghg": "tCO2e avoided over 10 years",
    "score": "selection points",
}


class _Page(BaseModel):
    model_config = ConfigDict(frozen=True)


@dataclass(frozen=True, slots=True)
class FundingRequest:
    """What to optimise: the objective, budget factors by instrument (``*``: all), drops."""

    objective: str = "gap"
    budget_scale: Mapping[str, float] | None = None
    drop: tuple[str, ...] = ()


def _factor(field: str, text: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise PortfolioError(f"{field} is {text!r}: expected a number such as 0.5") from None
    if not 0 <= value <= MAX_SCALE:
        raise PortfolioError(f"{field} is {value:g}: must be between 0 and {MAX_SCALE:g}")
    return value


def parse_form(fields: Mapping[str, Sequence[str]]) -> FundingRequest:
    """The request of the page's form: ``objective``, ``scale:<id>`` (``scale:*``), ``drop``.

    An empty instrument factor follows the all-instruments factor; factors of 1 everywhere
    and no drop mean no what-if.

    >>> r = parse_form({"objective": ["ghg"], "scale:*": ["1"], "scale:ipcei": ["0.5"],
    ...                 "scale:erdf": [""], "drop": ["EX-010"]})
    >>> r.objective, dict(r.budget_scale or {}), r.drop
    ('ghg', {'ipcei': 0.5}, ('EX-010',))
    """
    objective = (fields.get("objective") or ["gap"])[-1]
    if objective not in {o.value for o in Objective}:
        known = ", ".join(o.value for o in Objective)
        raise PortfolioError(f"objective is {objective!r}: use one of {known}")
    scale: dict[str, float] = {}
    for key, values in fields.items():
        if key.startswith("scale:") and values:
            value = _factor(f"the budget factor of {key[6:]!r}", values[-1])
            if value is not None:
                scale[key[6:]] = value
    if scale.get(ALL) == 1.0:
        del scale[ALL]
    default = scale.get(ALL, 1.0)
    scale = {k: v for k, v in scale.items() if k == ALL or v != default}
    drop = tuple(dict.fromkeys(d for d in fields.get("drop", []) if d))
    return FundingRequest(objective=objective, budget_scale=scale, drop=drop)


class FundOut(_Page):
    """An instrument of the portfolio and its (EXAMPLE) budget."""

    instrument_id: str
    name: str
    budget_meur: float


class CandidateOut(_Page):
    """A candidate project and what funding it adds to each objective."""

    project_id: str
    title: str
    country: str
    molecules: list[str]
    capacity_value: float
    ghg_tco2e: float
    score: float
    project_source: str = "real"
    """``illustrative`` for a fictitious example project."""


class AwardOut(_Page):
    """Money one project receives from one instrument (M€)."""

    project_id: str
    instrument_id: str
    amount_meur: float


class UseOut(_Page):
    """The money one portfolio awards from one instrument; ``None`` when withheld."""

    awarded_meur: float | None
    projects: int
    companies: int
    suppressed: bool


class PortfolioOut(_Page):
    """One solve: status, objective, bound and optimality gap, projects, visible awards."""

    name: str
    solver: str
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    time_limit: float | None
    selected: list[str]
    awards: list[AwardOut]
    awards_hidden: int
    hidden_for: list[str]
    public: UseOut
    message: str
    returned: str = "solver"
    reason: str = ""


class InstrumentRow(_Page):
    """One instrument: its budget in the base and the what-if, and what each awards."""

    instrument_id: str
    name: str
    budget_meur: float
    what_if_budget_meur: float | None
    base: UseOut
    what_if: UseOut | None


class ComparisonOut(_Page):
    """The what-if against the base: projects that entered and left, objective change."""

    budget_scale: dict[str, float]
    drop: list[str]
    entered: list[str]
    left: list[str]
    objective_change: float | None
    objective_change_pct: float | None


class FundingFormOut(_Page):
    """The choices of the form: objectives, instruments and budgets, candidate projects."""

    objectives: dict[str, str]
    time_limit_s: float
    config_version: str
    example: bool
    budget_source: str = "real"
    """``illustrative`` when the budgets are the shipped EXAMPLE budgets."""
    instruments: list[FundOut]
    candidates: list[CandidateOut]
    notes: list[str]


class FundingPageOut(_Page):
    """The funding page: the form's choices and, after a run, the portfolios side by side."""

    form: FundingFormOut
    objective: str | None = None
    budget_scale: dict[str, float] = {}
    drop: list[str] = []
    base: PortfolioOut | None = None
    what_if: PortfolioOut | None = None
    greedy: PortfolioOut | None = None
    comparison: ComparisonOut | None = None
    by_instrument: list[InstrumentRow] = []
    message: str | None = None


def require_analyst(principal: Principal) -> None:
    """Refuse anyone below the analyst role.

    Raises
    ------
    AuthenticationError
        Nobody is signed in.
    PermissionDeniedError
        The signed-in user's role is below analyst.
    """
    if principal.username is None:
        raise AuthenticationError("running an optimisation needs a signed-in analyst: sign in")
    if not at_least(principal.role, "analyst"):
        raise PermissionDeniedError(
            f"running an optimisation needs the analyst role; {principal.username!r} is a "
            f"{principal.role}"
        )


def _use(
    solution: Solution,
    owners: Mapping[str, Project],
    principal: Principal,
    instrument: str | None,
) -> UseOut:
    rows = [a for a in solution.allocations if instrument is None or a.instrument_id == instrument]
    companies = {owners[a.project_id].owner_org.casefold() for a in rows}
    if all(may_see_financials(owners[a.project_id], principal) for a in rows):
        total = float(sum(a.amount_meur for a in rows))
        return UseOut(awarded_meur=total, projects=len({a.project_id for a in rows}),
                      companies=len(companies), suppressed=False)  # fmt: skip
    contributions = [(owners[a.project_id].owner_org.casefold(), a.amount_meur) for a in rows]
    agg = suppress_small_aggregates({"all": contributions}, MIN_COMPANIES)["all"]
    return UseOut(awarded_meur=agg.value, projects=len({a.project_id for a in rows}),
                  companies=agg.companies, suppressed=agg.suppressed)  # fmt: skip


def _portfolio(
    name: str, solution: Solution, owners: Mapping[str, Project], principal: Principal
) -> PortfolioOut:
    shown = [a for a in solution.allocations if may_see_financials(owners[a.project_id], principal)]
    return PortfolioOut(
        name=name,
        solver=solution.solver,
        status=solution.status,
        objective=solution.objective,
        bound=solution.bound,
        gap=solution.gap,
        seconds=solution.seconds,
        time_limit=solution.time_limit,
        selected=sorted(solution.selected),
        awards=[
            AwardOut(
                project_id=a.project_id, instrument_id=a.instrument_id, amount_meur=a.amount_meur
            )
            for a in sorted(shown, key=lambda a: (a.project_id, a.instrument_id))
        ],
        awards_hidden=len(solution.allocations) - len(shown),
        hidden_for=sorted(
            {a.project_id for a in solution.allocations} - {a.project_id for a in shown}
        ),
        public=_use(solution, owners, principal, None),
        message=solution.message,
        returned=solution.returned,
        reason=solution.reason,
    )


def _names() -> dict[str, str]:
    return {i.id: i.name for i in load_catalogue().instruments}


def _form(problem: PortfolioProblem, projects: Mapping[str, Project]) -> FundingFormOut:
    names = _names()
    config = load_config()
    return FundingFormOut(
        objectives=UNITS,
        time_limit_s=TIME_LIMIT_S,
        config_version=config.version,
        example=config.example,
        budget_source="illustrative" if config.example else "real",
        instruments=[
            FundOut(instrument_id=f.id, name=names.get(f.id, f.id), budget_meur=f.budget_meur)
            for f in problem.funds
        ],
        candidates=[
            CandidateOut(
                project_id=c.id,
                title=projects[c.id].title,
                country=c.country,
                molecules=list(c.molecules),
                capacity_value=c.capacity_value,
                ghg_tco2e=c.ghg_tco2e,
                score=c.score,
                project_source=projects[c.id].source,
            )
            for c in sorted(problem.candidates, key=lambda c: c.id)
        ],
        notes=list(problem.notes),
    )


def funding_page(
    principal: Principal,
    *,
    pipeline: PipelineLocation,
    accounts: Accounts,
    request: FundingRequest | None = None,
    ip: str | None = None,
) -> FundingPageOut:
    """The form's choices and, when ``request`` is given, the optimised portfolios (analyst).

    Raises
    ------
    AuthenticationError, PermissionDeniedError
        A run asked by someone below the analyst role.
    PortfolioError
        A budget factor names an unknown instrument, or a dropped project is no candidate.
    """
    if request is not None:
        require_analyst(principal)
    projects = {p.id: p for p in investment.list_projects(pipeline=pipeline)}
    objective = request.objective if request is not None else "gap"
    problem = investment.portfolio_problem(objective=objective, pipeline=pipeline)
    form = _form(problem, projects)
    if request is None:
        return FundingPageOut(form=form, message=None if projects else EMPTY_PIPELINE)
    run = investment.run_portfolio(
        problem, budget_scale=request.budget_scale, drop=request.drop, time_limit=TIME_LIMIT_S
    )
    accounts.read_confidential(
        principal,
        "funding page",
        {"objective": objective, "budget_scale": dict(request.budget_scale or {}),
         "drop": list(request.drop)},
        ip=ip,
    )  # fmt: skip
    cmp = run.comparison
    other = cmp.other if cmp is not None else None
    scale = dict(request.budget_scale or {})
    names = _names()
    rows = []
    for fund in problem.funds:
        factor = scale.get(fund.id, scale.get(ALL, 1.0))
        rows.append(
            InstrumentRow(
                instrument_id=fund.id,
                name=names.get(fund.id, fund.id),
                budget_meur=fund.budget_meur,
                what_if_budget_meur=fund.budget_meur * factor if other is not None else None,
                base=_use(run.optimum, projects, principal, fund.id),
                what_if=_use(other, projects, principal, fund.id) if other is not None else None,
            )
        )
    return FundingPageOut(
        form=form,
        objective=objective,
        budget_scale=scale,
        drop=list(request.drop),
        base=_portfolio("optimum", run.optimum, projects, principal),
        what_if=_portfolio("what-if", other, projects, principal) if other is not None else None,
        greedy=_portfolio("greedy", run.greedy, projects, principal),
        comparison=None
        if cmp is None
        else ComparisonOut(
            budget_scale=scale,
            drop=list(request.drop),
            entered=list(cmp.entered),
            left=list(cmp.left),
            objective_change=cmp.objective_change,
            objective_change_pct=cmp.objective_change_pct,
        ),
        by_instrument=rows,
        message=None
        if other is not None
        else "No what-if: change a budget factor or drop a project to compare with the base.",
    )
