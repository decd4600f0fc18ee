"""What-if scenarios: budgets scaled, projects dropping out, compared with the base."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from critchem.core.errors import PortfolioError
from critchem.investment.portfolio.problem import PortfolioProblem
from critchem.investment.portfolio.solution import Solution

ALL = "*"
"""Budget-scale key that applies to every instrument (a named instrument overrides it)."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A change to the base problem: budget scale factors by instrument id, projects dropped."""

    name: str = "scenario"
    budget_scale: Mapping[str, float] = field(default_factory=dict)
    drop: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the scenario changes nothing."""
        return not self.budget_scale and not self.drop


def _not_candidates(missing: list[str], known: list[str]) -> str:
    """The message for ids that are no candidate, with the closest candidate ids first.

    >>> _not_candidates(["EX-0100"], ["EX-010", "EX-011", "PL-PHENOL"])
    'cannot drop EX-0100: not a portfolio candidate; closest candidates: EX-010, EX-011'
    """
    close = dict.fromkeys(c for pid in missing for c in difflib.get_close_matches(pid, known, n=3))
    hint = f"; closest candidates: {', '.join(close)}" if close else ""
    return f"cannot drop {', '.join(missing)}: not a portfolio candidate{hint}"


def apply(problem: PortfolioProblem, scenario: Scenario) -> PortfolioProblem:
    """``problem`` with the scenario's budget factors applied and its projects removed."""
    funds = {f.id for f in problem.funds}
    for key, factor in scenario.budget_scale.items():
        if key != ALL and key not in funds:
            raise PortfolioError(
                f"budget scale for instrument {key!r}, which is not in the portfolio; "
                f"known: {', '.join(sorted(funds))}"
            )
        if factor < 0:
            raise PortfolioError(f"budget scale for {key!r} is {factor:g}: must be >= 0")
    known = {c.id for c in problem.candidates}
    missing = [pid for pid in scenario.drop if pid not in known]
    if missing:
        raise PortfolioError(_not_candidates(missing, sorted(known)))
    default = scenario.budget_scale.get(ALL, 1.0)
    scaled = tuple(
        dataclasses.replace(f, budget_meur=f.budget_meur * scenario.budget_scale.get(f.id, default))
        for f in problem.funds
    )
    dropped = set(scenario.drop)
    return dataclasses.replace(
        problem,
        funds=scaled,
        candidates=tuple(c for c in problem.candidates if c.id not in dropped),
        offers=tuple(o for o in problem.offers if o.project_id not in dropped),
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    """A scenario's portfolio side by side with the base: what entered, left, and by how much."""

    scenario: Scenario
    base: Solution
    other: Solution
    entered: tuple[str, ...]
    left: tuple[str, ...]
    objective_change: float | None
    objective_change_pct: float | None
    budget_change_meur: dict[str, float]


def compare(scenario: Scenario, base: Solution, other: Solution) -> Comparison:
    """Projects that entered and left, the objective change and money moved per instrument.

    >>> from critchem.investment.portfolio.solution import Allocation
    >>> def sol(obj, ids):
    ...     allocs = tuple(Allocation(i, "f", 10.0) for i in ids)
    ...     return Solution("highs", "optimal", obj, obj, 0.0, 0, 0, 1, 1, ids, allocs)
    >>> c = compare(Scenario(drop=("a",)), sol(30.0, ("a", "b")), sol(24.0, ("b", "c")))
    >>> c.entered, c.left, c.objective_change, c.objective_change_pct
    (('c',), ('a',), -6.0, -20.0)
    """
    before, after = set(base.selected), set(other.selected)
    change = pct = None
    if base.objective is not None and other.objective is not None:
        change = other.objective - base.objective
        pct = 100.0 * change / base.objective if base.objective else None
    spent_before, spent_after = base.by_instrument(), other.by_instrument()
    moved = {
        j: round(spent_after.get(j, 0.0) - spent_before.get(j, 0.0), 6)
        for j in sorted(set(spent_before) | set(spent_after))
    }
    return Comparison(
        scenario=scenario,
        base=base,
        other=other,
        entered=tuple(sorted(after - before)),
        left=tuple(sorted(before - after)),
        objective_change=change,
        objective_change_pct=pct,
        budget_change_meur=moved,
    )
