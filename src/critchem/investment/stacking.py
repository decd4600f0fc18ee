"""Cumulation (stacking) of public support: pure functions, each with its rule and source.

Money in million euros, rates as fractions. ``headroom`` composes them into the most a
project may still receive from one instrument given the support it already has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from critchem.investment.instruments import Catalogue, Instrument
from critchem.investment.projects import Project


@dataclass(frozen=True, slots=True)
class Award:
    """Support a project already has (or is planned to get) from one instrument."""

    instrument_id: str
    amount_meur: float
    cost_items: tuple[str, ...] = ()
    """The cost items the award finances; empty means not known (all the project's costs)."""


@dataclass(frozen=True, slots=True)
class Context:
    """What eligibility is judged against: the catalogue, relevant costs and prior awards."""

    catalogue: Catalogue
    relevant_costs_meur: float | None = None
    awards: tuple[Award, ...] = ()
    cost_items: tuple[str, ...] = ()
    """The cost items the new application would finance; empty means all of them."""
    as_of: date | None = None
    """The day the instruments' availability is judged on (``None``: today)."""

    def same_costs(self, award: Award) -> bool:
        """Whether ``award`` finances costs the new application would finance too.

        Unknown items (an empty tuple on either side) count as the same costs.
        """
        if not award.cost_items or not self.cost_items:
            return True
        return bool(set(award.cost_items) & set(self.cost_items))

    def relevant_costs(self, project: Project) -> float:
        """The relevant costs of ``project`` (default: its capex)."""
        return project.capex_meur if self.relevant_costs_meur is None else self.relevant_costs_meur


def rate_cap(relevant_costs: float, max_aid_rate: float) -> float:
    """Most an instrument may give: ``relevant_costs × max_aid_rate``.

    Keeps the beneficiary's own contribution: the Innovation Fund gives at most 60 % of
    relevant costs (Directive 2003/87/EC, Article 10a(8)).

    >>> rate_cap(80, 0.6)
    48.0
    """
    return float(relevant_costs * max_aid_rate)


def state_aid_remaining(eligible_costs: float, cap_rate: float, already_granted: float) -> float:
    """Room left under a State-aid cap: ``max(0, eligible_costs × cap_rate − already_granted)``.

    Total public support for the same eligible costs stays within the maximum aid intensity
    of the applicable State-aid rule, all sources cumulated (TFEU Articles 107-108; e.g.
    Regulation (EU) No 651/2014 (GBER), Article 8).

    >>> state_aid_remaining(80, 0.5, 20)
    20.0
    """
    return float(max(0.0, eligible_costs * cap_rate - already_granted))


def eu_costs_remaining(relevant_costs: float, eu_financed: float) -> float:
    """Costs not yet financed by EU funds: ``max(0, relevant_costs − eu_financed)``.

    No cost is financed twice by the Union budget (Regulation (EU, Euratom) 2018/1046,
    Article 191(3); Regulation (EU) 2021/1060, Article 63(9)).

    >>> eu_costs_remaining(80, 48)
    32.0
    """
    return float(max(0.0, relevant_costs - eu_financed))


def gap_remaining(funding_gap: float, awarded: float) -> float:
    """Funding gap still open: ``max(0, funding_gap − awarded)``; support never exceeds it.

    Aid is limited to the minimum necessary, the funding gap (Communication 2021/C 528/02 on
    IPCEI; the same principle in the State-aid guidelines).

    >>> gap_remaining(30, 48)
    0.0
    """
    return float(max(0.0, funding_gap - awarded))


def seal_opens_cohesion(labels: tuple[str, ...]) -> bool:
    """Whether a project's labels give it direct access to cohesion funding.

    The STEP Sovereignty Seal lets managing authorities of the ERDF, ESF+, Cohesion Fund and
    JTF support a project without a new evaluation (Regulation (EU) 2024/795, Article 4).

    >>> seal_opens_cohesion(("STEP Seal",)), seal_opens_cohesion(())
    (True, False)
    """
    return "STEP Seal" in labels


def _awarded(context: Context, *, eu: bool | None = None, state_aid: bool | None = None) -> float:
    total = 0.0
    for award in context.awards:
        inst = context.catalogue.get(award.instrument_id)
        if eu is not None and inst.eu_funds != eu:
            continue
        if state_aid is not None and inst.state_aid != state_aid:
            continue
        total += award.amount_meur
    return total


def headroom(project: Project, instrument: Instrument, context: Context) -> float:
    """Most ``instrument`` may still give ``project``: the smallest of every cap that applies.

    Caps: the funding gap left; the instrument's rate on relevant costs (or the funding gap
    when ``aid_basis`` is ``funding_gap``); EU costs not yet EU-financed (EU funds only);
    room under the State-aid cap of all public support (``public_support_cap``, State aid
    only); the maximum ticket and the budget.
    """
    costs = context.relevant_costs(project)
    caps = [gap_remaining(project.funding_gap_meur, _awarded(context))]
    if instrument.max_aid_rate is not None and instrument.aid_basis == "relevant_costs":
        caps.append(rate_cap(costs, instrument.max_aid_rate))
    if instrument.eu_funds:
        caps.append(eu_costs_remaining(costs, _awarded(context, eu=True)))
    if instrument.state_aid and instrument.public_support_cap is not None:
        caps.append(state_aid_remaining(costs, instrument.public_support_cap, _awarded(context)))
    if instrument.max_ticket_meur is not None:
        caps.append(instrument.max_ticket_meur)
    if instrument.budget_meur is not None:
        caps.append(instrument.budget_meur)
    return round(min(caps), 6)
