"""Replay monthly series as if live and score detectors against a known truth.

:func:`replay` runs a detector on every prefix of a series: at month ``t`` it sees only the
data up to ``t`` (no look-ahead) and keeps the events it reports for the last ``recent``
months that it had not reported before, each stamped with the month it was raised.
:func:`backtest` does that for every detector on the series it watches, built from a table in
the canonical flow schema (:func:`flow_series`, :func:`supplier_series`,
:func:`unit_value_series`), and scores them against the injected events of
:mod:`critchem.trade.synthetic` with :func:`critchem.evaluation.synthetic_scoring.score`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from critchem.evaluation.synthetic_scoring import Detection as Detection
from critchem.evaluation.synthetic_scoring import DetectorScore, score
from critchem.surveillance.base import Detector, Event, Series, Severity
from critchem.surveillance.inputs import (
    INPUTS,
    inputs,
)
from critchem.surveillance.registry import builtin_detectors
from critchem.trade import synthetic


def _prefix(series: Series, end: int) -> Series:
    return Series(
        series.key,
        series.periods[:end],
        series.values[:end],
        {k: v[:end] for k, v in series.extra.items()},
    )


def replay(
    make: Callable[[], Detector], series: Series, *, start: int = 24, recent: int = 3
) -> list[Detection]:
    """The events ``make()`` raises month by month on ``series`` from month ``start``.

    >>> from critchem.surveillance.detectors.surge import ImportSurgeDetector
    >>> from critchem.evaluation.ground_truth import volume_series
    >>> s = volume_series(60, seed=1)
    >>> s.values[50:53] *= 3
    >>> [(d.event.period.isoformat(), d.raised_at) for d in replay(ImportSurgeDetector, s)]
    [('2019-03-01', 50)]
    """
    seen: set[tuple[date, tuple[tuple[str, str], ...], str]] = set()
    out = []
    for t in range(start, len(series.periods)):
        for event in make().fit(_prefix(series, t + 1)).detect():
            if series.periods.index(event.period) <= t - recent:
                continue
            ident = (
                event.period,
                tuple(sorted(event.key.items())),
                str(event.evidence.get("signal", "")),
            )
            if ident not in seen:
                seen.add(ident)
                out.append(Detection(event, t))
    return out


def replay_detector(
    name: str, series_by_kind: dict[str, list[Series]], *, start: int = 24
) -> list[Detection]:
    """The live-replay detections of the built-in detector ``name`` on the series it watches."""
    make = builtin_detectors()[name]
    return [d for s in series_by_kind[INPUTS[name]] for d in replay(make, s, start=start)]


def fused(
    found: Iterable[Detection], *, red_only: bool = False, min_severity: Severity = "info"
) -> list[Detection]:
    """The alerts that fusion makes of ``found`` (all detectors together), as detections.

    Each alert (:func:`critchem.surveillance.alerts.fusion.fuse`, one per subject and month)
    of at least ``min_severity`` (``red`` with ``red_only``) becomes one detection at its
    month, named by product and partner (none when the alert is about the product's whole
    supply), raised when its first event was raised.
    """
    from critchem.surveillance.alerts.fusion import RANK, fuse

    floor = RANK["red" if red_only else min_severity]
    items = list(found)
    raised = {id(d.event): d.raised_at for d in items}
    out = []
    for draft in fuse(d.event for d in items):
        if RANK[draft.severity] < floor:
            continue
        subject = draft.subject
        key = {"product": str(subject.product or subject.molecule_id)}
        if subject.partner != "*":
            key["partner"] = subject.partner
        event = Event(
            "fused",
            "1",
            draft.families[0],
            key,
            draft.window_start,
            0.0,
            0.0,
            draft.severity,
            draft.title,
            {},
        )
        out.append(Detection(event, min(raised[id(e)] for e in draft.events)))
    return out


def backtest(
    dataset: synthetic.SyntheticDataset,
    *,
    names: Sequence[str] | None = None,
    tolerance: int = 2,
    start: int = 24,
) -> list[DetectorScore]:
    """Replay each detector (default: all built-in) on ``dataset`` and score it."""
    series_by_kind = inputs(dataset.table)
    scores = []
    for name in names or sorted(INPUTS):
        watched = series_by_kind[INPUTS[name]]
        found = replay_detector(name, series_by_kind, start=start)
        periods = watched[0].periods if watched else ()
        scores.append(
            score(
                name,
                found,
                dataset.events,
                periods=periods,
                n_series=len(watched),
                n_months=len(periods) - start,
                tolerance=tolerance,
            )
        )
    return scores
