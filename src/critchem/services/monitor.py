"""``critchem monitor``: run the detectors on what changed in the trade store and raise alerts.

A run is incremental: the watermark of the last finished run lists the loads it saw; only the
(source, product) pairs touched by newer loads are scanned (with their whole history, which
the detectors need as a baseline). Events are kept when they fall in the last ``recent``
months of each series (the newest data, where a warning is still news), fused into alerts
(red only when two independent pieces of evidence agree) and stored, deduplicated, in the
alert database.

Series scanned per product, all monthly and EU27 (the sum of the Member State reporters):
extra-EU imports and exports per origin (mass, with value beside it), supplier values per
origin, unit values per origin, import masses per origin (the trade-diversion screen after
the register's trade-defence cases), and, for sources that only publish partner totals (the
Comext SDMX extract, partner ``WORLD``), the import and export totals.

Each alert's provenance names the sources of its own series (``sources``), not every source
the run read (``run_sources``): see :mod:`critchem.services.alert_sources`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from critchem.core.labels import data_source_of
from critchem.services.alert_sources import provenance_by_series
from critchem.surveillance.alerts import AlertStore, finish_run, fuse, last_run, start_run
from critchem.surveillance.base import Event, Series
from critchem.surveillance.inputs import INPUTS, inputs
from critchem.surveillance.quality import corrected, misdeclarations
from critchem.surveillance.registry import builtin_detectors
from critchem.trade.periods import monthly_periods
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT
from critchem.trade.store import TradeStore

RECENT_MONTHS = 12
"""Events older than this many months before a series' last month are history, not news."""
BASELINE_MONTHS = 36
"""The months before the recent ones that serve as baseline: each series is cut to
``BASELINE_MONTHS + recent`` months, so that the baseline is the recent past (a level that
drifted years ago is not news) and every detector sees the same window."""
TOTAL_DETECTORS = ("import_surge", "seasonal_anomaly", "cusum", "structural_break")
"""Detectors run on partner-total series (sources without partner detail)."""


@dataclass(slots=True)
class MonitorReport:
    """What a monitor run saw and raised."""

    run_id: str
    new_loads: list[str]
    series: int = 0
    events: int = 0
    created: int = 0
    updated: int = 0
    alerts: list[dict[str, Any]] = field(default_factory=list)
    quality: list[dict[str, Any]] = field(default_factory=list)
    """Reporter-months held back by the data-quality gate (probable misdeclarations) in the
    recent months, with their numbers; their mass is corrected before the detectors run."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "run_id": self.run_id,
            "new_loads": self.new_loads,
            "series": self.series,
            "events": self.events,
            "created": self.created,
            "updated": self.updated,
            "alerts": self.alerts,
            "quality": self.quality,
        }


def _calendar(
    months: list[date], *columns: list[float | None]
) -> tuple[tuple[date, ...], np.ndarray, np.ndarray]:
    """Every month from the first to the last of ``months``, NaN where one has no row.

    The detectors count months by position (12 back is a year ago), so a month left out
    (e.g. incomplete) must stay as a gap rather than vanish.

    >>> p, a, b = _calendar([date(2024, 1, 1), date(2024, 3, 1)], [1.0, 3.0], [2.0, 6.0])
    >>> [d.month for d in p], a.tolist()
    ([1, 2, 3], [1.0, nan, 3.0])
    """
    first, last = months[0], months[-1]
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    periods = monthly_periods(count, start=first)
    where = {m: i for i, m in enumerate(periods)}
    out = []
    for column in columns:
        filled = np.full(count, np.nan)
        for month, v in zip(months, column, strict=True):
            filled[where[month]] = np.nan if v is None else v
        out.append(filled)
    return periods, out[0], out[1]


def _total_series(table: pa.Table, flow: int) -> list[Series]:
    """EU27 partner-total series (partner WORLD) per product, mass with value beside it."""
    rows = table.filter(
        pc.and_(pc.equal(table.column("partner"), "WORLD"), pc.equal(table.column("flow"), flow))
    )
    if rows.num_rows == 0:
        return []
    grouped = rows.group_by(["product", "period_start"]).aggregate(
        [("net_mass_kg", "sum"), ("value", "sum")]
    )
    out = []
    for product in sorted(set(grouped.column("product").to_pylist())):
        part = grouped.filter(pc.equal(grouped.column("product"), product)).sort_by("period_start")
        periods, mass, value = _calendar(
            part.column("period_start").to_pylist(),
            part.column("net_mass_kg_sum").to_pylist(),
            part.column("value_sum").to_pylist(),
        )
        key = {
            "product": product,
            "reporter": "EU27",
            "flow": str(flow),
            "partner": "WORLD",
            "measure": "net_mass_kg",
        }
        out.append(Series(key, periods, mass, {"value": value}))
    return out


MATERIALITY = 0.05
"""A per-origin series is watched only when the origin supplies at least this share of the
product's extra-EU trade value over the window (small, erratic flows are not news)."""


