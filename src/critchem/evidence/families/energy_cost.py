"""Share of energy in the EU production cost, from published plant-level studies.

``energy_cost_share`` of a molecule is read from the sourced register
``evidence/data/energy_cost_share.csv`` (one row per molecule, with the published range, the
years and the source; see ``evidence/data/SOURCES.md``). A molecule without a row is missing
with the reason: no published share was found, and a sector average (NACE) is not used for one
molecule.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import ClassVar

from critchem.core.errors import EvidenceError
from critchem.evidence.base import (
    COMPUTED,
    EvidenceContext,
    EvidenceValue,
    IndicatorFamily,
    Provenance,
    missing,
    register,
)

ENERGY = "energy_cost_share"
REGISTER = "energy_cost_share.csv"
COLUMNS = (
    "molecule",
    "value",
    "low",
    "high",
    "years",
    "measure",
    "source_url",
    "source",
    "checked",
)


@dataclass(frozen=True, slots=True)
class EnergyShare:
    """One published share of energy in the production cost of a molecule."""

    molecule: str
    value: float
    low: float
    high: float
    years: tuple[int, ...]
    measure: str
    source_url: str
    source: str
    checked: str


def _years(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    return tuple(range(int(first), int(last or first) + 1))


def parse_register(text: str, *, where: str = REGISTER) -> dict[str, EnergyShare]:
    """The rows of the register; a row without a source, or out of range, is refused.

    >>> rows = parse_register(
    ...     "molecule,value,low,high,years,measure,source_url,source,checked\\n"
    ...     "x,0.5,0.4,0.6,2020,m,https://example.org,s,2026-01-01\\n"
    ... )
    >>> rows["x"].value, rows["x"].years
    (0.5, (2020,))
    """
    reader = csv.DictReader(io.StringIO(text))
    missing_columns = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing_columns:
        raise EvidenceError(f"{where}: missing columns {missing_columns}")
    out: dict[str, EnergyShare] = {}
    for line, row in enumerate(reader, start=2):
        if not row["source_url"].strip().startswith("https://") or not row["source"].strip():
            raise EvidenceError(f"{where}, line {line}: a row needs a source and its URL")
        try:
            value, low, high = float(row["value"]), float(row["low"]), float(row["high"])
            years = _years(row["years"].strip())
        except ValueError as error:
            raise EvidenceError(f"{where}, line {line}: {error}") from None
        if not 0 <= low <= value <= high <= 1:
            raise EvidenceError(f"{where}, line {line}: needs 0 <= low <= value <= high <= 1")
        out[row["molecule"].strip()] = EnergyShare(
            row["molecule"].strip(),
            value,
            low,
            high,
            years,
            row["measure"].strip(),
            row["source_url"].strip(),
            row["source"].strip(),
            row["checked"].strip(),
        )
    return out


@cache
def _shipped() -> tuple[dict[str, EnergyShare], str]:
    text = resources.files("critchem.evidence").joinpath("data", REGISTER).read_text("utf-8")
    return parse_register(text), hashlib.sha256(text.encode()).hexdigest()


def load_register() -> dict[str, EnergyShare]:
    """The shipped register (cached)."""
    return _shipped()[0]


@register
class EnergyCostFamily(IndicatorFamily):
    """``energy_cost_share`` from the sourced register of published plant-level studies."""

    name: ClassVar[str] = "energy_cost"
    indicators: ClassVar[tuple[str, ...]] = (ENERGY,)

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """One value per molecule: the published share, or missing with the reason."""
        shares, digest = _shipped()
        out: list[EvidenceValue] = []
        for molecule in molecules:
            found = shares.get(molecule)
            if found is None:
                out.append(
                    missing(
                        molecule,
                        ENERGY,
                        year,
                        "no published share of energy in the EU production cost of this "
                        f"molecule (evidence/data/{REGISTER}); a NACE average is not used",
                        source="register",
                    )
                )
                continue
            out.append(
                EvidenceValue(
                    molecule,
                    ENERGY,
                    year,
                    found.value,
                    COMPUTED,
                    source="register",
                    years=found.years,
                    note=(
                        f"{found.low:g}-{found.high:g} published ({found.measure}); "
                        f"{found.source}; {found.source_url}; checked {found.checked}"
                    ),
                    provenance=Provenance(f"evidence/data/{REGISTER}", file_hashes=(digest,)),
                )
            )
        return out
