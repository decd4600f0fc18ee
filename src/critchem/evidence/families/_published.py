"""Registers of published figures: one molecule, one share or index in 0..1, and its source.

The energy-cost share and the substitution index of a molecule come from published studies,
not from data the project computes. Each register is a CSV file under ``evidence/data`` with
the columns ``molecule, value, low, high, years, <what>, source_url, source, checked``, where
``<what>`` says what the figure measures (its name differs by register). A row without a
source and its URL, or with ``0 <= low <= value <= high <= 1`` false, is refused with its
line; a molecule without a row is missing with the register's reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from critchem.core.errors import EvidenceError
from critchem.evidence.base import COMPUTED, EvidenceValue, Provenance, missing


@dataclass(frozen=True, slots=True)
class PublishedFigure:
    """One published figure of a molecule: value, range, years, what it measures, source."""

    molecule: str
    value: float
    low: float
    high: float
    years: tuple[int, ...]
    measure: str
    source_url: str
    source: str
    checked: str


def years_of(text: str) -> tuple[int, ...]:
    """``"2019-2021"`` → ``(2019, 2020, 2021)``; ``"2020"`` → ``(2020,)``.

    >>> years_of("2019-2021"), years_of("2020")
    ((2019, 2020, 2021), (2020,))
    """
    first, _, last = text.partition("-")
    return tuple(range(int(first), int(last or first) + 1))


def parse_published(text: str, *, where: str, measure: str) -> dict[str, PublishedFigure]:
    """The rows of a register whose column ``measure`` says what each figure measures.

    >>> rows = parse_published(
    ...     "molecule,value,low,high,years,basis,source_url,source,checked\\n"
    ...     "x,0.9,0.85,0.95,2020,b,https://example.org,s,2026-01-01\\n",
    ...     where="r.csv", measure="basis")
    >>> rows["x"].value, rows["x"].years, rows["x"].measure
    (0.9, (2020,), 'b')
    """
    columns = ("molecule", "value", "low", "high", "years", measure, "source_url", "source")
    reader = csv.DictReader(io.StringIO(text))
    absent = [c for c in (*columns, "checked") if c not in (reader.fieldnames or [])]
    if absent:
        raise EvidenceError(f"{where}: missing columns {absent}")
    out: dict[str, PublishedFigure] = {}
    for line, row in enumerate(reader, start=2):
        if not row["source_url"].strip().startswith("https://") or not row["source"].strip():
            raise EvidenceError(f"{where}, line {line}: a row needs a source and its URL")
        try:
            value, low, high = float(row["value"]), float(row["low"]), float(row["high"])
            years = years_of(row["years"].strip())
        except ValueError as error:
            raise EvidenceError(f"{where}, line {line}: {error}") from None
        if not 0 <= low <= value <= high <= 1:
            raise EvidenceError(f"{where}, line {line}: needs 0 <= low <= value <= high <= 1")
        molecule = row["molecule"].strip()
        out[molecule] = PublishedFigure(
            molecule,
            value,
            low,
            high,
            years,
            row[measure].strip(),
            row["source_url"].strip(),
            row["source"].strip(),
            row["checked"].strip(),
        )
    return out


@cache
def shipped(register: str, measure: str) -> tuple[dict[str, PublishedFigure], str]:
    """The shipped register ``evidence/data/<register>`` and the SHA-256 of its text."""
    text = resources.files("critchem.evidence").joinpath("data", register).read_text("utf-8")
    return parse_published(text, where=register, measure=measure), hashlib.sha256(
        text.encode()
    ).hexdigest()


def published_values(
    indicator: str,
    molecules: Sequence[str],
    year: int,
    *,
    register: str,
    measure: str,
    missing_reason: str | Callable[[str], str],
) -> list[EvidenceValue]:
    """One value of ``indicator`` per molecule: the published figure, or missing with the reason
    (``missing_reason`` may be a function of the molecule)."""
    figures, digest = shipped(register, measure)
    out: list[EvidenceValue] = []
    for molecule in molecules:
        found = figures.get(molecule)
        if found is None:
            reason = missing_reason if isinstance(missing_reason, str) else missing_reason(molecule)
            out.append(missing(molecule, indicator, year, reason, source="register"))
            continue
        out.append(
            EvidenceValue(
                molecule,
                indicator,
                year,
                found.value,
                COMPUTED,
                source="register",
                years=found.years,
                note=(
                    f"{found.low:g}-{found.high:g} published ({found.measure}); "
                    f"{found.source}; {found.source_url}; checked {found.checked}"
                ),
                provenance=Provenance(f"evidence/data/{register}", file_hashes=(digest,)),
            )
        )
    return out
