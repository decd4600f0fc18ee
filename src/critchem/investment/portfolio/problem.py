"""The portfolio problem as plain numbers: candidates, funds, offers and balance limits.

Money in million euros. A problem is immutable and picklable, so it can be handed to the
process that solves it; ``build`` makes one from projects and the instrument catalogue.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from critchem.core.errors import PortfolioError


class Objective(enum.StrEnum):
    """What the portfolio maximises."""

    gap = "gap"
    """Criticality-weighted capacity (t/yr) of the funded projects' molecules."""
    ghg = "ghg"
    """Greenhouse gas avoided over 10 years (tCO2e) by the funded projects."""
    score = "score"
    """Sum of the funded projects' selection scores."""
    shortfall = "shortfall"
    """Shares of the critical chains' 2030 capacity shortfall (public registers) closed."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A project that may be funded: its gap, relevant costs and what funding it brings.

    ``capacity_value`` is the criticality-weighted capacity (t/yr), ``ghg_tco2e`` the
    greenhouse gas avoided over 10 years and ``score`` the selection total.
    """

    id: str
    country: str
    molecules: tuple[str, ...]
    gap_meur: float
    relevant_costs_meur: float
    capacity_value: float
    ghg_tco2e: float
    score: float
    shortfall_value: float = 0.0
    """Sum over its molecules of ``min(capacity, S) / S``, ``S`` the 2030 shortfall."""
    capacities: tuple[tuple[str, float], ...] = ()
    """Capacity added per molecule (t/yr): what the chain caps of the shortfall objective add."""

    def value(self, objective: Objective) -> float:
        """What funding this project adds to ``objective``."""
        if objective is Objective.gap:
            return self.capacity_value
        if objective is Objective.ghg:
            return self.ghg_tco2e
        if objective is Objective.shortfall:
            return self.shortfall_value
        return self.score


@dataclass(frozen=True, slots=True)
class Fund:
    """An instrument as the optimiser sees it.

    ``exclusive_group`` is set when the instrument's cumulation group allows one award per
    project; ``public_support_cap`` (a fraction of relevant costs) when it is State aid with
    a cap on all public support cumulated.
    """

    id: str
    budget_meur: float
    eu_funds: bool
    min_ticket_meur: float = 0.0
    exclusive_group: str | None = None
    public_support_cap: float | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """A project may receive up to ``max_meur`` from an instrument (its eligibility headroom)."""

    project_id: str
    instrument_id: str
    max_meur: float


@dataclass(frozen=True, slots=True)
class Balance:
    """Largest share of the total budget one Member State or one molecule may receive.

    A project counts in full toward its country and toward every molecule it produces.
    """

    max_share_country: float | None = None
    max_share_molecule: float | None = None

    def __post_init__(self) -> None:
        for name in ("max_share_country", "max_share_molecule"):
            share = getattr(self, name)
            if share is not None and not 0 < share <= 1:
                raise PortfolioError(f"balance {name} = {share!r}: must be in (0, 1]")


@dataclass(frozen=True, slots=True)
class PortfolioProblem:
    """Everything a solver needs; ``notes`` say what was left out when building it."""

    objective: Objective
    candidates: tuple[Candidate, ...]
    funds: tuple[Fund, ...]
    offers: tuple[Offer, ...]
    balance: Balance = Balance()
    notes: tuple[str, ...] = field(default=())
    shortfalls: tuple[tuple[str, float], ...] = ()
    """2030 capacity shortfall per molecule (t/yr) of the ``shortfall`` objective; with them
    the objective counts each chain up to its shortfall, however many projects serve it."""

    def __post_init__(self) -> None:
        ids = [c.id for c in self.candidates]
        if len(ids) != len(set(ids)):
            raise PortfolioError("portfolio candidates list a project twice")
        funds = {f.id for f in self.funds}
        for offer in self.offers:
            if offer.project_id not in ids:
                raise PortfolioError(f"offer for unknown project {offer.project_id!r}")
            if offer.instrument_id not in funds:
                raise PortfolioError(
                    f"offer to project {offer.project_id!r} from unknown instrument "
                    f"{offer.instrument_id!r}"
                )

    @property
    def total_budget_meur(self) -> float:
        """Sum of the instrument budgets: the base of the balance shares."""
        return float(sum(f.budget_meur for f in self.funds))

    def fund(self, instrument_id: str) -> Fund:
        """The fund with this id."""
        for f in self.funds:
            if f.id == instrument_id:
                return f
        raise PortfolioError(
            f"no instrument {instrument_id!r} in the portfolio; known: "
            + ", ".join(f.id for f in self.funds)
        )

    def offers_of(self) -> dict[str, list[Offer]]:
        """Offers grouped by project id (every candidate present, possibly empty)."""
        grouped: dict[str, list[Offer]] = {c.id: [] for c in self.candidates}
        for offer in self.offers:
            grouped[offer.project_id].append(offer)
        return grouped
