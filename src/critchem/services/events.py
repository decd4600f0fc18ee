"""Event register services: list the registers and find the events linked to an alert."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from critchem.core.errors import NotFoundError
from critchem.events import KINDS, RegisterEvent, events_for, load_events


class EventOut(BaseModel):
    """One sourced register row."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    product: str
    codes: list[str]
    codes_basis: str
    countries: list[str]
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


LIST_COLUMNS = ["id", "kind", "product", "countries", "measure", "start", "source_url"]
"""The columns of the register table in the CLI."""


def _out(e: RegisterEvent) -> EventOut:
    return EventOut(
        id=e.id,
        kind=e.kind,
        product=e.product,
        codes=list(e.codes),
        codes_basis=e.codes_basis,
        countries=list(e.countries),
        measure=e.measure,
        start=e.start,
        initiation_ref=e.initiation_ref,
        provisional_date=e.provisional_date,
        provisional_ref=e.provisional_ref,
        definitive_date=e.definitive_date,
        definitive_ref=e.definitive_ref,
        end=e.end,
        source_url=e.source_url,
        notes=e.notes,
    )


def list_events(kind: str | None = None) -> list[EventOut]:
    """The rows of register ``kind`` (all three when ``None``), oldest first."""
    if kind is not None and kind not in KINDS:
        raise NotFoundError(
            f"no event register {kind!r}; known: {', '.join(KINDS)}", suggestions=list(KINDS)
        )
    return [_out(e) for e in load_events(kind)]


def linked_events(
    product: str | None, partner: str | None, cited: Iterable[str] = ()
) -> list[EventOut]:
    """The register events on the same code and country as an alert, then those it cites.

    ``cited`` are register ids named in the alert's evidence (a trade-diversion event names
    the case it follows, whose countries are not the alert's partner).
    """
    found = list(events_for(product, partner))
    wanted = set(cited) - {e.id for e in found}
    found += [e for e in load_events() if e.id in wanted]
    return [_out(e) for e in found]
