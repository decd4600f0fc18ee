"""The capacity timeline of a molecule, 2022-2030: what closed, what is funded, what is left.

Per year ``y`` (tonnes per year):

* ``C(y) = B - L(y) - A(y) + F(y)``: the public base capacity ``B`` (the plants of the
  capacity register at its reference date), minus the capacity of the closures effective in
  or before ``y`` and after the reference date ``L(y)``, minus the announced closures whose
  effective date is not published, counted from the year of their announcement ``A(y)``
  (shown apart, so the reader sees what rests on an announcement), plus the funded projects
  producing by ``y`` ``F(y)``;
* the shortfall against the base, ``S(y) = max(0, B - C(y))``: capacity lost and not yet
  replaced;
* the gap ``G(y) = D(y) - C(y)`` only where demand ``D(y)`` (apparent consumption from PRODCOM
  and trade) is sourced; otherwise the gap is ``None`` and the row says why.

A closure whose capacity is not published counts for nothing and is listed as such; a
funded project without a published start year counts from the year after its award.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

YEARS: tuple[int, ...] = tuple(range(2022, 2031))
"""The years of the timeline."""

DEMAND_NOT_SOURCED = (
    "demand not sourced: no apparent consumption (PRODCOM production + extra-EU imports - "
    "exports) is available for this molecule, so the gap is not computed"
)


@dataclass(frozen=True, slots=True)
class PlantCapacity:
    """One plant of the public capacity register."""

    plant: str
    country: str
    capacity_t: float
    source: str


@dataclass(frozen=True, slots=True)
class ClosureEvent:
    """A closure (or permanent capacity cut) with its effective year and source."""

    site: str
    company: str
    capacity_t: float | None
    effective_year: int
    source: str


@dataclass(frozen=True, slots=True)
class CapacityAddition:
    """New capacity from a project (funded or candidate) from its first year of production."""

    project: str
    company: str
    capacity_t: float
    first_year: int
    source: str
    kind: str = "funded"


@dataclass(frozen=True, slots=True)
class TimelineYear:
    """One year of the timeline (see the module docstring)."""

    year: int
    base_t: float
    closed_t: float
    announced_t: float
    funded_t: float
    capacity_t: float
    shortfall_t: float
    demand_t: float | None
    gap_t: float | None


def capacity_in_year(base_t: float, closed_t: float, funded_t: float) -> float:
    """Capacity in a year, ``C = B - L + F``.

    >>> capacity_in_year(1000.0, 300.0, 50.0)
    750.0
    """
    return base_t - closed_t + funded_t


def shortfall(base_t: float, capacity_t: float) -> float:
    """Capacity lost and not replaced, ``S = max(0, B - C)``.

    >>> shortfall(1000.0, 750.0), shortfall(1000.0, 1100.0)
    (250.0, 0.0)
    """
    return max(0.0, base_t - capacity_t)


def closed_by(closures: Sequence[ClosureEvent], year: int, *, reference_year: int) -> float:
    """Capacity of the closures effective after the reference year and by ``year``.

    Closures effective in or before the reference year are already out of the base.

    >>> c = [ClosureEvent("a", "A", 100.0, 2023, "s"), ClosureEvent("b", "B", None, 2024, "s")]
    >>> closed_by(c, 2024, reference_year=2022), closed_by(c, 2024, reference_year=2023)
    (100.0, 0.0)
    """
    return sum(c.capacity_t or 0.0 for c in closures if reference_year < c.effective_year <= year)


def added_by(additions: Sequence[CapacityAddition], year: int) -> float:
    """Capacity of the additions producing by ``year``.

    >>> added_by([CapacityAddition("p", "P", 10.0, 2026, "s")], 2025)
    0
    """
    return sum(a.capacity_t for a in additions if a.first_year <= year)


def timeline(
    plants: Sequence[PlantCapacity],
    closures: Sequence[ClosureEvent],
    additions: Sequence[CapacityAddition],
    *,
    reference_year: int,
    announced: Sequence[ClosureEvent] = (),
    demand_t: Mapping[int, float] | None = None,
    years: Sequence[int] = YEARS,
) -> list[TimelineYear]:
    """The timeline rows, one per year.

    >>> rows = timeline([PlantCapacity("p", "DE", 1000.0, "s")],
    ...                 [ClosureEvent("p", "P", 400.0, 2024, "s")],
    ...                 [CapacityAddition("n", "N", 100.0, 2026, "s")],
    ...                 reference_year=2022, years=(2023, 2024, 2026))
    >>> [(r.year, r.capacity_t, r.shortfall_t, r.gap_t) for r in rows]
    [(2023, 1000.0, 0.0, None), (2024, 600.0, 400.0, None), (2026, 700.0, 300.0, None)]
    """
    base = sum(p.capacity_t for p in plants)
    rows = []
    for year in years:
        closed = closed_by(closures, year, reference_year=reference_year)
        pending = closed_by(announced, year, reference_year=reference_year)
        funded = float(added_by(additions, year))
        cap = capacity_in_year(base, closed + pending, funded)
        demand = None if demand_t is None else demand_t.get(year)
        rows.append(
            TimelineYear(
                year=year,
                base_t=base,
                closed_t=closed,
                announced_t=pending,
                funded_t=funded,
                capacity_t=cap,
                shortfall_t=shortfall(base, cap),
                demand_t=demand,
                gap_t=None if demand is None else demand - cap,
            )
        )
    return rows


def gap_closed_share(
    addition_t: float, first_year: int, rows: Sequence[TimelineYear], *, until: int = 2030
) -> float:
    """Share of the shortfall in ``until`` a candidate closes if it produces by then.

    ``min(N, S) / S``; 0 when there is no shortfall or the candidate starts after ``until``.

    >>> rows = [TimelineYear(2030, 1000.0, 400.0, 0.0, 0.0, 600.0, 400.0, None, None)]
    >>> gap_closed_share(100.0, 2027, rows), gap_closed_share(900.0, 2027, rows)
    (0.25, 1.0)
    >>> gap_closed_share(100.0, 2031, rows)
    0.0
    """
    target = next((r for r in rows if r.year == until), None)
    if target is None or target.shortfall_t <= 0 or first_year > until:
        return 0.0
    return min(addition_t, target.shortfall_t) / target.shortfall_t
