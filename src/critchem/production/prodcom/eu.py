"""EU sold production of a set of PRODCOM codes in one year, with what is unknown and why.

The EU figure is read from the EU aggregate rows PRODCOM publishes (``EU27_2020``), never
summed from Member States: Member State figures are often confidential while the EU total is
published. A code whose EU figure is confidential makes the total confidential ("confidential
in PRODCOM"); a code without a figure makes it missing; both are named.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from critchem.production.prodcom.records import CONFIDENTIAL, Observation, ProdcomParse

EU_REPORTERS = ("EU27_2020",)
"""Reporter codes of the EU aggregate, as PRODCOM writes it."""

COMPUTED = "computed"
MISSING = "missing"


@dataclass(frozen=True, slots=True)
class EuProduction:
    """The EU sold production of some PRODCOM codes in one year."""

    year: int
    codes: tuple[str, ...]
    value_eur: float | None
    quantity: float | None
    unit: str | None
    status: str
    """``computed``, ``confidential`` or ``missing``."""
    note: str
    file_hashes: tuple[str, ...]

    @property
    def value_known(self) -> bool:
        """Whether the value of sold production is known."""
        return self.value_eur is not None


def _index(
    parses: Iterable[ProdcomParse], reporters: Sequence[str], year: int
) -> tuple[dict[str, Observation], dict[str, str]]:
    found: dict[str, Observation] = {}
    origin: dict[str, str] = {}
    for parse in parses:
        for obs in parse.observations:
            if obs.year == year and obs.reporter in reporters:
                found.setdefault(obs.prccode, obs)
                origin.setdefault(obs.prccode, parse.sha256)
    return found, origin


def eu_production(
    parses: Iterable[ProdcomParse],
    codes: Sequence[str],
    year: int,
    *,
    reporters: Sequence[str] = EU_REPORTERS,
) -> EuProduction:
    """The EU sold production of ``codes`` in ``year`` (value in EUR, quantity when one unit).

    >>> from critchem.production.prodcom.records import Figure, Observation, ProdcomParse
    >>> obs = Observation("EU27_2020", "20141130", 2023, Figure(10.0, "reported"),
    ...                   Figure(5.0, "reported"), "kg")
    >>> p = ProdcomParse("f.csv", "api", "abc", (obs,), (), 3, 3, {})
    >>> eu_production([p], ["20141130"], 2023).value_eur
    10.0
    >>> eu_production([p], ["20141130"], 2022).note
    'no EU27_2020 row in the PRODCOM files for 2022: 20141130'
    """
    wanted = tuple(sorted(set(codes)))
    found, origin = _index(parses, reporters, year)
    hashes = tuple(sorted({origin[c] for c in wanted if c in origin}))
    absent = [c for c in wanted if c not in found]
    confidential = [
        c for c in wanted if c in found and found[c].production_value.status == CONFIDENTIAL
    ]
    unknown = [
        f"{c} ({found[c].production_value.status})"
        for c in wanted
        if c in found and c not in confidential and not found[c].production_value.usable
    ]
    label = "/".join(reporters)
    if not wanted:
        return EuProduction(year, wanted, None, None, None, MISSING, "no PRODCOM code", hashes)
    if confidential:
        note = f"confidential in PRODCOM: {', '.join(confidential)} ({label}, {year})"
        return EuProduction(year, wanted, None, None, None, CONFIDENTIAL, note, hashes)
    if absent or unknown:
        parts = []
        if absent:
            parts.append(f"no {label} row in the PRODCOM files for {year}: {', '.join(absent)}")
        if unknown:
            parts.append(f"no value of sold production for {', '.join(unknown)}")
        return EuProduction(year, wanted, None, None, None, MISSING, "; ".join(parts), hashes)
    value = sum(found[c].production_value.value or 0.0 for c in wanted)
    units = {found[c].unit for c in wanted}
    quantities = [found[c].production_quantity for c in wanted]
    quantity = None
    unit = None
    if len(units) == 1 and all(q.usable for q in quantities):
        quantity = sum(q.value or 0.0 for q in quantities)
        unit = units.pop()
    note = f"PRODCOM {label} {year}, sold production of {', '.join(wanted)}"
    return EuProduction(year, wanted, value, quantity, unit, COMPUTED, note, hashes)
