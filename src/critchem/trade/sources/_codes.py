"""Code tables shared by the trade sources: partners by alpha-2, alpha-3 and numeric code.

Built once from the shipped partner table (``critchem.nomenclature``), on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa

from critchem.nomenclature import load_countries
from critchem.nomenclature.countries import ALIASES
from critchem.trade.sources._vector import Encoded

CN8_RE = re.compile(r"^[0-9]{8}$")
MASKED_RE = re.compile(r"^[0-9]{2}[0-9A-Z]{6}$")
"""A confidential product: chapter digits then letters hiding the rest (``39XXXXXX``, ``99RRR100``)."""

PartnerTable = dict[str, tuple[str, str]]
"""A code as written in a file → (canonical partner code, partner kind)."""


@cache
def by_code() -> PartnerTable:
    """Comext/ISO alpha-2 codes, aggregates and Q-codes (and aliases such as ``EL``)."""
    table = {p.code: (p.code, p.kind) for p in load_countries()}
    for alias, code in ALIASES.items():
        if code in table:
            table[alias] = table[code]
    return table


@cache
def by_iso3() -> PartnerTable:
    """ISO 3166-1 alpha-3 codes of countries and territories."""
    table: PartnerTable = {}
    for p in load_countries():
        if p.iso3 and p.kind in {"country", "territory"}:
            table.setdefault(p.iso3, (p.code, p.kind))
    return table


@cache
def by_geonom() -> PartnerTable:
    """Numeric geonomenclature codes of the older Comext layout (``001`` France ...)."""
    return {p.geonom_numeric: (p.code, p.kind) for p in load_countries() if p.geonom_numeric}


@dataclass(frozen=True, slots=True)
class Resolved:
    """Partner codes of a column resolved through a table."""

    code: pa.Array
    kind: pa.Array
    unknown: np.ndarray
    entry_codes: list[str | None]


def resolve(column: Encoded, table: PartnerTable, normalise: bool = True) -> Resolved:
    """Map a column of codes through ``table`` (upper-cased and stripped when ``normalise``)."""
    codes: list[str | None] = []
    kinds: list[str | None] = []
    for entry in column.entries:
        key = entry.strip().upper() if normalise else entry
        found = table.get(key)
        codes.append(found[0] if found else None)
        kinds.append(found[1] if found else None)
    unknown = column.rows([code is None for code in codes])
    return Resolved(
        column.spread(codes, pa.string()), column.spread(kinds, pa.string()), unknown, codes
    )


def classify_products(
    column: Encoded, valid: re.Pattern[str] = CN8_RE
) -> tuple[np.ndarray, np.ndarray]:
    """Which rows have a masked product code, and which a code neither valid nor masked.

    A code is matched once per pattern and process (``_product_kind``): a bulk file has
    some ten thousand products, each in nearly every block.

    >>> masked, bad = classify_products(Encoded.of(pa.array(["39011010", "39XXXXXX", "3901"])))
    >>> masked.tolist(), bad.tolist()
    ([False, True, False], [False, False, True])
    """
    known = _KINDS.setdefault(valid.pattern, {})
    if len(known) > _KNOWN_PRODUCTS:
        known.clear()
    kinds = [known.get(entry) or _product_kind(known, entry, valid) for entry in column.entries]
    return column.rows([kind == "masked" for kind in kinds]), column.rows(
        [kind == "invalid" for kind in kinds]
    )


_KNOWN_PRODUCTS = 1 << 18
_KINDS: dict[str, dict[str, str]] = {}
"""Per pattern: product code → ``valid``, ``masked`` or ``invalid``."""


def _product_kind(known: dict[str, str], entry: str, valid: re.Pattern[str]) -> str:
    if valid.match(entry) is not None:
        kind = "valid"
    elif MASKED_RE.match(entry) is not None:
        kind = "masked"
    else:
        kind = "invalid"
    known[entry] = kind
    return kind
