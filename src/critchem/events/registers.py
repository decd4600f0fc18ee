"""Load and query the event registers shipped in ``critchem/events/data``.

A register row names a product, its customs codes (CN8 or shorter prefixes), the countries
concerned (ISO 3166 alpha-2; empty = erga omnes), a key date (``start``: initiation of a
trade-defence case, entry into force of an export control, introduction of a surveillance
measure) and a ``source_url``. A row without a source or a valid start date is a
:class:`~critchem.core.errors.ReferenceDataError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from critchem.core.errors import ReferenceDataError

Kind = Literal["trade-defence", "export-control", "surveillance"]
KINDS: dict[Kind, str] = {
    "trade-defence": "trade_defence.csv",
    "export-control": "export_controls.csv",
    "surveillance": "surveillance_measures.csv",
}
"""Each register kind and the file that holds it."""


@dataclass(frozen=True, slots=True)
class RegisterEvent:
    """One sourced row of a register."""

    id: str
    kind: Kind
    product: str
    codes: tuple[str, ...]
    codes_basis: str
    countries: tuple[str, ...]
    measure: str
    start: date
    initiation_ref: str | None
    provisional_date: date | None
    provisional_ref: str | None
    definitive_date: date | None
    definitive_ref: str | None
    end: date | None
    source_url: str
    notes: str | None

    def covers(self, product: str | None, partner: str | None) -> bool:
        """Whether this event concerns CN code ``product`` imported from ``partner``.

        A code matches when one of the event's codes is a prefix of it (a heading covers
        its CN8 codes); an event without countries covers every partner.

        >>> e = load_events("export-control")[1]
        >>> e.covers("25041000", "CN"), e.covers("25041000", "US"), e.covers("29012100", "CN")
        (True, False, False)
        """
        if not product or not any(product.startswith(c) for c in self.codes):
            return False
        return not self.countries or (partner or "") in self.countries


def _date(raw: str, where: str, column: str) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ReferenceDataError(f"{where}: {column} {raw!r} is not a date (YYYY-MM-DD)") from None


def _opt(raw: str) -> str | None:
    return raw.strip() or None


def _parse(kind: Kind, name: str, text: str) -> list[RegisterEvent]:
    rows: list[RegisterEvent] = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        where = f"{name} line {line}"
        start = _date(row.get("start") or "", where, "start")
        source = (row.get("source_url") or "").strip()
        if start is None:
            raise ReferenceDataError(f"{where}: every row needs a start date")
        if not source.startswith(("http://", "https://")):
            raise ReferenceDataError(f"{where}: every row needs a source URL, got {source!r}")
        if row.get("kind") != kind:
            raise ReferenceDataError(f"{where}: kind {row.get('kind')!r}, expected {kind!r}")
        rows.append(
            RegisterEvent(
                id=row["id"].strip(),
                kind=kind,
                product=row["product"].strip(),
                codes=tuple((row.get("codes") or "").split()),
                codes_basis=(row.get("codes_basis") or "").strip(),
                countries=tuple((row.get("countries") or "").split()),
                measure=row["measure"].strip(),
                start=start,
                initiation_ref=_opt(row.get("initiation_ref") or ""),
                provisional_date=_date(row.get("provisional_date") or "", where, "provisional"),
                provisional_ref=_opt(row.get("provisional_ref") or ""),
                definitive_date=_date(row.get("definitive_date") or "", where, "definitive"),
                definitive_ref=_opt(row.get("definitive_ref") or ""),
                end=_date(row.get("end") or "", where, "end"),
                source_url=source,
                notes=_opt(row.get("notes") or ""),
            )
        )
    return rows


@cache
def _register(kind: Kind) -> tuple[RegisterEvent, ...]:
    name = KINDS[kind]
    text = resources.files("critchem.events").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(_parse(kind, name, text))


def load_events(kind: Kind | None = None) -> list[RegisterEvent]:
    """The rows of one register (or of all three), oldest start first.

    >>> [e.start.isoformat() for e in load_events("export-control")]
    ['2023-08-01', '2023-12-01', '2024-09-15']
    """
    kinds: list[Kind] = [kind] if kind else list(KINDS)
    rows = [e for k in kinds for e in _register(k)]
    return sorted(rows, key=lambda e: (e.start, e.id))


def events_for(product: str | None, partner: str | None) -> list[RegisterEvent]:
    """Every register event on CN code ``product`` that concerns imports from ``partner``.

    >>> [e.id for e in events_for("32061100", "CN")]
    ['td-ad696-tio2-cn']
    """
    return [e for e in load_events() if e.covers(product, partner)]
