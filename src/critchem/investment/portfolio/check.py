"""Check a portfolio against every constraint of the programme, independently of any solver."""

from __future__ import annotations

from collections import defaultdict

from critchem.investment.portfolio.problem import PortfolioProblem
from critchem.investment.portfolio.solution import Solution
from critchem.investment.stacking import eu_costs_remaining, state_aid_remaining

TOL = 1e-5
"""Tolerance in M€ (solvers' feasibility tolerance on amounts)."""


def violations(problem: PortfolioProblem, solution: Solution) -> list[str]:
    """Every constraint ``solution`` breaks, each named with the project or instrument."""
    found: list[str] = []
    offers = {(o.project_id, o.instrument_id): o for o in problem.offers}
    funds = {f.id: f for f in problem.funds}
    cands = {c.id: c for c in problem.candidates}
    selected = set(solution.selected)
    got: dict[str, dict[str, float]] = defaultdict(dict)
    for a in solution.allocations:
        offer = offers.get((a.project_id, a.instrument_id))
        if offer is None:
            found.append(f"{a.project_id}: {a.instrument_id} is not eligible")
            continue
        if a.project_id not in selected:
            found.append(f"{a.project_id}: awarded {a.amount_meur:g} but not selected")
        if a.amount_meur > offer.max_meur + TOL:
            found.append(f"{a.project_id}: {a.instrument_id} above its cap {offer.max_meur:g}")
        ticket = funds[a.instrument_id].min_ticket_meur
        if a.amount_meur < ticket - TOL:
            found.append(f"{a.project_id}: {a.instrument_id} below the minimum ticket {ticket:g}")
        got[a.project_id][a.instrument_id] = a.amount_meur
    for pid in selected:
        cand, mine = cands[pid], got[pid]
        total = sum(mine.values())
        if abs(total - cand.gap_meur) > TOL * max(1, len(mine)):
            found.append(f"{pid}: gap {cand.gap_meur:g} not closed (awarded {total:g})")
        eu = sum(v for j, v in mine.items() if funds[j].eu_funds)
        if eu > eu_costs_remaining(cand.relevant_costs_meur, 0) + TOL:
            found.append(f"{pid}: EU funds {eu:g} finance costs twice")
        groups: dict[str, int] = defaultdict(int)
        for j in mine:
            group = funds[j].exclusive_group
            if group is not None:
                groups[group] += 1
            cap = funds[j].public_support_cap
            if (
                cap is not None
                and total > state_aid_remaining(cand.relevant_costs_meur, cap, 0) + TOL
            ):
                found.append(f"{pid}: public support {total:g} above the State-aid cap of {j}")
        found += [f"{pid}: {n} awards in exclusive group {g}" for g, n in groups.items() if n > 1]
    used = solution.by_instrument()
    for j, amount in used.items():
        if amount > funds[j].budget_meur + TOL:
            found.append(f"{j}: budget {funds[j].budget_meur:g} exceeded ({amount:g})")
    total_budget = problem.total_budget_meur
    for kind, share in (
        ("country", problem.balance.max_share_country),
        ("molecule", problem.balance.max_share_molecule),
    ):
        if share is None:
            continue
        spent: dict[str, float] = defaultdict(float)
        for pid in selected:
            keys = (cands[pid].country,) if kind == "country" else cands[pid].molecules
            for key in keys:
                spent[key] += cands[pid].gap_meur
        for key, amount in spent.items():
            if amount > share * total_budget + TOL:
                found.append(f"{kind} {key}: {amount:g} above {share:g} of the budget")
    return found
