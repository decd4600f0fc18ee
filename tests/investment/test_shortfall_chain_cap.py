"""The shortfall objective counts each chain up to its shortfall: no double counting.

Hand-solved instance (budget 100 M€, one fund; every project asks its whole gap):

* ammonia shortfall 400,000 t/yr; chlorine shortfall 100,000 t/yr.
* a: ammonia 300,000 t, gap 40 -> alone 0.75 of the ammonia chain.
* b: ammonia 250,000 t, gap 40 -> alone 0.625.
* c: chlorine 60,000 t, gap 40 -> alone 0.60 of the chlorine chain.

Valuing each project alone, {a, b} would score 0.75 + 0.625 = 1.375 > 1, more than the
whole ammonia shortfall, and beat {a, c} = 1.35. Capped per chain, {a, b} closes
min(550,000, 400,000) / 400,000 = 1.0, and {a, c} closes 0.75 + 0.60 = 1.35: the optimum
is {a, c} with 1.35 (budget 100 allows two of the three).
"""

from __future__ import annotations

import dataclasses

import pytest

from critchem.investment.portfolio import (
    Candidate,
    Fund,
    Objective,
    Offer,
    PortfolioProblem,
    greedy,
    solve_here,
    violations,
)
from critchem.investment.portfolio.objectives import (
    portfolio_shortfall_closed,
    shortfall_closed,
)
from critchem.investment.portfolio.solution import objective_of

SHORTFALLS = {"ammonia": 400_000.0, "chlorine": 100_000.0}


def cand(pid: str, molecule: str, capacity: float) -> Candidate:
    caps = {molecule: capacity}
    return Candidate(
        id=pid,
        country="DE",
        molecules=(molecule,),
        gap_meur=40.0,
        relevant_costs_meur=400.0,
        capacity_value=capacity,
        ghg_tco2e=0.0,
        score=0.0,
        shortfall_value=shortfall_closed(caps, SHORTFALLS),
        capacities=tuple(caps.items()),
    )


def instance() -> PortfolioProblem:
    cands = (cand("a", "ammonia", 300_000), cand("b", "ammonia", 250_000),
             cand("c", "chlorine", 60_000))  # fmt: skip
    return PortfolioProblem(
        objective=Objective.shortfall,
        candidates=cands,
        funds=(Fund("F", 100.0, False),),
        offers=tuple(Offer(c.id, "F", 40.0) for c in cands),
        shortfalls=tuple(sorted(SHORTFALLS.items())),
    )


def test_two_projects_together_exceeding_the_shortfall_count_it_once() -> None:
    prob = instance()
    assert objective_of(prob, ("a", "b")) == pytest.approx(1.0)
    uncapped = sum(c.shortfall_value for c in prob.candidates if c.id in ("a", "b"))
    assert uncapped == pytest.approx(1.375)
    assert objective_of(prob, ("a", "c")) == pytest.approx(1.35)


def test_the_optimum_serves_another_chain_instead_of_overfilling_one() -> None:
    sol = solve_here(instance(), time_limit=10)
    assert sol.status == "optimal"
    assert set(sol.selected) == {"a", "c"}
    assert sol.objective == pytest.approx(1.35)
    assert violations(instance(), sol) == []


def test_without_chain_shortfalls_each_project_counts_alone() -> None:
    """The former behaviour, kept when no shortfalls are given: {a, b} at 1.375 wins."""
    prob = dataclasses.replace(instance(), shortfalls=())
    sol = solve_here(prob, time_limit=10)
    assert set(sol.selected) == {"a", "b"} and sol.objective == pytest.approx(1.375)


def test_greedy_skips_a_chain_already_closed() -> None:
    """Ranked a (0.75/40), b (0.625/40), c (0.60/40): after a, b still adds 0.25, so greedy
    takes {a, b} = 1.0; it never reports more than the capped value."""
    sol = greedy(instance())
    assert sol.objective == pytest.approx(objective_of(instance(), sol.selected))
    assert sol.objective is not None and sol.objective <= 1.35 + 1e-9
    full = dataclasses.replace(
        instance(),
        candidates=(*instance().candidates, cand("d", "ammonia", 500_000)),
        offers=(*instance().offers, Offer("d", "F", 40.0)),
        funds=(Fund("F", 120.0, False),),
    )
    # d alone closes ammonia (1.0): a and b then add nothing and are skipped; c is taken
    chosen = greedy(full).selected
    assert chosen == ("d", "c")


def test_portfolio_value_is_capped_per_chain() -> None:
    assert portfolio_shortfall_closed([{"ammonia": 1e9}], SHORTFALLS) == 1.0
    assert portfolio_shortfall_closed([{"nmp": 5.0}], SHORTFALLS) == 0.0


def test_the_greedy_portfolio_is_feasible_for_the_programme() -> None:
    """The greedy portfolio's variable values satisfy every row of the programme, so it is
    a valid fallback (and start); a solve never returns less than the greedy one."""
    from critchem.investment.portfolio.model import build_model
    from critchem.investment.portfolio.solve import start_values

    prob = instance()
    model = build_model(prob)
    values = start_values(model, prob, greedy(prob))
    for name, row in model.lp.constraints.items():
        total = sum(coef * values.get(var.name, 0.0) for var, coef in row.items())
        lhs = total + row.constant
        assert (
            lhs <= 1e-9 if row.sense == -1 else lhs >= -1e-9 if row.sense == 1 else abs(lhs) < 1e-9
        ), name
    sol = solve_here(prob, time_limit=10)
    assert (sol.objective or 0.0) >= (greedy(prob).objective or 0.0) - 1e-9
