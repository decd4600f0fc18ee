"""Solving: a child process per solve, time limits, CBC beside HiGHS, the greedy baseline,
what-if scenarios."""

from __future__ import annotations

import os
import random

import pytest

from critchem.core.errors import PortfolioError
from critchem.investment.portfolio import (
    Balance,
    Candidate,
    Fund,
    Objective,
    Offer,
    PortfolioProblem,
    Scenario,
    Solution,
    apply,
    compare,
    greedy,
    solve,
    solve_here,
    violations,
)
from critchem.investment.portfolio.solve import _fallback_reason
from tests.investment.test_portfolio_model import knapsack


def random_problem(n: int, seed: int) -> PortfolioProblem:
    """``n`` random projects over four funds carrying every constraint family."""
    rng = random.Random(seed)
    funds = (
        Fund("eu-a", 6 * n, True, min_ticket_meur=8, exclusive_group="eu"),
        Fund("eu-b", 3 * n, True, exclusive_group="eu"),
        Fund("eu-c", 4 * n, True, min_ticket_meur=5),
        Fund("sa", 5 * n, False, min_ticket_meur=5, public_support_cap=0.5),
    )
    cands, offers = [], []
    for i in range(n):
        gap = round(rng.uniform(5, 80), 1)
        cands.append(
            Candidate(
                id=f"p{i:03d}",
                country=rng.choice("ABCD"),
                molecules=tuple(rng.sample(["m1", "m2", "m3", "m4"], rng.randint(1, 2))),
                gap_meur=gap,
                relevant_costs_meur=round(gap * rng.uniform(0.8, 3.0), 1),
                capacity_value=rng.uniform(1e3, 1e5),
                ghg_tco2e=rng.uniform(1e4, 1e6),
                score=rng.uniform(2.5, 5),
            )
        )
        for fund in funds:
            if rng.random() < 0.7:
                offers.append(Offer(f"p{i:03d}", fund.id, round(gap * rng.uniform(0.3, 1.0), 1)))
    return PortfolioProblem(Objective.gap, tuple(cands), funds, tuple(offers), Balance(0.35, 0.45))


@pytest.mark.parametrize("seed", range(8))
def test_greedy_never_beats_the_optimum_and_both_are_feasible(seed: int) -> None:
    prob = random_problem(30, seed)
    best = solve_here(prob, time_limit=20)
    heur = greedy(prob)
    assert best.status == "optimal"
    assert violations(prob, best) == [] and violations(prob, heur) == []
    assert heur.objective is not None and best.objective is not None
    assert heur.objective <= best.objective * (1 + 1e-4) + 1e-6
    assert best.bound is not None and best.objective <= best.bound * (1 + 1e-9) + 1e-6


def test_cbc_finds_the_same_optimum_as_highs() -> None:
    prob = random_problem(25, 11)
    highs, cbc = solve_here(prob, solver="highs"), solve_here(prob, solver="cbc")
    assert highs.status == cbc.status == "optimal"
    assert cbc.objective == pytest.approx(highs.objective, rel=2e-4)
    assert violations(prob, cbc) == []


def test_each_solve_runs_in_its_own_process() -> None:
    sol = solve(knapsack(), time_limit=10)
    assert sol.pid != os.getpid()
    assert sol.status == "optimal" and sol.selected == ("p2", "p3")
    assert sol.objective == pytest.approx(10.0) and sol.gap == pytest.approx(0.0, abs=1e-9)


def _awards_close_each_gap_exactly(prob: PortfolioProblem, sol: Solution) -> None:
    gaps = {c.id: c.gap_meur for c in prob.candidates}
    totals: dict[str, float] = {}
    for a in sol.allocations:
        totals[a.project_id] = totals.get(a.project_id, 0.0) + a.amount_meur
    assert set(totals) == set(sol.selected)
    for pid, total in totals.items():
        assert total == pytest.approx(gaps[pid], abs=1e-9), pid


