"""EU demand of a molecule in tonnes: apparent consumption from PRODCOM and Comext.

Per molecule and year (tonnes):

* ``P``: the EU27 sold production quantity of the PRODCOM headings that cover the molecule's
  CN8 codes (Eurostat PRODCOM, DS-059358), converted from the heading's unit to tonnes of
  the molecule with a sourced factor (``data/prodcom_units.csv``: ``kg`` by the SI, ``kg N``
  of ammonia by the atomic weights);
* ``M`` and ``X``: the EU27's extra-EU imports and exports of the CN8 codes those headings
  cover, net mass in kg / 1000 (Comext);
* ``D = P + M - X`` (:func:`critchem.production.prodcom.apparent_consumption`).

A demand is only *sourced* when the three are known for the year, the codes cover exactly the
molecule (no group code, no form of another mass basis) and the trade is official (not the
synthetic source). Otherwise the figure says why it is not sourced, and the gap that needs it
is not computed: a missing figure is never read as zero, nor filled from another year.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache

from critchem.core.errors import ReferenceDataError
from critchem.nomenclature._files import read_rows

UNITS_FILE = "prodcom_units.csv"
SOURCED = "sourced"
NOT_SOURCED = "not_sourced"
UPPER_BOUND = "upper_bound"
METHOD_VERSION = "demand-2026.1"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class UnitFactor:
    """Tonnes of a molecule per PRODCOM quantity unit, with its formula and source."""

    unit: str
    molecule: str
    tonnes_per_unit: float
    formula: str
    source: str
    checked: str


@cache
def load_unit_factors() -> dict[tuple[str, str], UnitFactor]:
    """The shipped factors by (unit, molecule); ``*`` is any molecule.

    Raises
    ------
    ReferenceDataError
        A row without a positive factor, a URL source or a checked date, naming its line.
    """
    out: dict[tuple[str, str], UnitFactor] = {}
    for line, row in enumerate(read_rows("critchem.investment", UNITS_FILE), start=2):
        where = f"{UNITS_FILE}, line {line}"
        try:
            factor = float(row["tonnes_per_unit"])
        except (KeyError, ValueError):
            raise ReferenceDataError(f"{where}: tonnes_per_unit is not a number") from None
        if not (math.isfinite(factor) and factor > 0):
            raise ReferenceDataError(f"{where}: tonnes_per_unit must be positive")
        if not row.get("source", "").startswith(("http://", "https://")):
            raise ReferenceDataError(f"{where}: source is not a URL")
        if not _DATE.match(row.get("checked", "")):
            raise ReferenceDataError(f"{where}: checked is not a date YYYY-MM-DD")
        unit = UnitFactor(
            row["unit"].strip(),
            row["molecule"].strip(),
            factor,
            row["formula"],
            row["source"],
            row["checked"],
        )
        out[(unit.unit.casefold(), unit.molecule)] = unit
    return out


def unit_factor(unit: str | None, molecule: str) -> UnitFactor | None:
    """The factor converting ``unit`` to tonnes of ``molecule``, or ``None`` if none is sourced.

    >>> unit_factor("kg", "ethylene").tonnes_per_unit
    0.001
    >>> round(unit_factor("kg N", "ammonia").tonnes_per_unit * 1000, 4)
    1.2159
    >>> unit_factor("kg N", "urea") is None
    True
    """
    if not unit:
        return None
    factors = load_unit_factors()
    key = unit.strip().casefold()
    return factors.get((key, molecule)) or factors.get((key, "*"))


@dataclass(frozen=True, slots=True)
class DemandFigure:
    """The apparent consumption of one molecule in one year (t), or why it is not sourced."""

    molecule: str
    year: int
    status: str
    """``sourced``, ``upper_bound`` (covers more than the molecule) or ``not_sourced``."""
    demand_t: float | None
    production_t: float | None
    imports_t: float | None
    exports_t: float | None
    note: str
    codes: tuple[str, ...] = ()
    dataset: str = ""
    file_hashes: tuple[str, ...] = ()
    load_ids: tuple[str, ...] = ()
    method_version: str = METHOD_VERSION
    conversions: tuple[str, ...] = field(default=())

    @property
    def sourced(self) -> bool:
        """Whether the figure may be set against the molecule's capacity."""
        return self.status == SOURCED and self.demand_t is not None


def not_sourced(
    molecule: str,
    year: int,
    why: str,
    *,
    codes: tuple[str, ...] = (),
    dataset: str = "",
    file_hashes: tuple[str, ...] = (),
    load_ids: tuple[str, ...] = (),
) -> DemandFigure:
    """A figure that is not sourced, with the reason."""
    return DemandFigure(
        molecule,
        year,
        NOT_SOURCED,
        None,
        None,
        None,
        None,
        why,
        codes=codes,
        dataset=dataset,
        file_hashes=file_hashes,
        load_ids=load_ids,
    )


def demand_from(
    molecule: str,
    year: int,
    *,
    production_quantity: float | None,
    production_unit: str | None,
    imports_kg: float | None,
    exports_kg: float | None,
    upper_bound_why: str = "",
    codes: tuple[str, ...] = (),
    dataset: str = "",
    file_hashes: tuple[str, ...] = (),
    load_ids: tuple[str, ...] = (),
) -> DemandFigure:
    """``D = P + M - X`` in tonnes from PRODCOM's quantity and Comext's net masses.

    >>> f = demand_from("ethylene", 2023, production_quantity=1_500_000, production_unit="kg",
    ...                 imports_kg=300_000, exports_kg=100_000)
    >>> f.status, f.demand_t, f.production_t, f.imports_t, f.exports_t
    ('sourced', 1700.0, 1500.0, 300.0, 100.0)
    >>> demand_from("urea", 2023, production_quantity=10, production_unit="kg N",
    ...             imports_kg=0, exports_kg=0).note
    "PRODCOM unit 'kg N' has no sourced conversion to tonnes of urea (prodcom_units.csv)"
    """
    from critchem.production.prodcom import apparent_consumption

    def fail(why: str) -> DemandFigure:
        return not_sourced(
            molecule,
            year,
            why,
            codes=codes,
            dataset=dataset,
            file_hashes=file_hashes,
            load_ids=load_ids,
        )

    if production_quantity is None:
        return fail("no usable PRODCOM quantity (one unit over the headings needed)")
    factor = unit_factor(production_unit, molecule)
    if factor is None:
        return fail(
            f"PRODCOM unit {production_unit!r} has no sourced conversion to tonnes of "
            f"{molecule} ({UNITS_FILE})"
        )
    if imports_kg is None or exports_kg is None:
        return fail(f"no extra-EU trade net mass in the store for {year}")
    production_t = production_quantity * factor.tonnes_per_unit
    imports_t, exports_t = imports_kg / 1000.0, exports_kg / 1000.0
    demand = apparent_consumption(production_t, imports_t, exports_t)
    conversion = f"{production_unit} -> t: x {factor.tonnes_per_unit:g} ({factor.formula})"
    status = UPPER_BOUND if upper_bound_why else SOURCED
    note = "P + M - X, PRODCOM sold production and Comext extra-EU net mass"
    if upper_bound_why:
        note += f"; not the molecule's own demand: {upper_bound_why}"
    return DemandFigure(
        molecule,
        year,
        status,
        demand,
        production_t,
        imports_t,
        exports_t,
        note,
        codes,
        dataset,
        file_hashes,
        load_ids,
        METHOD_VERSION,
        (conversion,),
    )
