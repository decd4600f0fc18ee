"""The baseline: rank projects by objective value per euro of public money, fund in order.

Projects are taken best ratio first (``objectives.value_per_meur``; the public money of a
funded project is its whole funding gap). Under the ``shortfall`` objective a project that
adds nothing to the chains' capped shortfall (its chains already closed) is skipped. A
project is funded when its gap can be closed
within the remaining budgets and balance room, respecting every per-project rule of the
programme (rate caps, minimum tickets, exclusive groups, EU costs once, State-aid caps);
the split fills the gap from the instrument that can give most first. Every portfolio it
returns is feasible for the mixed-integer programme, so it never beats the optimum.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict

from critchem.investment.portfolio.objectives import value_per_meur
from critchem.investment.portfolio.problem import (
    Candidate,
    Fund,
    Objective,
    Offer,
    PortfolioProblem,
)
from critchem.investment.portfolio.solution import Allocation, Solution, objective_of
from critchem.investment.stacking import eu_costs_remaining, state_aid_remaining

TOL = 1e-9


def split(
    cand: Candidate, offers: list[Offer], funds: dict[str, Fund], remaining: dict[str, float]
) -> list[Allocation] | None:
    """A split of ``cand``'s gap over ``offers`` within ``remaining`` budgets, or ``None``."""
    need = cand.gap_meur
    eu_room = eu_costs_remaining(cand.relevant_costs_meur, 0)
    used_groups: set[str] = set()
    out: list[Allocation] = []

    def room(offer: Offer) -> float:
        fund = funds[offer.instrument_id]
        cap = min(offer.max_meur, remaining[fund.id])
        return min(cap, eu_room) if fund.eu_funds else cap

    for offer in sorted(offers, key=lambda o: (-room(o), o.instrument_id)):
        if need <= TOL:
            break
        fund = funds[offer.instrument_id]
        if fund.exclusive_group in used_groups:
            continue
        support_cap = fund.public_support_cap
        if support_cap is not None:
            limit = state_aid_remaining(cand.relevant_costs_meur, support_cap, 0)
            if cand.gap_meur > limit + TOL:
                continue
        amount = min(room(offer), need)
        if amount <= TOL or amount < fund.min_ticket_meur - TOL:
            continue
        out.append(Allocation(cand.id, fund.id, round(amount, 6)))
        need -= amount
        if fund.eu_funds:
            eu_room -= amount
        if fund.exclusive_group is not None:
            used_groups.add(fund.exclusive_group)
    return out if need <= 1e-6 else None


def _chain_gain(cand: Candidate, short: dict[str, float], filled: dict[str, float]) -> float:
    """What ``cand`` adds to ``Σ_k min(filled_k, S_k) / S_k`` (the capped shortfall closed)."""
    gain = 0.0
    for mol, cap in cand.capacities:
        s = short.get(mol, 0.0)
        if s > 0:
            gain += (min(s, filled[mol] + cap) - min(s, filled[mol])) / s
    return gain


def greedy(problem: PortfolioProblem) -> Solution:
    """The greedy ranking portfolio of ``problem`` (status ``heuristic``, no bound)."""
    started = time.perf_counter()
    funds = {f.id: f for f in problem.funds}
    remaining = {f.id: f.budget_meur for f in problem.funds}
    total = problem.total_budget_meur
    share_c, share_m = problem.balance.max_share_country, problem.balance.max_share_molecule
    spent_c: dict[str, float] = defaultdict(float)
    spent_m: dict[str, float] = defaultdict(float)
    offers = problem.offers_of()
    ranked = sorted(
        problem.candidates,
        key=lambda c: (-value_per_meur(c.value(problem.objective), c.gap_meur), c.id),
    )
    selected: list[str] = []
    allocations: list[Allocation] = []
    capped = problem.objective is Objective.shortfall and bool(problem.shortfalls)
    short = dict(problem.shortfalls)
    filled: dict[str, float] = defaultdict(float)
    for cand in ranked:
        if cand.value(problem.objective) <= 0:
            continue
        if capped and _chain_gain(cand, short, filled) <= TOL:
            continue  # its chains are already closed by earlier projects
        if share_c is not None and spent_c[cand.country] + cand.gap_meur > share_c * total + TOL:
            continue
        if share_m is not None and any(
            spent_m[m] + cand.gap_meur > share_m * total + TOL for m in cand.molecules
        ):
            continue
        parts = split(cand, offers[cand.id], funds, remaining)
        if parts is None:
            continue
        for part in parts:
            remaining[part.instrument_id] -= part.amount_meur
        spent_c[cand.country] += cand.gap_meur
        for m in cand.molecules:
            spent_m[m] += cand.gap_meur
        selected.append(cand.id)
        allocations += parts
        for mol, cap in cand.capacities:
            filled[mol] += cap
    chosen = tuple(selected)
    return Solution(
        solver="greedy",
        status="heuristic",
        objective=objective_of(problem, chosen),
        bound=None,
        gap=None,
        seconds=round(time.perf_counter() - started, 3),
        build_seconds=0.0,
        time_limit=None,
        pid=os.getpid(),
        selected=chosen,
        allocations=tuple(allocations),
    )
