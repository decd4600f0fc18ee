"""The portfolio programme on hand-solvable instances: every constraint family binding.

Each test builds a tiny problem whose optimum is worked out by hand in its docstring, solves
it in process with HiGHS, and checks the optimum, the awards and that the independent
constraint check finds nothing broken.
"""

from __future__ import annotations

import dataclasses

import pytest

from critchem.investment.portfolio import (
    Balance,
    Candidate,
    Fund,
    Objective,
    Offer,
    PortfolioProblem,
    Solution,
    greedy,
    solve_here,
    violations,
)


def cand(pid: str, gap: float, value: float, **over: object) -> Candidate:
    fields: dict[str, object] = {
        "id": pid,
        "country": "DE",
        "molecules": ("ammonia",),
        "gap_meur": gap,
        "relevant_costs_meur": 10 * gap,
        "capacity_value": value,
        "ghg_tco2e": 0.0,
        "score": 0.0,
    }
    fields.update(over)
    return Candidate(**fields)  # type: ignore[arg-type]


def problem(
    cands: list[Candidate],
    funds: list[Fund],
    offers: list[tuple[str, str, float]],
    balance: Balance | None = None,
) -> PortfolioProblem:
    return PortfolioProblem(
        objective=Objective.gap,
        candidates=tuple(cands),
        funds=tuple(funds),
        offers=tuple(Offer(p, j, m) for p, j, m in offers),
        balance=balance or Balance(),
    )


def run(prob: PortfolioProblem) -> Solution:
    sol = solve_here(prob, time_limit=10)
    assert sol.status == "optimal"
    assert sol.gap is not None and sol.gap <= 1e-4
    assert violations(prob, sol) == []
    return sol


def amounts(sol: Solution) -> dict[tuple[str, str], float]:
    return {(a.project_id, a.instrument_id): a.amount_meur for a in sol.allocations}


def knapsack() -> PortfolioProblem:
    """One fund F, budget 100; p1 gap 60 value 6.6, p2 and p3 gap 50 value 5 each."""
    return problem(
        [cand("p1", 60, 6.6), cand("p2", 50, 5.0), cand("p3", 50, 5.0)],
        [Fund("F", 100, eu_funds=False)],
        [("p1", "F", 60), ("p2", "F", 50), ("p3", "F", 50)],
    )


def test_budget_binds_and_greedy_misses_the_optimum() -> None:
    """Subsets within 100: {p1} 6.6, {p2} 5, {p3} 5, {p2, p3} 10 (p1 with any other: 110).

    Optimum {p2, p3} = 10 using all 100. Greedy by value per M€ takes p1 (0.11/M€) first,
    then neither 50 fits in the 40 left: 6.6.
    """
    prob = knapsack()
    sol = run(prob)
    assert sol.objective == pytest.approx(10.0)
    assert sol.selected == ("p2", "p3")
    assert sol.by_instrument() == {"F": pytest.approx(100.0)}
    heur = greedy(prob)
    assert heur.selected == ("p1",) and heur.objective == pytest.approx(6.6)
    assert violations(prob, heur) == []
    relaxed = dataclasses.replace(prob, funds=(Fund("F", 160, eu_funds=False),))
    assert run(relaxed).objective == pytest.approx(16.6)  # all three: 60 + 50 + 50 = 160


def test_rate_caps_bind_and_a_gap_is_closed_fully_or_not_at_all() -> None:
    """p gap 60: A gives at most 36 (60 % rate), B at most 30 but has budget 20.

    36 + 20 = 56 < 60: the gap cannot be closed, so nothing at all is awarded (no partial
    funding). With B's budget at 24: 36 + 24 = 60, both caps binding.
    """
    funds = [Fund("A", 100, eu_funds=True), Fund("B", 20, eu_funds=False)]
    offers = [("p", "A", 36.0), ("p", "B", 30.0)]
    short = run(problem([cand("p", 60, 1.0)], funds, offers))
    assert short.selected == () and short.allocations == () and short.objective == 0
    funds[1] = Fund("B", 24, eu_funds=False)
    sol = run(problem([cand("p", 60, 1.0)], funds, offers))
    assert sol.selected == ("p",)
    assert amounts(sol) == {("p", "A"): pytest.approx(36.0), ("p", "B"): pytest.approx(24.0)}


@pytest.mark.parametrize(
    ("n_budget", "ticket", "funded"),
    [
        (8.0, 10.0, False),  # N can give 8 < ticket 10: x_N = 0, A alone 25 < 30
        (8.0, 0.0, True),  # without a ticket, 5 ≤ x_N ≤ 8 closes the gap
        (12.0, 10.0, True),  # 10 ≤ x_N ≤ 12 and A gives the rest (18 to 20)
    ],
)
def test_minimum_ticket_is_semi_continuous(n_budget: float, ticket: float, funded: bool) -> None:
    """p gap 30; A at most 25; N at most 30 with minimum ticket ``ticket`` and budget ``n_budget``.

    N must give at least 30 − 25 = 5: an award of 0 or at least the ticket.
    """
    funds = [Fund("A", 100, eu_funds=False), Fund("N", n_budget, False, min_ticket_meur=ticket)]
    sol = run(problem([cand("p", 30, 1.0)], funds, [("p", "A", 25.0), ("p", "N", 30.0)]))
    assert (sol.selected == ("p",)) is funded
    if funded:
        n = amounts(sol)[("p", "N")]
        assert max(5.0, ticket) - 1e-6 <= n <= n_budget + 1e-6


