"""What a solve returns: status, objective, best bound, optimality gap and the awards."""

from __future__ import annotations

from dataclasses import dataclass

from critchem.investment.portfolio.objectives import portfolio_shortfall_closed
from critchem.investment.portfolio.problem import Objective, PortfolioProblem

STATUSES = ("optimal", "time_limit", "no_solution", "infeasible", "heuristic", "failed")
"""``time_limit``: stopped with a feasible portfolio not proven optimal; ``no_solution``:
stopped before finding one; ``heuristic``: the greedy ranking (no bound of its own; a solve
that found no portfolio and fell back on it keeps the solver's bound, if any)."""

RETURNED = ("solver", "greedy")
"""Which portfolio a solve returned: the solver's, or the greedy ranking as the fallback."""


def relative_gap(objective: float, bound: float) -> float:
    """Optimality gap: ``|bound − objective| / max(|objective|, 1e-9)`` (HiGHS's definition).

    >>> relative_gap(99.0, 100.0)
    0.010101010101010102
    """
    return abs(bound - objective) / max(abs(objective), 1e-9)


@dataclass(frozen=True, slots=True)
class Allocation:
    """Money one project receives from one instrument (M€)."""

    project_id: str
    instrument_id: str
    amount_meur: float


@dataclass(frozen=True, slots=True)
class Solution:
    """The outcome of one solve (or of the greedy heuristic).

    ``bound`` is the best proven bound on the objective and ``gap`` the relative optimality
    gap; both are ``None`` for the heuristic. ``pid`` is the process that solved it and
    ``seconds`` the solver's time (``build_seconds`` writing the model). ``returned`` says
    whose portfolio this is (``solver`` or ``greedy``, the fallback) and ``reason`` why the
    fallback was taken (empty when the solver's portfolio is returned).
    """

    solver: str
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    build_seconds: float
    time_limit: float | None
    pid: int
    selected: tuple[str, ...]
    allocations: tuple[Allocation, ...]
    message: str = ""
    returned: str = "solver"
    reason: str = ""

    @property
    def public_meur(self) -> float:
        """Total money awarded."""
        return float(sum(a.amount_meur for a in self.allocations))

    def by_instrument(self) -> dict[str, float]:
        """Money awarded per instrument."""
        used: dict[str, float] = {}
        for a in self.allocations:
            used[a.instrument_id] = used.get(a.instrument_id, 0.0) + a.amount_meur
        return used


def objective_of(problem: PortfolioProblem, selected: tuple[str, ...]) -> float:
    """The objective value of funding ``selected``: ``Σ_{i selected} v_i``.

    For the ``shortfall`` objective with chain shortfalls, each chain counts up to its
    shortfall: ``Σ_k min(Σ_{i selected} cap_ik, S_k) / S_k`` (no double counting).
    """
    chosen = set(selected)
    if problem.objective is Objective.shortfall and problem.shortfalls:
        return portfolio_shortfall_closed(
            (dict(c.capacities) for c in problem.candidates if c.id in chosen),
            dict(problem.shortfalls),
        )
    return float(sum(c.value(problem.objective) for c in problem.candidates if c.id in chosen))
