"""Objective values of a project: pure functions, each with its equation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def weighted_capacity(capacities: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """Criticality-weighted capacity: ``Σ_k w_k · capacity_k`` (t/yr), ``w_k`` defaulting to 1.

    The capacity gap a project closes is the capacity it adds for each molecule; the weights
    say how critical each molecule is (e.g. an assessment score).

    >>> weighted_capacity({"ammonia": 100_000, "chlorine": 20_000}, {"chlorine": 2.5})
    150000.0
    """
    return float(sum(cap * weights.get(mol, 1.0) for mol, cap in capacities.items()))


def value_per_meur(value: float, public_meur: float) -> float:
    """Objective value per million euros of public money: ``value / public_meur``.

    The ranking key of the greedy heuristic; infinite for a project that needs no money.

    >>> value_per_meur(150_000, 60)
    2500.0
    """
    if public_meur <= 0:
        return float("inf")
    return value / public_meur


def shortfall_closed(capacities: Mapping[str, float], shortfalls: Mapping[str, float]) -> float:
    """Shares of the chains' shortfall a project closes: ``Σ_k min(cap_k, S_k) / S_k``.

    ``S_k`` is the 2030 capacity shortfall of molecule ``k`` (capacity lost and not replaced,
    from the public registers; see :mod:`critchem.investment.timeline`); molecules without a
    shortfall count for nothing. This values one project on its own; a portfolio is valued
    by :func:`portfolio_shortfall_closed`, which caps each chain at its shortfall.

    >>> shortfall_closed({"ammonia": 100_000, "chlorine": 5}, {"ammonia": 400_000})
    0.25
    """
    return float(
        sum(min(cap, shortfalls[m]) / shortfalls[m] for m, cap in capacities.items()
            if shortfalls.get(m, 0.0) > 0)
    )  # fmt: skip


def portfolio_shortfall_closed(
    capacities: Iterable[Mapping[str, float]], shortfalls: Mapping[str, float]
) -> float:
    """Shares of the chains' shortfall a portfolio closes: ``Σ_k min(Σ_i cap_ik, S_k) / S_k``.

    No double counting: the capacity of several projects on one chain counts up to the
    chain's shortfall ``S_k`` and no further, so each chain adds at most 1.

    >>> portfolio_shortfall_closed(
    ...     [{"ammonia": 300_000}, {"ammonia": 200_000}], {"ammonia": 400_000})
    1.0
    >>> shortfall_closed({"ammonia": 300_000}, {"ammonia": 400_000}) + shortfall_closed(
    ...     {"ammonia": 200_000}, {"ammonia": 400_000})
    1.25
    """
    total: dict[str, float] = {}
    for caps in capacities:
        for mol, cap in caps.items():
            total[mol] = total.get(mol, 0.0) + cap
    return float(
        sum(min(cap, shortfalls[m]) / shortfalls[m] for m, cap in total.items()
            if shortfalls.get(m, 0.0) > 0)
    )  # fmt: skip
