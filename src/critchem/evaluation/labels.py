"""Labelled events and detections, the two inputs of every score."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from critchem.events import RegisterEvent


@dataclass(frozen=True, slots=True)
class LabelledEvent:
    """A known event: on which trade, of which type, when, and where the label comes from."""

    product: str
    reporter: str
    partner: str
    type: str
    start: date
    end: date
    source: str


@dataclass(frozen=True, slots=True)
class Detection:
    """What a detector or a fusion rule raised: on which trade, in which month."""

    product: str
    partner: str
    period: date
    severity: str = "amber"


def from_register(rows: Iterable[RegisterEvent], *, reporter: str = "EU27") -> list[LabelledEvent]:
    """One labelled event per (code, country) of each register row that names both.

    Rows without codes or without countries (erga omnes) give no label: a detection could
    not be matched on the partner.
    """
    return [
        LabelledEvent(
            product=code,
            reporter=reporter,
            partner=country,
            type=row.kind,
            start=row.start,
            end=row.definitive_date or row.end or row.start,
            source=row.source_url,
        )
        for row in rows
        for code in row.codes
        for country in row.countries
    ]
