"""The site-level mass-balance account over periods (ISO 22095:2020, 3.3.4): pure functions.

A mass-balance account is kept per site, product and period: certified *credits in* (the
certified quantities of the input batches the site receives, converted into the product by
the declared factor ``k``) and certified *claims out* (the certified quantities the site's
mass-balance transfers of the product claim). Within an account, credits are pooled across
batches: a claim is not tied to the inputs of its own batch.

The declared rule says how long a credit lives: ``carry_periods`` = ``N`` lets a credit booked
in period ``p`` be claimed up to the end of period ``p + N``; what is left then *expires*
(``N = 0``: the balance expires at the end of each period). Claims use the oldest credits
first. With the events of a period in date order (on one day, credits before claims):

    opening_p = closing_{p-1}
    closing_p = opening_p + credits_p − claims_p − expired_p                        (4)

and no claim may exceed the credits alive on its date (the balance never goes negative):

    claim ≤ Σ alive credits at its date                                               (5)

A claim that (5) refuses is not booked: the statement names it and the shortfall.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel

PeriodLength = Literal["month", "quarter", "year"]
TOLERANCE = 1e-9
"""Relative slack of (5), for floating-point sums."""


def period_index(day: date, length: PeriodLength) -> int:
    """A running number of the period containing ``day`` (months since year 0, etc.).

    >>> period_index(date(2026, 3, 31), "quarter") + 1 == period_index(date(2026, 4, 1), "quarter")
    True
    """
    if length == "month":
        return day.year * 12 + day.month - 1
    if length == "quarter":
        return day.year * 4 + (day.month - 1) // 3
    return day.year


def period_label(index: int, length: PeriodLength) -> str:
    """The period's name: ``2026-03``, ``2026-Q1`` or ``2026``.

    >>> period_label(period_index(date(2026, 5, 2), "quarter"), "quarter")
    '2026-Q2'
    """
    if length == "month":
        return f"{index // 12}-{index % 12 + 1:02d}"
    if length == "quarter":
        return f"{index // 4}-Q{index % 4 + 1}"
    return str(index)


@dataclass(frozen=True)
class Event:
    """A credit in (``+``) or a claim out (``-``) of the account, from one record."""

    record: str
    day: date
    kind: Literal["credit", "claim"]
    quantity: float


class Line(BaseModel):
    """One booked event of a period (``refused``: a claim (5) did not allow)."""

    record: str
    date: date
    kind: Literal["credit", "claim"]
    quantity: float
    refused: bool = False
    shortfall: float = 0.0


class PeriodRow(BaseModel):
    """One period of the account: equation (4)."""

    period: str
    opening: float
    credits_in: float
    claims_out: float
    expired: float
    closing: float
    lines: list[Line]


class Shortfall(BaseModel):
    """A claim the account could not cover: the record, its period, claimed and available."""

    record: str
    period: str
    claimed: float
    available: float


def _over(value: float, limit: float) -> bool:
    return value > limit + TOLERANCE * max(1.0, abs(limit))


def run(
    events: Iterable[Event],
    length: PeriodLength,
    carry_periods: int,
    *,
    until: date | None = None,
) -> tuple[list[PeriodRow], list[Shortfall]]:
    """The account's periods from the first event's to ``until``'s (or the last event's).

    >>> rows, short = run([Event("a", date(2026, 1, 5), "credit", 30),
    ...                    Event("b", date(2026, 2, 1), "claim", 20),
    ...                    Event("c", date(2026, 4, 1), "claim", 20)], "quarter", 0)
    >>> [(r.period, r.opening, r.credits_in, r.claims_out, r.expired, r.closing) for r in rows]
    [('2026-Q1', 0.0, 30.0, 20.0, 10.0, 0.0), ('2026-Q2', 0.0, 0.0, 0.0, 0.0, 0.0)]
    >>> [(s.record, s.claimed, s.available) for s in short]
    [('c', 20.0, 0.0)]
    """
    ordered = sorted(events, key=lambda e: (e.day, e.kind != "credit", e.record))
    if not ordered:
        return [], []
    first = period_index(ordered[0].day, length)
    last = period_index(until or ordered[-1].day, length)
    last = max(last, period_index(ordered[-1].day, length))
    lots: list[list[float]] = []  # [remaining, period booked]
    rows: list[PeriodRow] = []
    short: list[Shortfall] = []
    position = 0
    for p in range(first, last + 1):
        label = period_label(p, length)
        opening = sum(lot[0] for lot in lots)
        credits = claims = 0.0
        lines: list[Line] = []
        while position < len(ordered) and period_index(ordered[position].day, length) == p:
            event = ordered[position]
            position += 1
            if event.kind == "credit":
                lots.append([event.quantity, float(p)])
                credits += event.quantity
                lines.append(
                    Line(
                        record=event.record, date=event.day, kind="credit", quantity=event.quantity
                    )
                )
                continue
            available = sum(lot[0] for lot in lots)
            if _over(event.quantity, available):
                short.append(
                    Shortfall(
                        record=event.record,
                        period=label,
                        claimed=event.quantity,
                        available=round(available, 9),
                    )
                )
                lines.append(
                    Line(
                        record=event.record,
                        date=event.day,
                        kind="claim",
                        quantity=event.quantity,
                        refused=True,
                        shortfall=round(event.quantity - available, 9),
                    )
                )
                continue
            _draw(lots, event.quantity)
            claims += event.quantity
            lines.append(
                Line(record=event.record, date=event.day, kind="claim", quantity=event.quantity)
            )
        expired = 0.0
        alive: list[list[float]] = []
        for lot in lots:
            if lot[1] + carry_periods <= p:
                expired += lot[0]
            elif lot[0] > 0:
                alive.append(lot)
        lots = alive
        rows.append(
            PeriodRow(
                period=label,
                opening=round(opening, 9),
                credits_in=round(credits, 9),
                claims_out=round(claims, 9),
                expired=round(expired, 9),
                closing=round(sum(lot[0] for lot in lots), 9),
                lines=lines,
            )
        )
    return rows, short


def _draw(lots: Sequence[list[float]], quantity: float) -> None:
    """Take ``quantity`` from the oldest lots first."""
    left = quantity
    for lot in lots:
        if left <= 0:
            break
        taken = min(lot[0], left)
        lot[0] -= taken
        left -= taken
