"""Investment services shared by the CLI and the API: pipeline, eligibility, selection."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from critchem.core.errors import PortfolioError
from critchem.core.settings import Settings
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
from critchem.investment.pipeline import PipelineLocation
from critchem.investment.portfolio import (
    Comparison,
    Objective,
    PortfolioProblem,
    Scenario,
    Solution,
    apply,
    build_problem,
    compare,
    greedy,
    solve,
)
from critchem.investment.portfolio import load_config as load_portfolio_config
from critchem.services.project_views import PipelineAggregateOut as PipelineAggregateOut
from critchem.services.project_views import ProjectOut as ProjectOut
from critchem.services.project_views import pipeline_aggregates as pipeline_aggregates
from critchem.services.project_views import project_out as project_out


def default_pipeline_path(settings: Settings | None = None) -> PipelineLocation:
    """Where the pipeline lives: the service's database (``database_url``), with the alerts."""
    return (settings or Settings()).database_url


def open_pipeline(path: PipelineLocation | None = None) -> Pipeline:
    """The pipeline at ``path`` (a SQLite file or a database URL; default: the service's)."""
    return Pipeline(path or default_pipeline_path())


def import_projects(
    file: Path, *, pipeline: PipelineLocation | None = None, by: str = ""
) -> ImportReport:
    """Import a CSV or Excel file into the pipeline; bad rows are reported, not stored."""
    return import_file(open_pipeline(pipeline), file, by=by)


def export_projects(file: Path, *, pipeline: PipelineLocation | None = None) -> int:
    """Export the current projects to a CSV or Excel file; returns the row count."""
    return export_file(open_pipeline(pipeline).current(), file)


def list_projects(*, pipeline: PipelineLocation | None = None) -> list[Project]:
    """The current version of every project."""
    return open_pipeline(pipeline).current()


def release_pipeline(*, pipeline: PipelineLocation | None = None, by: str) -> datetime:
    """Record a release point: published aggregates show the pipeline as of now."""
    return open_pipeline(pipeline).release(by=by)


def released_projects(
    *, pipeline: PipelineLocation | None = None
) -> tuple[list[Project], list[Project] | None, datetime | None]:
    """The projects as of the last release, as of the one before (``None``: first), and when.

    Before any release, nothing is published: both lists are empty and the time is ``None``.
    """
    store = open_pipeline(pipeline)
    points = store.releases()
    if not points:
        return [], None, None
    previous = store.as_of(points[-2]) if len(points) > 1 else None
    return store.as_of(points[-1]), previous, points[-1]


def show_project(project_id: str, *, pipeline: PipelineLocation | None = None) -> Project:
    """The current version of one project."""
    return open_pipeline(pipeline).get(project_id)


def project_history(
    project_id: str, *, pipeline: PipelineLocation | None = None
) -> list[ProjectVersion]:
    """Every stored version of one project."""
    return open_pipeline(pipeline).history(project_id)


def project_eligibility(
    project_id: str,
    *,
    pipeline: PipelineLocation | None = None,
    relevant_costs_meur: float | None = None,
) -> list[InstrumentVerdict]:
    """Every instrument's verdict for one project, with maximum amounts and refusals."""
    project = open_pipeline(pipeline).get(project_id)
    return eligible_instruments(project, load_catalogue(), relevant_costs_meur=relevant_costs_meur)


def select_projects(
    *, pipeline: PipelineLocation | None = None, critical: list[str] | None = None
) -> list[SelectionResult]:
    """Gate and score every project of the pipeline, ranked."""
    return select(open_pipeline(pipeline).current(), critical=critical)


@dataclass(frozen=True, slots=True)
class PortfolioRun:
    """An optimised portfolio, the greedy baseline and, when asked, a what-if comparison."""

    problem: PortfolioProblem
    config_version: str
    example: bool
    optimum: Solution
    greedy: Solution
    comparison: Comparison | None


def portfolio_problem(
    *,
    objective: str = "gap",
    weights: Mapping[str, float] | None = None,
    all_projects: bool = False,
    pipeline: PipelineLocation | None = None,
) -> PortfolioProblem:
    """The portfolio problem of the pipeline over the catalogue with the shipped budgets.

    Candidates are the projects the two-stage selection retains (every project with
    ``all_projects``); their selection totals are the scores of the ``score`` objective.

    Raises
    ------
    PortfolioError
        ``objective`` is not one of :class:`Objective`.
    """
    try:
        goal = Objective(objective)
    except ValueError:
        known = ", ".join(o.value for o in Objective)
        raise PortfolioError(f"unknown objective {objective!r}; known: {known}") from None
    projects = open_pipeline(pipeline).current()
    results = select(projects)
    scores = {r.project_id: r.total or 0.0 for r in results}
    if not all_projects:
        kept = {r.project_id for r in results if r.selected}
        projects = [p for p in projects if p.id in kept]
    config = load_portfolio_config()
    shortfalls = None
    if goal is Objective.shortfall:
        from critchem.services.investment_ground import shortfalls_2030

        shortfalls = shortfalls_2030({m.molecule for p in projects for m in p.molecules})
    return build_problem(
        projects,
        load_catalogue(),
        objective=goal,
        budgets_meur=config.budgets_meur,
        min_tickets_meur=config.min_tickets_meur,
        weights=weights,
        scores=scores,
        balance=config.balance.to_balance(),
        shortfalls=shortfalls,
    )


def optimise_portfolio(
    *,
    objective: str = "gap",
    budget_scale: Mapping[str, float] | None = None,
    drop: Sequence[str] = (),
    time_limit: float = 60.0,
    weights: Mapping[str, float] | None = None,
    all_projects: bool = False,
    pipeline: PipelineLocation | None = None,
) -> PortfolioRun:
    """Optimise the pipeline's portfolio over the catalogue with the shipped budgets.

    The problem is :func:`portfolio_problem`'s, solved by :func:`run_portfolio`: a scenario
    (budgets scaled by instrument, ``*`` for all; projects dropped) is solved too and compared
    with the base.
    """
    problem = portfolio_problem(
        objective=objective, weights=weights, all_projects=all_projects, pipeline=pipeline
    )
    return run_portfolio(problem, budget_scale=budget_scale, drop=drop, time_limit=time_limit)


def run_portfolio(
    problem: PortfolioProblem,
    *,
    budget_scale: Mapping[str, float] | None = None,
    drop: Sequence[str] = (),
    time_limit: float = 60.0,
) -> PortfolioRun:
    """Solve ``problem``, its greedy baseline and, when it changes anything, the scenario.

    The scenario scales budgets by instrument (``*`` for all) and drops projects; it is
    compared with the base. Each solve runs in its own process.
    """
    config = load_portfolio_config()
    scenario = Scenario(name="what-if", budget_scale=dict(budget_scale or {}), drop=tuple(drop))
    changed = apply(problem, scenario) if not scenario.empty else None
    optimum = solve(problem, time_limit=time_limit)
    comparison = None
    if changed is not None:
        comparison = compare(scenario, optimum, solve(changed, time_limit=time_limit))
    return PortfolioRun(
        problem=problem,
        config_version=config.version,
        example=config.example,
        optimum=optimum,
        greedy=greedy(problem),
        comparison=comparison,
    )
