"""From projects and the instrument catalogue to a :class:`PortfolioProblem`.

Eligibility and the per-project caps come from the eligibility rules and ``stacking.headroom``
(rate caps, maximum tickets, the funding gap); the budget of an instrument is left to the
optimiser (a portfolio constraint, not a per-project cap), so it is removed from the
instrument before judging.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from critchem.core.errors import PortfolioError
from critchem.investment.eligibility import judge
from critchem.investment.instruments import Catalogue, Instrument
from critchem.investment.portfolio.objectives import shortfall_closed, weighted_capacity
from critchem.investment.portfolio.problem import (
    Balance,
    Candidate,
    Fund,
    Objective,
    Offer,
    PortfolioProblem,
)
from critchem.investment.projects import Project
from critchem.investment.stacking import Context


def _fund(inst: Instrument, catalogue: Catalogue, budget: float, min_ticket: float) -> Fund:
    group = catalogue.cumulation_groups[inst.cumulation_group]
    return Fund(
        id=inst.id,
        budget_meur=budget,
        eu_funds=inst.eu_funds,
        min_ticket_meur=min_ticket,
        exclusive_group=inst.cumulation_group if group.exclusive else None,
        public_support_cap=inst.public_support_cap if inst.state_aid else None,
    )


def build_problem(
    projects: Iterable[Project],
    catalogue: Catalogue,
    *,
    objective: Objective = Objective.gap,
    budgets_meur: Mapping[str, float] | None = None,
    min_tickets_meur: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
    scores: Mapping[str, float] | None = None,
    relevant_costs_meur: Mapping[str, float] | None = None,
    balance: Balance | None = None,
    shortfalls: Mapping[str, float] | None = None,
) -> PortfolioProblem:
    """The portfolio problem of ``projects`` over the instruments of ``catalogue``.

    ``budgets_meur`` and ``min_tickets_meur`` override the catalogue per instrument id; an
    instrument with no budget either way is left out (said in ``notes``). ``weights`` are
    per-molecule criticality weights (default 1), ``scores`` the selection totals (default 0)
    and ``relevant_costs_meur`` per-project relevant costs (default the capex);
    ``shortfalls`` the 2030 capacity shortfall per molecule (t/yr) of the ``shortfall``
    objective. Projects
    with no funding gap need no money and are left out.
    """
    budgets = dict(budgets_meur or {})
    tickets = dict(min_tickets_meur or {})
    known = {i.id for i in catalogue.instruments}
    for name, given in (("budget", budgets), ("minimum ticket", tickets)):
        unknown = sorted(set(given) - known)
        if unknown:
            raise PortfolioError(f"{name} given for unknown instrument(s): {', '.join(unknown)}")
    notes: list[str] = []
    funds: list[Fund] = []
    judged: list[Instrument] = []
    today = date.today()
    for inst in catalogue.instruments:
        state = inst.availability(today)
        if state in ("closed", "announced", "not_yet_open"):
            notes.append(f"instrument {inst.id!r} is {state} on {today} and is left out")
            continue
        budget = budgets.get(inst.id, inst.budget_meur)
        if budget is None or budget <= 0:
            notes.append(f"instrument {inst.id!r} has no budget and is left out")
            continue
        ticket = tickets.get(inst.id, inst.min_ticket_meur or 0.0)
        funds.append(_fund(inst, catalogue, float(budget), float(ticket)))
        judged.append(inst.model_copy(update={"budget_meur": None, "min_ticket_meur": ticket}))
    costs = dict(relevant_costs_meur or {})
    candidates: list[Candidate] = []
    offers: list[Offer] = []
    for project in projects:
        if project.funding_gap_meur <= 0:
            notes.append(f"project {project.id!r} has no funding gap and is left out")
            continue
        context = Context(catalogue=catalogue, relevant_costs_meur=costs.get(project.id))
        candidates.append(
            Candidate(
                id=project.id,
                country=project.country,
                molecules=tuple(m.molecule for m in project.molecules),
                gap_meur=project.funding_gap_meur,
                relevant_costs_meur=context.relevant_costs(project),
                capacity_value=weighted_capacity(
                    {m.molecule: m.capacity_t_per_year for m in project.molecules},
                    weights or {},
                ),
                ghg_tco2e=project.ghg_avoided_10y_tco2e,
                score=float((scores or {}).get(project.id, 0.0)),
                shortfall_value=shortfall_closed(
                    {m.molecule: m.capacity_t_per_year for m in project.molecules},
                    shortfalls or {},
                ),
                capacities=tuple(
                    (m.molecule, float(m.capacity_t_per_year)) for m in project.molecules
                ),
            )
        )
        for inst in judged:
            verdict = judge(project, inst, context)
            if verdict.eligible and (verdict.max_amount_meur or 0.0) > 0:
                offers.append(Offer(project.id, inst.id, float(verdict.max_amount_meur or 0.0)))
    return PortfolioProblem(
        objective=objective,
        candidates=tuple(candidates),
        funds=tuple(funds),
        offers=tuple(offers),
        balance=balance or Balance(),
        notes=tuple(notes),
        shortfalls=tuple(sorted((m, float(v)) for m, v in (shortfalls or {}).items() if v > 0)),
    )
