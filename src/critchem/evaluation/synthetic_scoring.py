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

from critchem.evaluation.metrics import false_alarms_per_100_series_years
from critchem.surveillance.base import Event
from critchem.trade import synthetic

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
    "trade_diversion": frozenset(),
}
"""The injected event types each built-in detector is meant to find."""


@dataclass(frozen=True, slots=True)
class Detection:
    """An event and the index of the month at which the live replay raised it."""

    event: Event
    raised_at: int


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


@dataclass(frozen=True, slots=True)
class TypeScore:
    """One detector's score on one injected event type (see :func:`score_by_type`)."""

    detector: str
    event_type: str
    n_true: int
    found: int
    n_matching: int
    n_false: int
    precision: float
    recall: float
    f1: float
    mean_delay: float | None


def score_by_type(
    name: str,
    detections: Sequence[Detection],
    truth: Sequence[synthetic.Event],
    *,
    periods: Sequence[date],
    tolerance: int = 2,
) -> list[TypeScore]:
    """Precision, recall, F1 and mean delay of ``detections`` on each injected event type.

    For an event type ``T``: ``recall = found / n_true`` (events of ``T`` matched by a
    detection, the :func:`score` window rule), ``precision = m / (m + f)`` where ``m``
    counts the detections matching an event of ``T`` and ``f`` the false alarms (detections
    matching no injected event at all; those matching another type are left out, as they
    are neither right nor wrong for ``T``), ``F1 = 2PR / (P + R)``, and the delay is the first
    month of raising minus the event's start, averaged over the events found.

    Hand check: two surges, one found (raised 1 month after its start), 2 detections on it
    and 2 false alarms: ``R = 1/2``, ``P = 2/4``, ``F1 = 0.5``, delay 1.
    """
    where = {p: i for i, p in enumerate(periods)}
    labels = _labels(where)
    windows = [
        (e, _month(e.start, where) - tolerance, _month(e.end, where) + tolerance)
        for e in truth
        if e.start in labels
    ]
    n_false = sum(
        not any(_matches(d, e, lo, hi, where) for e, lo, hi in windows) for d in detections
    )
    out = []
    for kind in sorted({e.event_type for e, _, _ in windows}):
        mine = [(e, lo, hi) for e, lo, hi in windows if e.event_type == kind]
        matching = [
            d for d in detections if any(_matches(d, e, lo, hi, where) for e, lo, hi in mine)
        ]
        delays = []
        for e, lo, hi in mine:
            hits = [d.raised_at for d in matching if _matches(d, e, lo, hi, where)]
            if hits:
                delays.append(min(hits) - _month(e.start, where))
        recall = len(delays) / len(mine)
        flagged = len(matching) + n_false
        precision = len(matching) / flagged if flagged else 1.0
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        out.append(
            TypeScore(
                detector=name,
                event_type=kind,
                n_true=len(mine),
                found=len(delays),
                n_matching=len(matching),
                n_false=n_false,
                precision=precision,
                recall=recall,
                f1=f1,
                mean_delay=sum(delays) / len(delays) if delays else None,
            )
        )
    return out
