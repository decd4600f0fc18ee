"""``critchem watch``: the detectors on daily or weekly aggregates of the surveillance feed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from critchem.core.errors import NotFoundError
from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event
from critchem.surveillance.feed import Freq, aggregate
from critchem.surveillance.registry import detectors_for
from critchem.trade.store import TradeStore

MIN_PERIODS = 25
"""Fewer periods than this are too short a baseline for any detector."""


def watch_feed(*, store_root: Path, database_url: str, freq: Freq = "W") -> dict[str, Any]:
    """Run every detector that declares ``freq`` on the feed's EU27 series; store the alerts."""
    with TradeStore(store_root) as store:
        table = store.rows(source="surveillance", freq="D")
    if table.num_rows == 0:
        raise NotFoundError("the trade store holds no declaration-level surveillance feed")
    series = aggregate(table, freq)
    chosen = detectors_for(freq)
    events: list[Event] = []
    for s in series:
        if len(s.periods) < MIN_PERIODS:
            continue
        for cls in chosen.values():
            events.extend(cls().fit(s).detect())
    drafts = fuse(events)
    alerts = AlertStore(database_url)
    try:
        created, updated = alerts.upsert(
            drafts, provenance={"sources": ["surveillance"], "freq": freq}
        )
    finally:
        alerts.dispose()
    return {
        "freq": freq,
        "series": len(series),
        "detectors": sorted(chosen),
        "events": len(events),
        "created": created,
        "updated": updated,
        "alerts": [
            {"severity": d.severity, "title": d.title, "events": len(d.events)} for d in drafts
        ],
    }