def test_stopped_early_the_greedy_portfolio_is_returned() -> None:
    """A 0.01 s limit on 300 projects stops HiGHS before it has a portfolio as good as the
    greedy ranking (none at all, or a worse incumbent): the greedy portfolio comes back,
    marked as such, with its awards closing each funding gap exactly."""
    prob = random_problem(300, 3)
    heur = greedy(prob)
    sol = solve_here(prob, time_limit=0.01)
    assert sol.time_limit == 0.01
    assert sol.returned == "greedy"
    assert sol.reason in (
        "solver stopped at the time limit without a portfolio",
        "solver incumbent below the greedy ranking",
    )
    assert sol.status == (
        "heuristic" if sol.reason.endswith("without a portfolio") else "time_limit"
    )
    assert sol.message == f"greedy ranking returned: {sol.reason}"
    assert sol.selected == heur.selected and heur.objective is not None
    assert sol.objective == pytest.approx(heur.objective, rel=1e-12)
    assert (sol.bound is None) == (sol.gap is None)
    assert violations(prob, sol) == []
    _awards_close_each_gap_exactly(prob, sol)


def test_optimal_solver_portfolio_is_returned_and_not_below_greedy() -> None:
    prob = random_problem(40, 5)
    sol = solve_here(prob, time_limit=30)
    heur = greedy(prob)
    assert sol.status == "optimal" and sol.returned == "solver" and sol.reason == ""
    assert sol.message == ""
    assert sol.objective is not None and heur.objective is not None
    assert sol.objective >= heur.objective - 1e-9
    _awards_close_each_gap_exactly(prob, sol)


def test_the_fallback_rule() -> None:
    assert _fallback_reason("optimal", 10.0, 10.0) == ""
    assert _fallback_reason("time_limit", 11.0, 10.0) == ""
    assert _fallback_reason("time_limit", 9.0, 10.0) == "solver incumbent below the greedy ranking"
    assert _fallback_reason("no_solution", None, 10.0) == (
        "solver stopped at the time limit without a portfolio"
    )
    assert _fallback_reason("failed", None, 0.0) == "solver ended (failed) without a portfolio"
    assert _fallback_reason("infeasible", None, 0.0) == ""


def test_the_greedy_start_is_kept_for_measurement() -> None:
    prob = random_problem(30, 2)
    started, plain = solve_here(prob, warm_start=True), solve_here(prob)
    assert started.status == plain.status == "optimal"
    assert started.objective == pytest.approx(plain.objective, rel=2e-4)


def test_bad_solver_and_time_limit_are_refused() -> None:
    with pytest.raises(PortfolioError, match="unknown solver 'glpk'"):
        solve(knapsack(), solver="glpk")
    with pytest.raises(PortfolioError, match="time limit 0"):
        solve_here(knapsack(), time_limit=0)


def test_what_if_budget_scale_and_drop_compared_with_the_base() -> None:
    """Base (budget 100): {p2, p3} = 10.

    Budget × 1.6 = 160: everything (16.6), p1 enters, +6.6 (+66 %), F spends 60 more.
    Dropping p2: p1 (60) + p3 (50) = 110 > 100, so the best is p1 alone = 6.6: p1 enters,
    p2 and p3 leave, −3.4.
    """
    base_problem = knapsack()
    base = solve_here(base_problem)
    up = Scenario(budget_scale={"F": 1.6})
    more = compare(up, base, solve_here(apply(base_problem, up)))
    assert more.entered == ("p1",) and more.left == ()
    assert more.objective_change == pytest.approx(6.6)
    assert more.objective_change_pct == pytest.approx(66.0)
    assert more.budget_change_meur == {"F": pytest.approx(60.0)}
    out = Scenario(drop=("p2",))
    less = compare(out, base, solve_here(apply(base_problem, out)))
    assert less.entered == ("p1",) and less.left == ("p2", "p3")
    assert less.objective_change == pytest.approx(-3.4)
    all_scaled = apply(base_problem, Scenario(budget_scale={"*": 0.5}))
    assert all_scaled.fund("F").budget_meur == 50


def test_what_if_errors_name_the_instrument_or_project() -> None:
    with pytest.raises(PortfolioError, match=r"instrument 'nope'.*known: F"):
        apply(knapsack(), Scenario(budget_scale={"nope": 2}))
    with pytest.raises(PortfolioError, match="cannot drop p9"):
        apply(knapsack(), Scenario(drop=("p9",)))
