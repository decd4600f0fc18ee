"""The mixed-integer programme of a portfolio, written with PuLP (any PuLP solver can run it).

Indices: projects ``i``, instruments ``j``; money in M€. Variables: ``y_i ∈ {0, 1}`` (project
funded), ``x_ij ≥ 0`` (award) for every offer that can carry one, and ``z_ij ∈ {0, 1}``
(award made) where a minimum ticket or an exclusive group needs it. ``G_i`` funding gap,
``C_i`` relevant costs, ``U_ij`` eligibility headroom, ``m_j`` minimum ticket, ``B_j`` budget,
``B = Σ_j B_j``.

    max  Σ_i v_i · y_i
    gap closed         Σ_j x_ij = G_i · y_i                      (nothing to an unfunded project)
    rate cap / max     x_ij ≤ U_ij · y_i   or   x_ij ≤ U_ij · z_ij,  z_ij ≤ y_i
    minimum ticket     x_ij ≥ m_j · z_ij                         (x_ij = 0 or x_ij ≥ m_j)
    budget             Σ_i x_ij ≤ B_j
    EU costs once      Σ_{j EU} x_ij ≤ C_i                        (stacking.eu_costs_remaining)
    exclusive group    Σ_{j ∈ g} z_ij ≤ 1                         (one EU direct grant per action)
    State-aid cap      an offer with s_j · C_i < G_i is left out   (stacking.state_aid_remaining)
    balance            Σ_{i ∈ c} G_i · y_i ≤ share_c · B          (per Member State, per molecule)

Objective ``shortfall`` with chain shortfalls ``S_k`` (t/yr) and capacities ``cap_ik``: one
variable ``0 ≤ w_k ≤ S_k`` per chain, the shortfall closed, so that several projects on one
chain count no more than its shortfall (no double counting)::

    max  Σ_k w_k / S_k
    chain cap          w_k ≤ Σ_i cap_ik · y_i,   w_k ≤ S_k

The own contribution of the beneficiary is kept by the rate caps inside ``U_ij``, taken as
``min(U_ij, G_i)`` (an award never exceeds the gap it helps close). A row that cannot bind
(e.g. ``C_i ≥ G_i`` for the EU row) is left out, and so is an offer that can never carry an
award (a minimum ticket above ``min(U_ij, G_i)``, or a State-aid cap ``s_j · C_i < G_i``,
since the awards close the whole gap): fewer binaries, the same feasible portfolios.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pulp

from critchem.investment.portfolio.problem import Objective, PortfolioProblem
from critchem.investment.stacking import eu_costs_remaining, state_aid_remaining

EPS = 1e-9


@dataclass
class Model:
    """A built programme and its variables, keyed by project id and (project, instrument)."""

    lp: pulp.LpProblem
    y: dict[str, pulp.LpVariable]
    x: dict[tuple[str, str], pulp.LpVariable]
    z: dict[tuple[str, str], pulp.LpVariable]
    w: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """Shortfall closed per chain (molecule), for the ``shortfall`` objective."""


def build_model(problem: PortfolioProblem) -> Model:
    """The PuLP programme of ``problem`` (see the module docstring for every row)."""
    lp = pulp.LpProblem("portfolio", pulp.LpMaximize)
    funds = {f.id: f for f in problem.funds}
    fund_no = {f.id: n for n, f in enumerate(problem.funds)}
    y: dict[str, pulp.LpVariable] = {}
    x: dict[tuple[str, str], pulp.LpVariable] = {}
    z: dict[tuple[str, str], pulp.LpVariable] = {}
    offers = problem.offers_of()
    by_fund: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    for n, cand in enumerate(problem.candidates):
        y[cand.id] = yi = lp.add_variable(f"y_{n}", cat=pulp.LpBinary)
        groups: dict[str, list[pulp.LpVariable]] = defaultdict(list)
        eu_terms: list[pulp.LpVariable] = []
        for offer in offers[cand.id]:
            fund = funds[offer.instrument_id]
            key = (cand.id, fund.id)
            name = f"{n}_{fund_no[fund.id]}"
            cap_room = None
            if fund.public_support_cap is not None:
                cap_room = state_aid_remaining(cand.relevant_costs_meur, fund.public_support_cap, 0)
            # an award never exceeds the gap it helps close (Σ_j x_ij = G_i · y_i)
            upper = min(offer.max_meur, cand.gap_meur)
            if _dead(upper, fund.min_ticket_meur, cap_room, cand.gap_meur):
                continue
            x[key] = xij = lp.add_variable(f"x_{name}", lowBound=0, upBound=upper)
            by_fund[fund.id].append(xij)
            needs_z = fund.min_ticket_meur > 0 or fund.exclusive_group is not None
            if needs_z:
                z[key] = zij = lp.add_variable(f"z_{name}", cat=pulp.LpBinary)
                lp += xij <= upper * zij, f"cap_{name}"
                lp += zij <= yi, f"link_{name}"
                if fund.min_ticket_meur > 0:
                    lp += xij >= fund.min_ticket_meur * zij, f"ticket_{name}"
                if fund.exclusive_group is not None:
                    groups[fund.exclusive_group].append(zij)
            else:
                lp += xij <= upper * yi, f"cap_{name}"
            if fund.eu_funds:
                eu_terms.append(xij)
        mine = [x[pair] for o in offers[cand.id] if (pair := (cand.id, o.instrument_id)) in x]
        lp += pulp.lpSum(mine) == cand.gap_meur * yi, f"gap_{n}"
        eu_room = eu_costs_remaining(cand.relevant_costs_meur, 0)
        if eu_terms and eu_room < cand.gap_meur - EPS:
            lp += pulp.lpSum(eu_terms) <= eu_room, f"eu_once_{n}"
        for g, members in enumerate(groups.values()):
            if len(members) > 1:
                lp += pulp.lpSum(members) <= 1, f"exclusive_{n}_{g}"
    for fund in problem.funds:
        if by_fund[fund.id]:
            lp += pulp.lpSum(by_fund[fund.id]) <= fund.budget_meur, f"budget_{fund_no[fund.id]}"
    _balance(problem, lp, y)
    w: dict[str, pulp.LpVariable] = {}
    if problem.objective is Objective.shortfall and problem.shortfalls:
        lp += _chain_shortfall(problem, lp, y, w)
    else:
        lp += pulp.lpSum(c.value(problem.objective) * y[c.id] for c in problem.candidates)
    return Model(lp=lp, y=y, x=x, z=z, w=w)


def _dead(upper: float, min_ticket: float, cap_room: float | None, gap: float) -> bool:
    """Whether an offer can never carry an award, so that it needs no variable.

    A minimum ticket above the most the offer may give (``m_j > min(U_ij, G_i)``), or a
    State-aid cap below the funding gap (``s_j · C_i < G_i``: the awards close the whole gap,
    ``Σ_k x_ik = G_i``, so any use of the capped instrument breaks its cap). Leaving such
    offers out tightens the programme without changing its feasible portfolios.

    >>> _dead(10.0, 20.0, None, 50.0), _dead(10.0, 5.0, 40.0, 50.0), _dead(10.0, 5.0, None, 50.0)
    (True, True, False)
    """
    if min_ticket > upper + EPS:
        return True
    return cap_room is not None and cap_room < gap - EPS


def _chain_shortfall(
    problem: PortfolioProblem,
    lp: pulp.LpProblem,
    y: dict[str, pulp.LpVariable],
    w: dict[str, pulp.LpVariable],
) -> pulp.LpAffineExpression:
    """``Σ_k w_k / S_k`` with ``w_k ≤ Σ_i cap_ik · y_i`` and ``w_k ≤ S_k`` per chain ``k``."""
    terms = []
    for k, (mol, short) in enumerate(problem.shortfalls):
        serving = [
            (cap, y[c.id])
            for c in problem.candidates
            for m, cap in c.capacities
            if m == mol and cap > 0
        ]
        if not serving:
            continue
        w[mol] = wk = lp.add_variable(f"w_{k}", lowBound=0, upBound=short)
        lp += wk <= pulp.lpSum(cap * yi for cap, yi in serving), f"chain_{k}"
        terms.append(wk * (1.0 / short))
    return pulp.lpSum(terms)


def _balance(problem: PortfolioProblem, lp: pulp.LpProblem, y: dict[str, pulp.LpVariable]) -> None:
    total = problem.total_budget_meur
    limits = (
        ("country", problem.balance.max_share_country, lambda c: (c.country,)),
        ("molecule", problem.balance.max_share_molecule, lambda c: c.molecules),
    )
    for kind, share, keys_of in limits:
        if share is None:
            continue
        members: dict[str, list[tuple[float, pulp.LpVariable]]] = defaultdict(list)
        for cand in problem.candidates:
            for key in keys_of(cand):
                members[key].append((cand.gap_meur, y[cand.id]))
        for n, (_key, terms) in enumerate(sorted(members.items())):
            if sum(g for g, _ in terms) > share * total + EPS:
                lp += pulp.lpSum(g * v for g, v in terms) <= share * total, f"{kind}_{n}"
