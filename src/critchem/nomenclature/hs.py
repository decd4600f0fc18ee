"""The Harmonized System, 2022 edition: chapters (HS2), headings (HS4) and subheadings (HS6)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from critchem.core.errors import InvalidHsCodeError
from critchem.nomenclature._compiled import LazyRows, compiled
from critchem.nomenclature._files import read_rows
from critchem.nomenclature.codes import normalise_code

HS_EDITIONS: tuple[int, ...] = (2012, 2017, 2022)
_PACKAGE = "critchem.nomenclature"


@dataclass(frozen=True, slots=True)
class HsEntry:
    """One HS code: chapter (2 digits), heading (4) or subheading (6)."""

    code: str
    description: str
    parent: str | None
    level: int
    section: str


class HsNomenclature:
    """The HS 2022 tree, looked up by code.

    >>> hs = load_hs()
    >>> hs.get("290121").description
    'Acyclic hydrocarbons; unsaturated, ethylene'
    >>> [e.code for e in hs.ancestors("290121")]
    ['29', '2901']
    """

    edition = 2022

    def __init__(self, entries: Mapping[str, HsEntry], sections: dict[str, str]) -> None:
        self._entries = entries
        self.sections = sections

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and normalise_code(code) in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, code: str) -> HsEntry:
        """The entry for ``code``; raises ``InvalidHsCodeError`` for a code not in HS 2022."""
        key = normalise_code(code)
        try:
            return self._entries[key]
        except KeyError:
            raise InvalidHsCodeError(
                f"HS code {code!r} does not exist in HS {self.edition}"
            ) from None

    def ancestors(self, code: str) -> list[HsEntry]:
        """The chapter and heading above ``code``, top first."""
        out: list[HsEntry] = []
        parent = self.get(code).parent
        while parent and parent in self._entries:
            out.append(self._entries[parent])
            parent = self._entries[parent].parent
        return out[::-1]

    def subheadings(self, level: int = 6) -> list[HsEntry]:
        """All entries at ``level`` (2, 4 or 6)."""
        return [e for e in self._entries.values() if e.level == level]


def _compile_hs() -> dict[str, Any]:
    """One row ``[code, description, parent, level, section]`` per HS code, and the sections."""
    rows: list[list[str | int | None]] = []
    for row in read_rows(_PACKAGE, "hs2022.csv.gz"):
        code = row["hscode"]
        if not code.isdigit():
            continue
        parent = row["parent"] if row["parent"].isdigit() else None
        rows.append([code, row["description"], parent, int(row["level"]), row["section"]])
    sections = {r["section"]: r["name"] for r in read_rows(_PACKAGE, "hs_sections.csv")}
    return {"rows": rows, "sections": sections}


@cache
def load_hs() -> HsNomenclature:
    """Load the shipped HS 2022 nomenclature (cached, compiled copy keyed by file hash)."""
    sources = [(_PACKAGE, "hs2022.csv.gz"), (_PACKAGE, "hs_sections.csv")]
    data = compiled("hs2022", sources, _compile_hs)
    rows = {str(r[0]): r for r in data["rows"]}
    return HsNomenclature(LazyRows(rows, lambda r: HsEntry(*r)), data["sections"])