def _material(series: list[Series], floor: float = MATERIALITY) -> list[Series]:
    """The per-origin series whose origin weighs at least ``floor`` of its product's value."""
    totals: dict[tuple[str, str], float] = {}
    weights: list[float] = []
    for s in series:
        weight = float(np.nansum(s.extra.get("value", s.values)))
        weights.append(weight)
        group = (s.key["product"], s.key.get("flow", ""))
        totals[group] = totals.get(group, 0.0) + weight
    return [
        s
        for s, w in zip(series, weights, strict=True)
        if w > 0 and w >= floor * totals[(s.key["product"], s.key.get("flow", ""))]
    ]


def _window(series: Series, months: int) -> Series:
    """The last ``months`` months of ``series``."""
    if len(series.periods) <= months:
        return series
    return Series(
        series.key,
        series.periods[-months:],
        series.values[-months:],
        {k: v[-months:] for k, v in series.extra.items()},
    )


def molecule_of(product: str) -> str | None:
    """The molecule of the registry a CN8 code maps to, when it maps to exactly one.

    Through the reviewed CAS ⇄ CN8 mapping (:mod:`critchem.molecules`); a code shared by
    several molecules (or none) names no molecule, and the alert is about the code alone.

    >>> molecule_of("29012100"), molecule_of("00000000")
    ('ethylene', None)
    """
    from critchem.molecules.mapping import load_mapping

    found = {link.molecule_id for link in load_mapping().for_cn8(product)}
    return found.pop() if len(found) == 1 else None


def with_molecules(events: list[Event]) -> list[Event]:
    """``events`` with ``molecule_id`` added to the key of those whose product names one."""
    out = []
    for event in events:
        product = event.key.get("product")
        molecule = molecule_of(product) if product and "molecule_id" not in event.key else None
        out.append(
            replace(event, key={**event.key, "molecule_id": molecule}) if molecule else event
        )
    return out


def _detect(
    series_by_kind: dict[str, list[Series]],
    recent: int,
    advance: Callable[[int], None],
    *,
    batched: bool = True,
) -> list[Event]:
    """The recent events of every detector on the series of the kind it watches.

    With ``batched``, the detectors that have an all-rows implementation
    (:data:`~critchem.surveillance.scan.BATCHED`) see the series of one calendar together
    as a panel (:func:`~critchem.surveillance.scan.detect_series`); the others, and every
    detector without ``batched``, are fitted series by series. The events are the same.
    """
    from critchem.surveillance.scan import BATCHED, detect_series

    registry = builtin_detectors()
    plan = [(name, kind) for name, kind in INPUTS.items()]
    plan += [(name, "totals") for name in TOTAL_DETECTORS]
    events: list[Event] = []
    for name, kind in plan:
        watched: list[Series] = []
        for whole in series_by_kind.get(kind, []):
            series = _window(whole, BASELINE_MONTHS + recent)
            if len(series.periods) < 25 or not np.isfinite(series.values).any():
                advance(1)
                continue
            watched.append(series)
        if batched and name in BATCHED:
            found_by_series = detect_series(registry[name](), watched)
        else:
            found_by_series = [registry[name]().fit(s).detect() for s in watched]
        for series, found in zip(watched, found_by_series, strict=True):
            cutoff = series.periods[max(0, len(series.periods) - recent)]
            events.extend(e for e in found if e.period >= cutoff)
        advance(len(watched))
    return events


