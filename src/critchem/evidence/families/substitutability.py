"""Substitutability of a molecule, from a sourced register of published substitution indices.

``substitutability`` (0..1, 1 = not substitutable) is read from
``evidence/data/substitutability.csv``: one row per molecule with the published index, its
range, the years, what it is based on and the source with its URL (see
``evidence/data/SOURCES.md``). The index of the ``cca`` rule follows the substitution index
of the European Commission (2017), *Methodology for establishing the EU list of critical raw
materials*, section 3.3: the substitutes' cost and performance, weighted by the end-use shares.

A molecule without a row is missing with the reason, saying exactly what is absent; no
default, no sector average and no raw-material index is used for a chemical.
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

SUBSTITUTABILITY = "substitutability"
REGISTER = "substitutability.csv"
COLUMNS = ("molecule", "value", "low", "high", "years", "basis", "source_url", "source", "checked")
MISSING_REASON = (
    "no published substitution index for this molecule (evidence/data/substitutability.csv): "
    "the EU critical raw materials assessments publish substitution indices for raw materials "
    "(e.g. lithium, helium, phosphorus), not for chemicals, and no substitution assessment of "
    "this chemical with a checkable source was found; a raw material's index is not used"
)


@dataclass(frozen=True, slots=True)
class SubstitutionIndex:
    """One published substitution index of a molecule."""

    molecule: str
    value: float
    low: float
    high: float
    years: tuple[int, ...]
    basis: str
    source_url: str
    source: str
    checked: str


def parse_register(text: str, *, where: str = REGISTER) -> dict[str, SubstitutionIndex]:
    """The rows of the register; a row without a source, or outside 0..1, is refused with its line.

    >>> rows = parse_register(
    ...     "molecule,value,low,high,years,basis,source_url,source,checked\\n"
    ...     "x,0.9,0.85,0.95,2020,b,https://example.org,s,2026-01-01\\n"
    ... )
    >>> rows["x"].value, rows["x"].years
    (0.9, (2020,))
    >>> parse_register("molecule,value,low,high,years,basis,source_url,source,checked\\n"
    ...                "x,0.9,0.85,0.95,2020,b,,s,2026-01-01\\n")
    Traceback (most recent call last):
    ...
    critchem.core.errors.EvidenceError: substitutability.csv, line 2: a row needs a source and its URL
    """
    reader = csv.DictReader(io.StringIO(text))
    absent = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if absent:
        raise EvidenceError(f"{where}: missing columns {absent}")
    out: dict[str, SubstitutionIndex] = {}
    for line, row in enumerate(reader, start=2):
        if not row["source_url"].strip().startswith("https://") or not row["source"].strip():
            raise EvidenceError(f"{where}, line {line}: a row needs a source and its URL")
        try:
            value, low, high = float(row["value"]), float(row["low"]), float(row["high"])
            first, _, last = row["years"].strip().partition("-")
            years = tuple(range(int(first), int(last or first) + 1))
        except ValueError as error:
            raise EvidenceError(f"{where}, line {line}: {error}") from None
        if not 0 <= low <= value <= high <= 1:
            raise EvidenceError(f"{where}, line {line}: needs 0 <= low <= value <= high <= 1")
        molecule = row["molecule"].strip()
        out[molecule] = SubstitutionIndex(
            molecule,
            value,
            low,
            high,
            years,
            row["basis"].strip(),
            row["source_url"].strip(),
            row["source"].strip(),
            row["checked"].strip(),
        )
    return out


@cache
def _shipped() -> tuple[dict[str, SubstitutionIndex], str]:
    text = resources.files("critchem.evidence").joinpath("data", REGISTER).read_text("utf-8")
    return parse_register(text), hashlib.sha256(text.encode()).hexdigest()


@register
class SubstitutabilityFamily(IndicatorFamily):
    """``substitutability`` from the sourced register of published substitution indices."""

    name: ClassVar[str] = "substitutability"
    indicators: ClassVar[tuple[str, ...]] = (SUBSTITUTABILITY,)

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """One value per molecule: the published index, or missing with the reason."""
        indices, digest = _shipped()
        out: list[EvidenceValue] = []
        for molecule in molecules:
            found = indices.get(molecule)
            if found is None:
                out.append(
                    missing(molecule, SUBSTITUTABILITY, year, MISSING_REASON, source="register")
                )
                continue
            out.append(
                EvidenceValue(
                    molecule,
                    SUBSTITUTABILITY,
                    year,
                    found.value,
                    COMPUTED,
                    source="register",
                    years=found.years,
                    note=(
                        f"{found.low:g}-{found.high:g} published ({found.basis}); "
                        f"{found.source}; {found.source_url}; checked {found.checked}"
                    ),
                    provenance=Provenance(f"evidence/data/{REGISTER}", file_hashes=(digest,)),
                )
            )
        return out
