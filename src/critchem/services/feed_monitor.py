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


def watch_feed(
    *, store_root: Path, database_url: str, freq: Freq = "W", batched: bool = True
) -> dict[str, Any]:
    """Run every detector that declares ``freq`` on the feed's EU27 series; store the alerts.

    With ``batched``, a detector with an all-rows implementation sees the series of one
    calendar together (:func:`~critchem.surveillance.scan.detect_series`); the events are
    those of the detectors fitted series by series (``batched=False``), in the same order.
    """
    from critchem.surveillance.scan import BATCHED, detect_series

    with TradeStore(store_root) as store:
        table = store.rows(source="surveillance", freq="D")
    if table.num_rows == 0:
        raise NotFoundError("the trade store holds no declaration-level surveillance feed")
    series = aggregate(table, freq)
    chosen = detectors_for(freq)
    watched = [s for s in series if len(s.periods) >= MIN_PERIODS]
    found = {
        name: detect_series(cls(), watched)
        if batched and name in BATCHED
        else [cls().fit(s).detect() for s in watched]
        for name, cls in chosen.items()
    }
    events: list[Event] = [
        e for i in range(len(watched)) for name in chosen for e in found[name][i]
    ]
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