def run_monitor(
    *,
    store_root: Path,
    database_url: str,
    recent: int = RECENT_MONTHS,
    full: bool = False,
    progress: Callable[[int], Callable[[int], None]] | None = None,
    batched: bool = True,
) -> MonitorReport:
    """Scan what changed since the last run (everything with ``full``) and store the alerts.

    ``progress(total)`` may return a callback advanced by the number of series done.
    ``batched=False`` fits every detector series by series (the reference the batched
    path is tested against; same alerts, slower).
    """
    alerts = AlertStore(database_url)
    previous = None if full else last_run(alerts)
    seen = set((previous.watermark or {}).get("loads", [])) if previous else set()
    run_id = start_run(alerts, provenance={"store": str(store_root)})
    with TradeStore(store_root) as store:
        new = [load_id for load_id in store.committed_loads() if load_id not in seen]
        report = MonitorReport(run_id, new)
        scope = store.products_of(new, freq="M")
        if scope.num_rows == 0:
            finish_run(alerts, run_id, watermark={"loads": sorted(seen | set(new))})
            alerts.dispose()
            return report
        table = store.complete_months(scope)
        load_sources = {
            str(load): str(source)
            for load, source in store.connection.execute(
                "SELECT load_id, source FROM loads"
            ).fetchall()
        }
    flags = misdeclarations(table)
    table = corrected(table, flags)
    if flags:
        newest = pc.max(table.column("period_start")).as_py()
        months = (newest.year * 12 + newest.month - 1) - (recent - 1)
        since = date(months // 12, months % 12 + 1, 1)
        report.quality = [f.to_dict() for f in flags if f.period >= since]
    kinds: dict[str, list[Series]] = dict(inputs(table))
    window = BASELINE_MONTHS + recent
    for kind in ("volume", "exports"):
        kinds[kind] = _material([_window(s, window) for s in kinds[kind]])
    kinds["totals"] = _total_series(table, FLOW_IMPORT) + _total_series(table, FLOW_EXPORT)
    total = sum(len(v) for k, v in kinds.items() for n, kk in INPUTS.items() if kk == k)
    total += len(kinds["totals"]) * len(TOTAL_DETECTORS)
    report.series = sum(len(v) for v in kinds.values())
    advance = progress(total) if progress else (lambda _: None)
    events = with_molecules(_detect(kinds, recent, advance, batched=batched))
    report.events = len(events)
    drafts = fuse(events)
    sources = sorted(pc.unique(table.column("source")).to_pylist())
    provenance_of = provenance_by_series(table, load_sources, new)
    report.created, report.updated = alerts.upsert(
        drafts, provenance={"sources": sources, "loads": new}, provenance_of=provenance_of
    )
    report.alerts = [
        {
            "severity": d.severity,
            "title": d.title,
            "families": list(d.families),
            "events": len(d.events),
            "period": d.last_seen_period.isoformat(),
            "product": d.subject.product,
            "molecule_id": d.subject.molecule_id,
            "partner": d.subject.partner,
            "flow": d.subject.flow,
            "evidence": [f"{e.detector}: {e.message}" for e in d.events],
            "data_source": data_source_of(provenance_of(d)),
        }
        for d in sorted(drafts, key=lambda d: (d.severity != "red", d.severity != "amber", d.title))
    ]
    finish_run(
        alerts,
        run_id,
        watermark={"loads": sorted(seen | set(new))},
        created=report.created,
        updated=report.updated,
    )
    alerts.dispose()
    return report


def ground_truth_check(
    alerts: list[dict[str, Any]], events: list[dict[str, Any]], *, first: str, lag: int = 3
) -> list[dict[str, Any]]:
    """For each injected event still running on or after ``first`` (YYYY-MM): was it alerted?

    An event counts as found when an alert names its product and partner (or the product's
    whole supply, partner ``*``) within its months or the ``lag`` months after.
    """
    out = []
    for event in events:
        if event["end"] < first:
            continue
        start_year, start_month = map(int, event["start"].split("-"))
        end_year, end_month = map(int, event["end"].split("-"))
        last = end_year * 12 + end_month - 1 + lag
        hits = [
            a
            for a in alerts
            if a["product"] == event["product"]
            and a["partner"] in (event["partner"], "*")
            and start_year * 12 + start_month - 1
            <= int(a["period"][:4]) * 12 + int(a["period"][5:7]) - 1
            <= last
        ]
        out.append(
            {
                "event_type": event["event_type"],
                "product": event["product"],
                "partner": event["partner"],
                "start": event["start"],
                "found": bool(hits),
                "alert": hits[0]["title"] if hits else None,
            }
        )
    return out