def test_exclusive_group_allows_one_award_per_project() -> None:
    """p gap 50; A and B (30 each) are in one exclusive group: 30 < 50, so not funded.

    Without the group A + B = 60 ≥ 50 funds it.
    """
    offers = [("p", "A", 30.0), ("p", "B", 30.0)]
    grouped = [Fund("A", 100, True, exclusive_group="g"), Fund("B", 100, True, exclusive_group="g")]
    assert run(problem([cand("p", 50, 1.0)], grouped, offers)).selected == ()
    free = [Fund("A", 100, True), Fund("B", 100, True)]
    assert run(problem([cand("p", 50, 1.0)], free, offers)).selected == ("p",)


def test_no_cost_financed_twice_by_eu_funds() -> None:
    """p gap 50, relevant costs 40: EU funds together at most 40, so N gives at least 10.

    N's budget 5: not funded. N's budget 10: funded with EU 40 (bound binding) and N 10.
    """
    p = cand("p", 50, 1.0, relevant_costs_meur=40.0)
    offers = [("p", "A", 40.0), ("p", "B", 40.0), ("p", "N", 50.0)]
    funds = [Fund("A", 100, True), Fund("B", 100, True), Fund("N", 5, False)]
    assert run(problem([p], funds, offers)).selected == ()
    funds[2] = Fund("N", 10, False)
    sol = run(problem([p], funds, offers))
    got = amounts(sol)
    assert sol.selected == ("p",)
    assert got.get(("p", "A"), 0) + got.get(("p", "B"), 0) == pytest.approx(40.0)
    assert got[("p", "N")] == pytest.approx(10.0)


def test_state_aid_cap_on_all_public_support() -> None:
    """p gap 50; A (EU) at most 30, S (State aid, all public support ≤ 50 % of costs).

    Costs 80: the cap is 40 < 50, so S cannot be used and A alone falls short: not funded.
    Costs 100: the cap is 50 = the gap, S gives at least the 20 that A leaves.
    """
    funds = [Fund("A", 100, True), Fund("S", 100, False, public_support_cap=0.5)]
    offers = [("p", "A", 30.0), ("p", "S", 40.0)]
    capped = cand("p", 50, 1.0, relevant_costs_meur=80.0)
    assert run(problem([capped], funds, offers)).selected == ()
    room = cand("p", 50, 1.0, relevant_costs_meur=100.0)
    got = amounts(run(problem([room], funds, offers)))
    assert got[("p", "S")] >= 20 - 1e-6
    assert got.get(("p", "A"), 0) + got[("p", "S")] == pytest.approx(50.0)


def test_balance_per_member_state() -> None:
    """Budget 120, p1 DE 40 → 10, p2 DE 40 → 9, p3 FR 40 → 5; a country gets ≤ 50 % = 60.

    Unbalanced: all three, 24. Balanced: one DE project only, so {p1, p3} = 15.
    """
    cands = [cand("p1", 40, 10), cand("p2", 40, 9), cand("p3", 40, 5, country="FR")]
    funds = [Fund("F", 120, False)]
    offers = [(c.id, "F", 40.0) for c in cands]
    assert run(problem(cands, funds, offers)).objective == pytest.approx(24)
    sol = run(problem(cands, funds, offers, Balance(max_share_country=0.5)))
    assert sol.selected == ("p1", "p3") and sol.objective == pytest.approx(15)


def test_balance_per_molecule_counts_a_project_for_each_molecule() -> None:
    """Budget 100, molecule share ≤ 40 % = 40. p1 (ammonia, chlorine) 30 → 8; p2 (chlorine)
    20 → 5; p3 (ammonia) 20 → 4; p4 (methanol) 30 → 3.

    Chlorine: p1 + p2 = 50 > 40, ammonia: p1 + p3 = 50 > 40. With p1: neither p2 nor p3,
    so {p1, p4} = 11; without p1: {p2, p3, p4} = 12 (70 M€). Optimum 12.
    """
    cands = [
        cand("p1", 30, 8, molecules=("ammonia", "chlorine")),
        cand("p2", 20, 5, molecules=("chlorine",)),
        cand("p3", 20, 4, molecules=("ammonia",)),
        cand("p4", 30, 3, molecules=("methanol",)),
    ]
    offers = [(c.id, "F", c.gap_meur) for c in cands]
    sol = run(problem(cands, [Fund("F", 100, False)], offers, Balance(max_share_molecule=0.4)))
    assert sol.selected == ("p2", "p3", "p4") and sol.objective == pytest.approx(12)


def test_the_objective_chooses_the_portfolio() -> None:
    """Budget 50, projects of gap 50: a has more capacity, b more GHG, c the best score, d
    closes the largest share of a chain's shortfall."""
    cands = [
        cand("a", 50, 100.0, ghg_tco2e=1.0, score=1.0),
        cand("b", 50, 1.0, ghg_tco2e=100.0, score=2.0),
        cand("c", 50, 2.0, ghg_tco2e=2.0, score=3.0),
        dataclasses.replace(cand("d", 50, 1.0, ghg_tco2e=1.0, score=0.5), shortfall_value=0.8),
    ]
    base = problem(cands, [Fund("F", 50, False)], [(c.id, "F", 50.0) for c in cands])
    chosen = {goal: run(dataclasses.replace(base, objective=goal)).selected for goal in Objective}
    assert chosen == {
        Objective.gap: ("a",),
        Objective.ghg: ("b",),
        Objective.score: ("c",),
        Objective.shortfall: ("d",),
    }
