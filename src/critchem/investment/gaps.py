"""Capacity gaps: EU demand against EU capacity, now and after a set of projects.

Per molecule, with all quantities in tonnes per year:

* demand is the apparent consumption ``D = P + M - X`` (production, extra-EU imports,
  extra-EU exports; Eurostat, *Statistics Explained*, "Apparent consumption");
* capacity now ``C0`` is the declared capacity of the plants producing today (operating, or
  running until an announced closure; closed plants excluded), the announced closures
  ``L`` are shown as a loss, and the selected projects add ``N``: ``C1 = C0 - L + N``;
* the gap is ``G = D - C`` (positive: the EU cannot make what it uses);
* the import dependency is ``M / D``; the new capacity could replace at most the extra-EU
  imports, ``R = min(N, M)``, and the dependency after it is ``(M - R) / D``.

The market balance comes from a versioned file (``data/example_market_balance.csv``, whose
shipped figures are ILLUSTRATIVE), one row per molecule and year.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from critchem.core.errors import ReferenceDataError
from critchem.molecules import load_registry

BALANCE_FILE = "example_market_balance.csv"
BALANCE_COLUMNS = ("molecule", "year", "production_t", "imports_t", "exports_t", "source")


def apparent_consumption(production_t: float, imports_t: float, exports_t: float) -> float:
    """EU demand as apparent consumption, ``D = P + M - X`` (Eurostat definition).

    >>> apparent_consumption(100.0, 30.0, 10.0)
    120.0
    """
    return production_t + imports_t - exports_t


def capacity_after(capacity_now_t: float, closures_t: float, added_t: float) -> float:
    """Capacity after the announced closures and the new projects, ``C1 = C0 - L + N``.

    >>> capacity_after(100.0, 20.0, 50.0)
    130.0
    """
    return capacity_now_t - closures_t + added_t


def capacity_gap(demand_t: float, capacity_t: float) -> float:
    """The capacity gap ``G = D - C`` (positive: demand exceeds EU capacity).

    >>> capacity_gap(120.0, 100.0), capacity_gap(120.0, 150.0)
    (20.0, -30.0)
    """
    return demand_t - capacity_t


def imports_replaced(added_t: float, imports_t: float) -> float:
    """Extra-EU imports that new capacity could replace, capped at the imports: ``min(N, M)``.

    >>> imports_replaced(50.0, 30.0), imports_replaced(10.0, 30.0), imports_replaced(0.0, 30.0)
    (30.0, 10.0, 0.0)
    """
    return min(max(added_t, 0.0), max(imports_t, 0.0))


def import_dependency(imports_t: float, demand_t: float) -> float | None:
    """Share of EU demand met by extra-EU imports, ``M / D``; ``None`` when ``D <= 0``.

    >>> import_dependency(30.0, 120.0)
    0.25
    >>> import_dependency(30.0, 0.0) is None
    True
    """
    if demand_t <= 0:
        return None
    return imports_t / demand_t


@dataclass(frozen=True)
class MarketBalance:
    """Production and extra-EU trade of one molecule in one year (t)."""

    molecule: str
    year: int
    production_t: float
    imports_t: float
    exports_t: float
    source: str
    illustrative: bool

    @property
    def demand_t(self) -> float:
        """Apparent consumption."""
        return apparent_consumption(self.production_t, self.imports_t, self.exports_t)


def _tonnes(row: dict[str, str], column: str, where: str) -> float:
    text = (row.get(column) or "").strip()
    try:
        value = float(text)
    except ValueError:
        raise ReferenceDataError(f"{where}: {column} {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise ReferenceDataError(f"{where}: {column} {text!r} must be zero or more tonnes")
    return value


def parse_market_balance(text: str, *, source: str = BALANCE_FILE) -> dict[str, MarketBalance]:
    """The latest year of each molecule of a market-balance CSV.

    >>> rows = parse_market_balance("molecule,year,production_t,imports_t,exports_t,source\\n"
    ...                             "ammonia,2024,100,30,10,x\\n")
    >>> rows["ammonia"].demand_t
    120.0

    Raises
    ------
    ReferenceDataError
        Naming the file, the line and the column of the first bad value.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in BALANCE_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ReferenceDataError(f"{source}: missing columns {', '.join(missing)}")
    registry = load_registry()
    found: dict[str, MarketBalance] = {}
    for row in reader:
        where = f"{source}, line {reader.line_num}"
        molecule = row["molecule"].strip()
        if molecule not in registry:
            raise ReferenceDataError(f"{where}: molecule {molecule!r} is not in the registry")
        year_text = row["year"].strip()
        if not (year_text.isdigit() and len(year_text) == 4):
            raise ReferenceDataError(f"{where}: year {year_text!r} is not a four-digit year")
        balance = MarketBalance(
            molecule=molecule,
            year=int(year_text),
            production_t=_tonnes(row, "production_t", where),
            imports_t=_tonnes(row, "imports_t", where),
            exports_t=_tonnes(row, "exports_t", where),
            source=row["source"].strip(),
            illustrative=(row.get("illustrative") or "").strip().casefold() in {"yes", "true"},
        )
        previous = found.get(molecule)
        if previous is not None and previous.year == balance.year:
            raise ReferenceDataError(f"{where}: {molecule} {balance.year} is given twice")
        if previous is None or balance.year > previous.year:
            found[molecule] = balance
    return found


@cache
def load_market_balance() -> dict[str, MarketBalance]:
    """The shipped, ILLUSTRATIVE market balance (latest year per molecule)."""
    text = resources.files("critchem.investment").joinpath("data", BALANCE_FILE)
    return parse_market_balance(text.read_text("utf-8"))


@dataclass(frozen=True)
class MoleculeGap:
    """The gap of one molecule now and after the projects (see the module docstring)."""

    molecule: str
    demand_t: float
    imports_t: float
    capacity_now_t: float
    closures_t: float
    added_t: float
    capacity_after_t: float
    gap_now_t: float
    gap_after_t: float
    imports_replaced_t: float
    dependency_now: float | None
    dependency_after: float | None


def molecule_gap(
    balance: MarketBalance, *, capacity_now_t: float, closures_t: float, added_t: float
) -> MoleculeGap:
    """Every figure of the gap view for one molecule.

    >>> b = MarketBalance("ammonia", 2024, 100.0, 30.0, 10.0, "x", True)
    >>> g = molecule_gap(b, capacity_now_t=110.0, closures_t=20.0, added_t=25.0)
    >>> g.demand_t, g.gap_now_t, g.capacity_after_t, g.gap_after_t, g.imports_replaced_t
    (120.0, 10.0, 115.0, 5.0, 25.0)
    >>> g.dependency_now, round(g.dependency_after, 4)
    (0.25, 0.0417)
    """
    demand = balance.demand_t
    after = capacity_after(capacity_now_t, closures_t, added_t)
    replaced = imports_replaced(added_t, balance.imports_t)
    return MoleculeGap(
        molecule=balance.molecule,
        demand_t=demand,
        imports_t=balance.imports_t,
        capacity_now_t=capacity_now_t,
        closures_t=closures_t,
        added_t=added_t,
        capacity_after_t=after,
        gap_now_t=capacity_gap(demand, capacity_now_t),
        gap_after_t=capacity_gap(demand, after),
        imports_replaced_t=replaced,
        dependency_now=import_dependency(balance.imports_t, demand),
        dependency_after=import_dependency(balance.imports_t - replaced, demand),
    )
