"""The EU Combined Nomenclature (CN8), one object per nomenclature year.

The Publications Office publishes many CN8 descriptions as a bare "Other"; ``CnEntry.label``
rebuilds the full human label from the heading, the HS subheading and the CN subheading chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from critchem.core.errors import InvalidCnCodeError
from critchem.nomenclature._compiled import compiled_part
from critchem.nomenclature._files import read_rows
from critchem.nomenclature.codes import CN_YEARS, CnCode, normalise_code
from critchem.nomenclature.hs import load_hs

LABEL_SEPARATOR = " › "


@dataclass(frozen=True, slots=True)
class CnEntry:
    """One CN8 code of one nomenclature year, with its full label."""

    code: str
    year: int
    name: str
    label: str
    heading: str
    heading_name: str
    subheading: str | None
    subheading_name: str | None
    hs6: str
    chapter: str
    section: str
    supplementary_unit: str | None

    @property
    def cn(self) -> CnCode:
        """The code as a value object."""
        return CnCode(self.code, self.year)


def _is_generic(name: str) -> bool:
    """Whether a CN description says nothing on its own ("Other", "Other:")."""
    return name.strip().rstrip(":").strip().lower() in {"other", "others", ""}


def full_label(
    *,
    heading_name: str,
    hs6_description: str | None,
    subheading_name: str | None,
    name: str,
) -> str:
    """Build the human label of a CN8 code from its chain of descriptions.

    The chain is heading › HS6 description (when the CN8 text alone does not identify the
    goods) › CN subheading (unless it is a bare "Other") › CN8 description. Empty or
    repeated links are dropped.

    >>> full_label(heading_name="Acyclic hydrocarbons", hs6_description=None,
    ...            subheading_name=None, name="Ethylene")
    'Acyclic hydrocarbons › Ethylene'
    >>> full_label(heading_name="Acyclic hydrocarbons",
    ...            hs6_description="Acyclic hydrocarbons; unsaturated, n.e.c. in heading no. 2901",
    ...            subheading_name=None, name="Other")
    'Acyclic hydrocarbons › Acyclic hydrocarbons; unsaturated, n.e.c. in heading no. 2901 › Other'
    """
    parts: list[str] = [heading_name]
    needs_context = _is_generic(name) or (
        subheading_name is not None and _is_generic(subheading_name)
    )
    if hs6_description and needs_context:
        parts.append(hs6_description)
    if subheading_name and not _is_generic(subheading_name):
        parts.append(subheading_name)
    parts.append(name)
    seen: list[str] = []
    for part in parts:
        clean = part.strip()
        if clean and clean.lower() not in (s.lower() for s in seen):
            seen.append(clean)
    return LABEL_SEPARATOR.join(seen)


class CombinedNomenclature:
    """All CN8 codes of one year, with lookups by code, prefix and HS6.

    An entry is built from its compiled row on first use, so that a look-up of one code
    does not pay for the ten thousand others.

    >>> cn = load_cn(2025)
    >>> cn.get("29012100").label
    'Acyclic hydrocarbons › Ethylene'
    >>> "29012100" in cn, "29012199" in cn
    (True, False)
    """

    def __init__(self, year: int, entries: dict[str, CnEntry], headings: dict[str, str]) -> None:
        self.year = year
        self.headings = headings
        self._rows: dict[str, list[str | None]] = {}
        self._entries = dict(entries)
        self._order = list(entries)
        self._codes_set = set(entries)
        self._chapters: Callable[[str], list[list[str | None]]] | None = None
        self._loaded: set[str] = set()
        self._by_hs6_index: dict[str, list[str]] | None = None

    @classmethod
    def from_rows(
        cls, year: int, rows: list[list[str | None]], headings: dict[str, str]
    ) -> CombinedNomenclature:
        """The nomenclature from compiled rows (the fields of ``CnEntry`` but ``year``)."""
        out = cls(year, {}, headings)
        out._rows = {str(row[0]): row for row in rows}
        out._order = list(out._rows)
        out._codes_set = set(out._order)
        return out

    @classmethod
    def from_chapters(
        cls,
        year: int,
        codes: list[str],
        headings: dict[str, str],
        chapter_rows: Callable[[str], list[list[str | None]]],
    ) -> CombinedNomenclature:
        """The nomenclature from its codes; each chapter's rows are read on first use."""
        out = cls(year, {}, headings)
        out._order = list(codes)
        out._codes_set = set(codes)
        out._chapters = chapter_rows
        return out

    def _codes(self) -> list[str]:
        return self._order

    def _entry(self, key: str) -> CnEntry:
        entry = self._entries.get(key)
        if entry is None:
            chapter = key[:2]
            if self._chapters is not None and chapter not in self._loaded:
                for row in self._chapters(chapter):
                    self._rows[str(row[0])] = row
                self._loaded.add(chapter)
            row = self._rows[key]
            entry = CnEntry(str(row[0]), self.year, *row[1:])  # type: ignore[arg-type]
            self._entries[key] = entry
        return entry

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        return normalise_code(code) in self._codes_set

    def __iter__(self) -> Iterator[CnEntry]:
        return iter([self._entry(code) for code in self._codes()])

    def __len__(self) -> int:
        return len(self._order)

    def get(self, code: str | CnCode) -> CnEntry:
        """The entry for an 8-digit code; raises ``InvalidCnCodeError`` if it is not in this year."""
        key = code.code if isinstance(code, CnCode) else CnCode(code, self.year).code
        if key not in self:
            raise InvalidCnCodeError(
                f"CN code {key} does not exist in the Combined Nomenclature {self.year}"
            )
        return self._entry(key)

    def by_hs6(self, hs6: str) -> list[CnEntry]:
        """The CN8 codes that refine one HS6 subheading."""
        if self._by_hs6_index is None:
            index: dict[str, list[str]] = {}
            for entry in self:
                index.setdefault(entry.hs6, []).append(entry.code)
            self._by_hs6_index = index
        return [self._entry(c) for c in self._by_hs6_index.get(normalise_code(hs6), [])]

    def with_prefix(self, prefix: str) -> list[CnEntry]:
        """The CN8 codes starting with ``prefix`` (a chapter, heading, HS6 ...)."""
        key = normalise_code(prefix)
        return [self._entry(c) for c in self._codes() if c.startswith(key)]


