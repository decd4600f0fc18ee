"""A hand-made alert history around week 2025-W48 (Monday 24 to Sunday 30 November 2025).

| alert | partner | created | later events | expected in W48 |
|---|---|---|---|---|
| A | CN | 25 Nov, volume red + price amber (red) | | new, red, chart |
| B | US | 10 Nov, volume red alone (amber) | 26 Nov price amber: red | escalated amber > red, no chart |
| C | IN | 10 Nov, volume amber | 27 Nov second volume amber | untouched (still amber) |
| D | JP | 2 Dec, price red + volume amber | | after the week |
| E | KR | 10 Nov, price amber | 3 Dec volume red: red | escalated after the week |
| F | BR | 26 Nov, policy info | | below amber |
| G | EXTRA_EU | 28 Nov, price amber | | new, amber, chart, not mapped |
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event

PERIOD = date(2025, 9, 1)
SERIES = {
    "periods": [f"2025-{m:02d}" for m in range(1, 10)],
    "values": [100.0, 104.0, 98.0, 101.0, None, 99.0, 103.0, 97.0, 30.0],
    "baseline": 100.0,
    "measure": "net mass (kg)",
}


def event(
    family: str,
    severity: str,
    partner: str,
    *,
    detector: str | None = None,
    evidence: dict[str, Any] | None = None,
) -> Event:
    return Event(
        detector=detector or f"{family}_test",
        detector_version="1.0",
        family=family,  # type: ignore[arg-type]
        key={"product": "28012000", "reporter": "EU27", "partner": partner, "flow": "1"},
        period=PERIOD,
        statistic=-5.0,
        threshold=3.0,
        severity=severity,  # type: ignore[arg-type]
        message=f"{family} {severity}",
        evidence=evidence if evidence is not None else {"recent": 30.0, "baseline": 100.0},
    )


def at(day: int, month: int = 11) -> datetime:
    return datetime(2025, month, day, 9, 30, tzinfo=UTC)


def build_history(store: AlertStore) -> None:
    """Store the alerts of the module docstring, each batch at its own time."""
    batches = [
        (at(10), [event("volume", "red", "US")]),
        (at(10), [event("volume", "amber", "IN")]),
        (at(10), [event("price", "amber", "KR")]),
        (
            at(25),
            [
                event("volume", "red", "CN", evidence=SERIES),
                event("price", "amber", "CN"),
            ],
        ),
        (at(26), [event("price", "amber", "US")]),
        (at(26), [event("policy", "info", "BR")]),
        (at(27), [event("volume", "amber", "IN", detector="volume_other")]),
        (
            at(28),
            [event("price", "amber", "EXTRA_EU", evidence={"series": SERIES, "baseline": 99.0})],
        ),
        (at(2, 12), [event("price", "red", "JP"), event("volume", "amber", "JP")]),
        (at(3, 12), [event("volume", "red", "KR")]),
    ]
    for now, events in batches:
        store.upsert(fuse(events), now=now)
