"""Published totals of EU production capacity, the denominator of a site's share.

For a molecule whose shipped register does not list every EU plant (``register_coverage.tsv``
names the complete ones), a site's share of EU capacity is its published capacity over a total
that a source publishes for the EU (``eu_capacity_totals.csv``), never over the sum of the
plants we happen to list. The same total gives the coverage of the register: the share of the
EU capacity its rows account for.

Every row names its source and date; a row without them is refused with its line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from critchem.nomenclature._files import data_text
from critchem.production.registers import (
    PublicDate,
    RegisterLoad,
    _capacity,
    _date,
    _molecule,
    _read,
    _required,
    _source,
)

EU_TOTALS = "eu_capacity_totals.csv"
TOTAL_COLUMNS = ("id", "molecule", "capacity_t", "scope", "as_of", "source")


@dataclass(frozen=True)
class EuTotal:
    """A published total of the EU's capacity for one molecule (t/year)."""

    id: str
    molecule: str
    capacity_t: float
    scope: str
    """The territory the source counts (``EU27``)."""
    as_of: PublicDate
    source: str
    note: str = ""


def _total(row: Mapping[str, str]) -> EuTotal:
    source = _source(row)
    molecule = _molecule(row.get("molecule") or "", optional=False)
    capacity = _capacity(row.get("capacity_t") or "", "capacity_t")
    if molecule is None or capacity is None:
        raise ValueError("capacity_t is empty: a total without a figure is not a total")
    scope = _required(row, "scope")
    if scope != "EU27":
        raise ValueError(f"scope {scope!r} is not EU27: a share of the EU needs the EU's total")
    return EuTotal(
        id=_required(row, "id"),
        molecule=molecule,
        capacity_t=capacity,
        scope=scope,
        as_of=_date(row, "as_of"),
        source=source,
        note=(row.get("note") or "").strip(),
    )


def parse_eu_totals(text: str, *, source: str = EU_TOTALS) -> RegisterLoad[EuTotal]:
    """Read a file of published EU capacity totals; unsourced or undated rows are refused.

    >>> load = parse_eu_totals(
    ...     "id,molecule,capacity_t,scope,as_of,source\\n"
    ...     "T1,ethylene,24500000,EU27,2025,https://a\\n"
    ...     "T2,propylene,20000000,EU27,2025,\\n"
    ...     "T3,chlorine,9000000,EU15+NO,2014,https://b\\n", source="t.csv")
    >>> load.summary()
    't.csv: read 3 = kept 1 + rejected 2'
    >>> [r.reason for r in load.rejected]  # doctest: +NORMALIZE_WHITESPACE
    ['no source: a register row names its source (URL or document)',
     "scope 'EU15+NO' is not EU27: a share of the EU needs the EU's total"]

    Raises
    ------
    ReferenceDataError
        When a required column is missing (names them).
    """
    return _read(text, source, TOTAL_COLUMNS, _total, "id")


@cache
def load_eu_totals() -> RegisterLoad[EuTotal]:
    """The shipped totals (cached)."""
    return parse_eu_totals(data_text("critchem.production", EU_TOTALS))


def eu_totals() -> dict[str, EuTotal]:
    """The newest published EU total of each molecule.

    >>> eu_totals()["ethylene"].capacity_t
    24500000.0
    """
    out: dict[str, EuTotal] = {}
    for row in sorted(load_eu_totals().rows, key=lambda r: r.as_of.key):
        out[row.molecule] = row
    return out
