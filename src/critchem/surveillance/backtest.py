"""Replay monthly series as if live and score detectors against a known truth.

:func:`replay` runs a detector on every prefix of a series: at month ``t`` it sees only the
data up to ``t`` (no look-ahead) and keeps the events it reports for the last ``recent``
months that it had not reported before, each stamped with the month it was raised.
:func:`backtest` does that for every detector on the series it watches, built from a table in
the canonical flow schema (:func:`flow_series`, :func:`supplier_series`,
:func:`unit_value_series`), and scores them against the injected events of
:mod:`critchem.trade.synthetic` with :func:`critchem.surveillance.scoring.score`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from critchem.surveillance.base import Detector, Event, Series, Severity
from critchem.surveillance.detectors._common import FloatArray
from critchem.surveillance.registry import builtin_detectors
from critchem.surveillance.scoring import DetectorScore, score
from critchem.trade import synthetic
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT

InputKind = Literal["volume", "exports", "suppliers", "unit_values"]
INPUTS: dict[str, str] = {
    "import_surge": "volume",
    "seasonal_anomaly": "volume",
    "cusum": "volume",
    "structural_break": "volume",
    "bocpd": "volume",
    "quota_exhaustion": "volume",
    "unit_value_outlier": "unit_values",
    "concentration_shift": "suppliers",
    "export_shift": "exports",
}
"""Which series (an :data:`InputKind`) each built-in detector watches in the back-test."""


@dataclass(frozen=True, slots=True)
class Detection:
    """An event and the index of the month at which the live replay raised it."""

    event: Event
    raised_at: int


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
    >>> from critchem.surveillance.ground_truth import volume_series
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


def _pivot(
    table: pa.Table, measure: str
) -> tuple[tuple[date, ...], dict[tuple[str, str], FloatArray]]:
    """Sum of ``measure`` over reporters per (product, partner), NaN for months without rows."""
    months = table.column("period_start").to_numpy()
    periods, month = np.unique(months, return_inverse=True)
    pairs = np.char.add(
        np.char.add(table.column("product").to_numpy().astype(str), "|"),
        table.column("partner").to_numpy().astype(str),
    )
    names, pair = np.unique(pairs, return_inverse=True)
    values = table.column(measure).to_numpy(zero_copy_only=False).astype(np.float64)
    total = np.zeros((len(names), len(periods)))
    count = np.zeros((len(names), len(periods)))
    ok = np.isfinite(values)
    np.add.at(total, (pair[ok], month[ok]), values[ok])
    np.add.at(count, (pair[ok], month[ok]), 1.0)
    total[count == 0] = np.nan
    labels = tuple(date.fromisoformat(str(p)[:10]) for p in periods)
    out = {}
    for i, name in enumerate(names):
        product, partner = str(name).split("|")
        out[(product, partner)] = total[i]
    return labels, out


def _extra_eu(table: pa.Table, flow: int) -> pa.Table:
    keep = pc.and_(pc.equal(table.column("flow"), flow), pc.equal(table.column("trade_type"), "E"))
    keep = pc.and_(keep, pc.equal(table.column("partner_kind"), "country"))
    return table.filter(keep)


def flow_series(table: pa.Table, *, flow: int = FLOW_IMPORT) -> list[Series]:
    """EU27 (summed over reporters) extra-EU series per (product, partner): mass, ``extra["value"]``."""
    subset = _extra_eu(table, flow)
    periods, mass = _pivot(subset, "net_mass_kg")
    _, value = _pivot(subset, "value")
    return [
        Series(
            {
                "product": p,
                "reporter": "EU27",
                "flow": str(flow),
                "partner": q,
                "measure": "net_mass_kg",
            },
            periods,
            mass[(p, q)],
            {"value": value[(p, q)]},
        )
        for p, q in sorted(mass)
    ]


def _by_product(
    series: list[Series], field: Callable[[Series], FloatArray], measure: str
) -> list[Series]:
    out = []
    for product in sorted({s.key["product"] for s in series}):
        members = [s for s in series if s.key["product"] == product]
        extra = {s.key["partner"]: field(s) for s in members}
        total = np.nansum(np.vstack(list(extra.values())), axis=0)
        key = {"product": product, "reporter": "EU27", "flow": "1", "measure": measure}
        out.append(Series(key, members[0].periods, total, extra))
    return out


def supplier_series(table: pa.Table) -> list[Series]:
    """Per product: total extra-EU import value, ``extra`` = value per partner."""
    return _by_product(flow_series(table), lambda s: s.extra["value"], "value")


def unit_value_series(table: pa.Table) -> list[Series]:
    """Per product: total import mass, ``extra`` = unit value (EUR/kg) per partner."""

    def uv(s: Series) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(s.values > 0, s.extra["value"] / s.values, np.nan)

    return _by_product(flow_series(table), uv, "unit_value")


def inputs(table: pa.Table) -> dict[str, list[Series]]:
    """Every kind of series the detectors watch, built from ``table``."""
    return {
        "volume": flow_series(table),
        "exports": flow_series(table, flow=FLOW_EXPORT),
        "suppliers": supplier_series(table),
        "unit_values": unit_value_series(table),
    }


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
