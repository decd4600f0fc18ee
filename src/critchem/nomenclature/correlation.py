"""Concordances: HS 2022 ⇄ 2017 ⇄ 2012 (UNSD) and CN year-to-year continuity.

A ``Link`` says which code of the other edition a code corresponds to and how: ``1:1`` (the
same goods), ``1:n`` (split), ``n:1`` (merged), ``n:n`` (regrouped). For the CN, codes
present in both years are unchanged and map to themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from critchem.core.errors import InvalidCnCodeError, InvalidHsCodeError
from critchem.nomenclature._compiled import compiled_part
from critchem.nomenclature._files import read_rows
from critchem.nomenclature.cn import load_cn
from critchem.nomenclature.codes import CN_YEARS, normalise_code
from critchem.nomenclature.hs import HS_EDITIONS

_PACKAGE = "critchem.nomenclature"
_FLIPPED = {"1:n": "n:1", "n:1": "1:n"}


@dataclass(frozen=True, slots=True)
class Link:
    """One correspondence from a code to a code of another edition or year."""

    code: str
    relationship: str


def _flip(relationship: str) -> str:
    """The relationship seen from the other side: a split one way is a merger the other way."""
    return _FLIPPED.get(relationship, relationship)


def _compile_hs_table(older: int) -> dict[str, dict[str, list[list[str]]]]:
    """HS 2022 → ``older`` and back, in parts by chapter: ``f<chapter>`` (from HS 2022) and
    ``b<chapter>`` (from ``older``), each code → ``[code, relationship]`` pairs (UNSD table)."""
    parts: dict[str, dict[str, list[list[str]]]] = {}
    for row in read_rows(_PACKAGE, f"hs2022_hs{older}_correlation.csv.gz"):
        new, old, rel = row["hs2022"], row[f"hs{older}"], row["relationship"]
        parts.setdefault(f"f{new[:2]}", {}).setdefault(new, []).append([old, rel])
        parts.setdefault(f"b{old[:2]}", {}).setdefault(old, []).append([new, _flip(rel)])
    return parts


@cache
def _hs_links(older: int, direction: str, chapter: str) -> dict[str, list[list[str]]]:
    """One chapter of HS 2022 → ``older`` (``direction`` "f") or back ("b"), compiled copy
    keyed by file hash (see :mod:`critchem.nomenclature._compiled`)."""
    name = f"hs2022_hs{older}_correlation.csv.gz"
    found = compiled_part(
        f"hs2022_hs{older}",
        [(_PACKAGE, name)],
        lambda: _compile_hs_table(older),
        f"{direction}{chapter}",
        version=3,
    )
    return found or {}


def convert_hs(code: str, *, source: int, target: int) -> list[Link]:
    """HS6 codes of edition ``target`` that correspond to ``code`` of edition ``source``.

    Conversions between 2017 and 2012 go through HS 2022.

    >>> convert_hs("290121", source=2022, target=2017)
    [Link(code='290121', relationship='1:1')]
    """
    for edition in (source, target):
        if edition not in HS_EDITIONS:
            raise InvalidHsCodeError(
                f"HS edition {edition} is not supported: use one of {', '.join(map(str, HS_EDITIONS))}"
            )
    key = normalise_code(code)
    if source == target:
        return [Link(key, "1:1")]
    if source == 2022:
        links = _hs_links(target, "f", key[:2]).get(key)
    elif target == 2022:
        links = _hs_links(source, "b", key[:2]).get(key)
    else:
        seen: dict[str, Link] = {}
        for mid in convert_hs(key, source=source, target=2022):
            for link in convert_hs(mid.code, source=2022, target=target):
                rel = "1:1" if mid.relationship == link.relationship == "1:1" else "n:n"
                seen.setdefault(link.code, Link(link.code, rel))
        return list(seen.values())
    if links is None:
        raise InvalidHsCodeError(f"HS code {key} is not in the HS {source} correlation table")
    return [Link(code, relationship) for code, relationship in links]


@cache
def _cn_changes() -> dict[tuple[int, int], dict[str, list[Link]]]:
    """``(from_year, to_year)`` → changed code → its links, both directions."""
    table: dict[tuple[int, int], dict[str, list[Link]]] = {}
    for row in read_rows(_PACKAGE, "cn_continuity.tsv", delimiter="\t"):
        y1, y2 = int(row["from_year"]), int(row["to_year"])
        old, new, rel = row["from_cn8"], row["to_cn8"], row["relationship"]
        if old:
            target = [Link(new, rel)] if new else []
            table.setdefault((y1, y2), {}).setdefault(old, []).extend(target)
        if new:
            source = [Link(old, _flip(rel))] if old else []
            table.setdefault((y2, y1), {}).setdefault(new, []).extend(source)
    return table


def convert_cn(code: str, *, source: int, target: int) -> list[Link]:
    """CN8 codes of year ``target`` that correspond to ``code`` of year ``source``.

    Steps one year at a time through the continuity table; an unchanged code maps to itself
    (``1:1``); a code that disappeared without successor maps to nothing.

    >>> convert_cn("29012100", source=2024, target=2026)
    [Link(code='29012100', relationship='1:1')]
    """
    for year in (source, target):
        if year not in CN_YEARS:
            raise InvalidCnCodeError(f"CN year {year} is not shipped: use one of {CN_YEARS}")
    key = normalise_code(code)
    if key not in load_cn(source):  # the code must exist in its own year
        raise InvalidCnCodeError(
            f"CN code {key} does not exist in the Combined Nomenclature {source}"
        )
    frontier = [Link(key, "1:1")]
    step = 1 if target > source else -1
    for year in range(source, target, step):
        changes = _cn_changes().get((year, year + step), {})
        nxt: dict[str, Link] = {}
        for link in frontier:
            for succ in changes.get(link.code, [Link(link.code, "1:1")]):
                rel = link.relationship if succ.relationship == "1:1" else succ.relationship
                nxt.setdefault(succ.code, Link(succ.code, rel))
        frontier = list(nxt.values())
    return frontier


def cn_changes(source: int, target: int) -> dict[str, list[Link]]:
    """The codes that changed between two consecutive CN years, with their links."""
    return {k: list(v) for k, v in _cn_changes().get((source, target), {}).items()}
