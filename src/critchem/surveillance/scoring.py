"""Scoring of live-replay detections against the injected events of a synthetic dataset.

A detection *matches* an injected event when it is on the same product, on the same partner
(or names no partner, e.g. an HHI jump), and its period lies within ``tolerance`` months of
the event's window ``[start, end]``. A detection that matches no injected event of any type is
a false alarm. A detector's *recall* counts the injected events of its target types
(:data:`TARGETS`) matched by a detection (same window rule: during the event or within
``tolerance`` months of it); the *delay* is the first month of raising minus the start month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from critchem.surveillance.metrics import false_alarms_per_100_series_years
from critchem.trade import synthetic

if TYPE_CHECKING:
    from critchem.surveillance.backtest import Detection

TARGETS: dict[str, frozenset[str]] = {
    "import_surge": frozenset({"import_surge"}),
    "seasonal_anomaly": frozenset({"import_surge", "price_collapse"}),
    "cusum": frozenset({"import_surge"}),
    "structural_break": frozenset({"import_surge"}),
    "bocpd": frozenset({"import_surge"}),
    "unit_value_outlier": frozenset({"price_collapse"}),
    "concentration_shift": frozenset({"concentration_shift", "supplier_exit"}),
    "quota_exhaustion": frozenset(),
    "export_shift": frozenset(),
}
"""The injected event types each built-in detector is meant to find."""


@dataclass(frozen=True, slots=True)
class DetectorScore:
    """One detector's back-test: events, false alarms, recall by type, delay."""

    detector: str
    n_events: int
    n_false: int
    precision: float
    recall: float | None
    f1: float | None
    mean_delay: float | None
    false_alarms_per_100_series_years: float
    n_series: int
    recall_by_type: dict[str, float]


def _month(label: str, where: dict[date, int]) -> int:
    return where[date.fromisoformat(f"{label}-01")]


def _matches(d: Detection, e: synthetic.Event, lo: int, hi: int, where: dict[date, int]) -> bool:
    partner = d.event.key.get("partner")
    return (
        d.event.key.get("product") == e.product
        and partner in (None, e.partner)
        and lo <= where[d.event.period] <= hi
    )


def score(
    name: str,
    detections: Sequence[Detection],
    truth: Sequence[synthetic.Event],
    *,
    periods: Sequence[date],
    n_series: int,
    n_months: int,
    tolerance: int = 2,
) -> DetectorScore:
    """Precision, recall (on ``TARGETS[name]``), F1, mean delay and false-alarm rate."""
    where = {p: i for i, p in enumerate(periods)}
    windows = [
        (e, _month(e.start, where), _month(e.end, where))
        for e in truth
        if e.start in _labels(where)
    ]
    false = [
        d
        for d in detections
        if not any(_matches(d, e, s - tolerance, f + tolerance, where) for e, s, f in windows)
    ]
    targets = [(e, s, f) for e, s, f in windows if e.event_type in TARGETS.get(name, frozenset())]
    delays: list[int] = []
    by_type: dict[str, list[bool]] = {}
    for e, s, f in targets:
        hits = [d for d in detections if _matches(d, e, s - tolerance, f + tolerance, where)]
        by_type.setdefault(e.event_type, []).append(bool(hits))
        if hits:
            delays.append(min(d.raised_at for d in hits) - s)
    n = len(detections)
    precision = (n - len(false)) / n if n else 1.0
    found = sum(sum(v) for v in by_type.values())
    recall = found / len(targets) if targets else None
    f1 = None
    if recall is not None:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return DetectorScore(
        detector=name,
        n_events=n,
        n_false=len(false),
        precision=precision,
        recall=recall,
        f1=f1,
        mean_delay=sum(delays) / len(delays) if delays else None,
        false_alarms_per_100_series_years=false_alarms_per_100_series_years(
            len(false), n_series, n_months
        ),
        n_series=n_series,
        recall_by_type={k: sum(v) / len(v) for k, v in by_type.items()},
    )


def _labels(where: dict[date, int]) -> set[str]:
    return {p.isoformat()[:7] for p in where}