def _optional(value: str) -> str | None:
    return value.strip() or None


_PACKAGE = "critchem.nomenclature"
CN_COMPILED_VERSION = 1
"""Format version of the compiled CN rows (see :mod:`critchem.nomenclature._compiled`)."""


def cn_sources(year: int) -> list[tuple[str, str]]:
    """The shipped files a year's nomenclature is built from."""
    return [
        (_PACKAGE, f"cn{year}_headings.csv.gz"),
        (_PACKAGE, f"cn{year}_cn8.csv.gz"),
        (_PACKAGE, "hs2022.csv.gz"),
        (_PACKAGE, "hs_sections.csv"),
    ]


def _compile_cn(year: int) -> dict[str, Any]:
    """The headings and one row per CN8 code (``CnEntry``'s fields but ``year``), labels built."""
    hs = load_hs()
    headings = {r["code"]: r["name"] for r in read_rows(_PACKAGE, f"cn{year}_headings.csv.gz")}
    rows: list[list[str | None]] = []
    for row in read_rows(_PACKAGE, f"cn{year}_cn8.csv.gz"):
        code = row["cn8"]
        hs6 = row["hs6"] or code[:6]
        heading = row["heading"] or code[:4]
        heading_name = row["heading_name"] or headings.get(heading, "")
        hs6_entry = hs.get(hs6) if hs6 in hs else None
        subheading_name = _optional(row["parent_subheading_name"])
        label = full_label(
            heading_name=heading_name or (hs6_entry.description if hs6_entry else ""),
            hs6_description=hs6_entry.description if hs6_entry else None,
            subheading_name=subheading_name,
            name=row["name"],
        )
        rows.append(
            [
                code,
                row["name"],
                label,
                heading,
                heading_name,
                _optional(row["parent_subheading"]),
                subheading_name,
                hs6,
                row["chapter"] or code[:2],
                row["section"],
                _optional(row["supplementary_unit"]),
            ]
        )
    return {"headings": headings, "rows": rows}


def _compile_chapters(year: int) -> dict[str, Any]:
    """The compiled CN in parts: ``index`` (codes in order, headings) and one per chapter."""
    data = _compile_cn(year)
    parts: dict[str, Any] = {
        "index": {"codes": [r[0] for r in data["rows"]], "headings": data["headings"]}
    }
    for row in data["rows"]:
        parts.setdefault(str(row[0])[:2], []).append(row)
    return parts


@cache
def load_cn(year: int) -> CombinedNomenclature:
    """Load the shipped Combined Nomenclature of ``year`` (2024, 2025 or 2026; cached).

    The parsed rows are kept as a compiled copy in parts (the list of codes, then one part
    per chapter read on first use), keyed by the source files' hash (see
    :mod:`critchem.nomenclature._compiled`).
    """
    if year not in CN_YEARS:
        raise InvalidCnCodeError(
            f"No Combined Nomenclature shipped for {year}: available years are "
            + ", ".join(map(str, CN_YEARS))
        )
    sources = cn_sources(year)

    def part(name: str) -> Any:
        return compiled_part(
            f"cn{year}",
            sources,
            lambda: _compile_chapters(year),
            name,
            version=CN_COMPILED_VERSION,
        )

    index = part("index")
    return CombinedNomenclature.from_chapters(
        year, index["codes"], index["headings"], lambda chapter: part(chapter) or []
    )
