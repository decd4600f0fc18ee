"""The demo's investment step: the EXAMPLE pipeline, its optimised portfolio and capacity gaps.

The bundled pipeline (``investment/data/example_pipeline.csv``), the budgets of
``investment/data/portfolio.yaml``, the site capacities and the market balance are all
clearly labelled examples: the step shows the method, not a real allocation.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from critchem.accounts import Principal
from critchem.core.settings import Settings
from critchem.investment.portfolio import Solution
from critchem.services import gaps as gaps_service
from critchem.services.investment import (
    default_pipeline_path,
    import_projects,
    list_projects,
    optimise_portfolio,
    release_pipeline,
)

EXAMPLE_PIPELINE = "example_pipeline.csv"
TIME_LIMIT_S = 30.0
"""Seconds each solve of the demo may take (HiGHS proves the example optimal in well under one)."""
WHAT_IF = {"*": 0.5}
"""The demo's what-if scenario: every instrument's budget halved."""

OPERATOR = Principal(username="demo", role="secretariat", organisation="Alliance secretariat")
"""Who runs the demo on their own machine: they see every figure of the bundled files."""


def example_pipeline_file() -> Path:
    """The path of the bundled EXAMPLE pipeline."""
    return Path(str(resources.files("critchem.investment").joinpath("data", EXAMPLE_PIPELINE)))


def portfolio_summary(name: str, solution: Solution) -> dict[str, Any]:
    """One row per portfolio: solver, status, objective, proven bound and gap, money awarded."""
    return {
        "portfolio": name,
        "solver": solution.solver,
        "status": solution.status,
        "objective": solution.objective,
        "best_bound": solution.bound,
        "gap_pct": None if solution.gap is None else round(100 * solution.gap, 4),
        "seconds": round(solution.seconds, 3),
        "projects": len(solution.selected),
        "public_meur": round(solution.public_meur, 3),
    }


def run_investment_demo(
    settings: Settings, *, say: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Import the example pipeline, optimise its portfolio and read the capacity gaps after it."""
    pipeline = default_pipeline_path(settings)
    report = import_projects(example_pipeline_file(), pipeline=pipeline, by="demo")
    release_pipeline(pipeline=pipeline, by="demo")  # aggregates publish released figures
    say(
        f"EXAMPLE pipeline: read {report.rows_read} = imported {report.imported} "
        f"+ rejected {report.rejected} ({report.added} new, {report.unchanged} unchanged)"
    )
    say("Optimising the EXAMPLE portfolio with HiGHS (each solve in its own process) ...")
    run = optimise_portfolio(objective="gap", budget_scale=WHAT_IF, time_limit=TIME_LIMIT_S,
                             pipeline=pipeline)  # fmt: skip
    comparison = run.comparison
    summaries = [
        portfolio_summary("optimum", run.optimum),
        portfolio_summary("greedy ranking", run.greedy),
    ]
    if comparison is not None:
        summaries.append(portfolio_summary("what-if: budgets halved", comparison.other))
    awards = [
        {"project_id": a.project_id, "instrument": a.instrument_id, "amount_meur": a.amount_meur}
        for a in sorted(run.optimum.allocations, key=lambda a: (a.project_id, a.instrument_id))
    ]
    projects = list_projects(pipeline=pipeline)
    gaps = gaps_service.capacity_gaps(list(run.optimum.selected), OPERATOR, projects=projects)
    map_path = gaps_service.write_gaps_map(
        settings.home / "demo" / "reports" / "capacity-gaps.html", gaps, projects
    )
    return {
        "import": report.model_dump(mode="json"),
        "example": run.example,
        "config_version": run.config_version,
        "portfolios": summaries,
        "awards": awards,
        "what_if": None
        if comparison is None
        else {
            "scenario": "every instrument's budget halved",
            "entered": list(comparison.entered),
            "left": list(comparison.left),
            "objective_change_pct": comparison.objective_change_pct,
        },
        "gaps": gaps.model_dump(mode="json"),
        "gaps_map": str(map_path),
    }
