"""Every detector over many monthly series at once: the full scan.

A :class:`Panel` holds series of one calendar as a matrix (series × months) with their keys
and aligned side matrices (e.g. ``"value"`` next to the volumes). :func:`detect_panel` runs
one detector over all rows: the three detectors whose work is a model fitted to each series
(STL for ``seasonal_anomaly``, PELT for ``structural_break``, the run-length posterior for
``bocpd``) and ``cusum`` (whose trailing medians are costly one series at a time) compute it
for all rows together in array operations (:mod:`~critchem.surveillance.stl_many`,
:mod:`~critchem.surveillance.breaks_many`, :mod:`~critchem.surveillance.bocpd_many`,
:mod:`~critchem.surveillance.rows`) and build events only for the rows that cross their
threshold, with the detector's own code; the others run row by row. The
cross-section detectors (``unit_value_outlier``, ``concentration_shift``) see one series per
product, its origins side by side (:func:`product_series`).

The events are those of the detectors run series by series: the same months, severities
and evidence; statistics that come from STL or BOCPD agree to rounding (``1e-9``; see the
tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from critchem.surveillance.base import Detector, Event, Series
from critchem.surveillance.detectors._common import MAD_TO_SIGMA, fill_gaps

FloatArray = npt.NDArray[np.float64]
CHUNK = 4096
"""Series processed together by the batched detectors (bounds the memory of a step)."""


@dataclass(frozen=True, slots=True)
class Panel:
    """Monthly series of one calendar: ``values`` (series × months) and their ``keys``."""

    periods: tuple[date, ...]
    keys: tuple[dict[str, str], ...]
    values: FloatArray
    extra: dict[str, FloatArray] = field(default_factory=dict)
    """Side matrices of the same shape as ``values``, by name (e.g. ``"value"``)."""

    def __post_init__(self) -> None:
        shape = (len(self.keys), len(self.periods))
        for name, matrix in {"values": self.values, **self.extra}.items():
            if matrix.shape != shape:
                raise ValueError(
                    f"panel {name}: shape {matrix.shape}, expected {shape} (series x months)"
                )

    def __len__(self) -> int:
        return len(self.keys)

    def series(self, i: int) -> Series:
        """Row ``i`` as a :class:`~critchem.surveillance.base.Series`."""
        extra = {name: matrix[i] for name, matrix in self.extra.items()}
        return Series(self.keys[i], self.periods, self.values[i], extra)


def _chunks(n: int) -> Iterator[slice]:
    for lo in range(0, n, CHUNK):
        yield slice(lo, min(n, lo + CHUNK))


def _log_rows(y: FloatArray, min_values: int) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Gap-filled ``log y`` of the rows with ``min_values`` positive values, and which rows."""
    valid = np.isfinite(y) & (y > 0)
    enough = valid.sum(axis=1) >= min_values
    logs = np.where(valid, np.log(np.where(valid, y, 1.0)), np.nan)
    for i in np.flatnonzero(enough & ~valid.all(axis=1)):
        logs[i] = fill_gaps(logs[i])
    return logs, enough


def _seasonal_many(detector: Any, panel: Panel) -> list[list[Event]]:
    """``seasonal_anomaly`` on every row: STL of all rows at once, events where ``|z| ≥ 6``."""
    from critchem.surveillance.stl_many import stl_remainders

    k, n = panel.values.shape
    first = panel.series(0) if k else None
    if first is None:
        return []
    measures = [panel.values]
    if "value" in panel.extra:
        with np.errstate(divide="ignore", invalid="ignore"):
            measures.append(panel.extra["value"] / panel.values)
    scores: list[FloatArray] = []
    usable: list[npt.NDArray[np.bool_]] = []
    for y in measures:
        logs, enough = _log_rows(y, detector.min_months)
        z = np.full((k, n), np.nan)
        rows = np.flatnonzero(enough)
        for part in _chunks(len(rows)):
            chosen = rows[part]
            resid = stl_remainders(
                logs[chosen], period=12, robust=True, seasonal=35, trend=37, seasonal_deg=0
            )
            center = np.median(resid, axis=1, keepdims=True)
            scale = MAD_TO_SIGMA * np.median(np.abs(resid - center), axis=1, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                z[chosen] = np.where(scale > 0, (resid - center) / scale, 0.0)
        ok = np.isfinite(y) & (y > 0)
        scores.append(np.where(ok, z, np.nan))
        usable.append(enough)
    hits = np.zeros(k, dtype=bool)
    for z, enough in zip(scores, usable, strict=True):
        hits |= enough & (np.abs(np.nan_to_num(z)) >= detector.threshold).any(axis=1)
    out: list[list[Event]] = [[] for _ in range(k)]
    for i in np.flatnonzero(hits):
        row = [z[i] if enough[i] else None for z, enough in zip(scores, usable, strict=True)]
        out[i] = detector.events(panel.series(int(i)), row)
    return out


def _breaks_many(detector: Any, panel: Panel) -> list[list[Event]]:
    """``structural_break`` on every row: PELT of all rows at once (:mod:`breaks_many`)."""
    from critchem.surveillance.breaks_many import detect_breaks_many

    x = panel.values
    observed = np.isfinite(x)
    positive: npt.NDArray[np.bool_] = np.asarray(
        np.where(observed, x > 0, True).all(axis=1) & observed.any(axis=1)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.where(positive[:, None], np.log(np.where(observed, x, 1.0)), x)
    logs[~observed] = np.nan
    out: list[list[Event]] = [[] for _ in range(len(x))]
    for part in _chunks(len(x)):
        cuts = detect_breaks_many(logs[part])
        for i, found in zip(range(part.start, part.stop), cuts, strict=True):
            if found:
                out[i] = detector.events(panel.series(i), found)
    return out


def _bocpd_many(detector: Any, panel: Panel) -> list[list[Event]]:
    """``bocpd`` on every row: the run-length posteriors of all rows at once."""
    from critchem.surveillance.bocpd_many import recent_run_posterior

    k = len(panel)
    out: list[list[Event]] = [[] for _ in range(k)]
    for part in _chunks(k):
        rows, zs = [], []
        for i in range(part.start, part.stop):
            z = detector.standardised(panel.series(i))
            if z is not None:
                rows.append(i)
                zs.append(z)
        if not rows:
            continue
        post = recent_run_posterior(np.vstack(zs), hazard=1.0 / detector.expected_run)
        recent = post.sum(axis=2)
        recent[:, : detector.min_months] = 0.0
        for j in np.flatnonzero((recent >= detector.threshold).any(axis=1)):
            i = rows[int(j)]
            out[i] = detector.events(panel.series(i), post[j])
    return out


def _cusum_many(detector: Any, panel: Panel) -> list[list[Event]]:
    """``cusum`` on every row: the standardised series and the sums of all rows at once."""
    from critchem.surveillance.detectors._common import log_positive
    from critchem.surveillance.rows import (
        cusum_alarm_rows,
        seasonal_reference_rows,
        trailing_z_rows,
    )

    k = len(panel)
    out: list[list[Event]] = [[] for _ in range(k)]
    for lo in range(0, k, CHUNK // 4):
        y = log_positive(panel.values[lo : lo + CHUNK // 4])
        z = trailing_z_rows(
            y - seasonal_reference_rows(y), window=detector.window, gap=detector.gap
        )
        for j, alarms in enumerate(cusum_alarm_rows(z, k=detector.k, h=detector.h)):
            if alarms:
                out[lo + j] = detector.events(panel.series(lo + j), z[j], alarms)
    return out


BatchDetect = Callable[[Detector, Panel], list[list[Event]]]
BATCHED: dict[str, BatchDetect] = {
    "seasonal_anomaly": _seasonal_many,
    "structural_break": _breaks_many,
    "bocpd": _bocpd_many,
    "cusum": _cusum_many,
}
"""The detectors with an all-rows implementation, by name (defaults only, see below)."""


def detect_panel(detector: Detector, panel: Panel) -> list[list[Event]]:
    """The events of ``detector`` on each row of ``panel`` (a list per row).

    A built-in detector with an all-rows implementation uses it; any other detector is
    fitted row by row.
    """
    batch = BATCHED.get(detector.name)
    if batch is not None and type(detector).__module__.startswith("critchem.surveillance."):
        return batch(detector, panel)
    return [detector.fit(panel.series(i)).detect() for i in range(len(panel))]


def panels_of(series: Sequence[Series]) -> list[tuple[Panel, list[int]]]:
    """``series`` grouped into panels of one calendar, each with the positions of its rows.

    Series share a panel when they have the same periods and the same side series
    (``extra`` names); the positions map each panel row back to ``series``.
    """
    groups: dict[tuple[tuple[date, ...], tuple[str, ...]], list[int]] = {}
    for i, s in enumerate(series):
        groups.setdefault((s.periods, tuple(sorted(s.extra))), []).append(i)
    out = []
    for (periods, names), rows in groups.items():
        values = np.vstack([np.asarray(series[i].values, dtype=np.float64) for i in rows])
        extra = {
            name: np.vstack([np.asarray(series[i].extra[name], dtype=np.float64) for i in rows])
            for name in names
        }
        keys = tuple(series[i].key for i in rows)
        out.append((Panel(periods, keys, values, extra), rows))
    return out


def detect_series(detector: Detector, series: Sequence[Series]) -> list[list[Event]]:
    """The events of ``detector`` on each of ``series`` (a list per series, in their order).

    Series of one calendar go through :func:`detect_panel` together, so a detector with an
    all-rows implementation computes its statistics for all of them at once.
    """
    out: list[list[Event]] = [[] for _ in series]
    for panel, rows in panels_of(series):
        for i, events in zip(rows, detect_panel(detector, panel), strict=True):
            out[i] = events
    return out


def product_series(panel: Panel, matrix: FloatArray) -> list[Series]:
    """One series per product (keys without ``partner``): ``extra`` maps partner to its row.

    ``matrix`` (e.g. import values or unit values) gives each partner's monthly numbers;
    ``values`` is their sum over partners (NaN counted as 0).
    """
    groups: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for i, key in enumerate(panel.keys):
        groups.setdefault(
            tuple(sorted((k, v) for k, v in key.items() if k != "partner")), []
        ).append(i)
    out = []
    for group, rows in groups.items():
        extra = {panel.keys[i].get("partner", str(i)): matrix[i] for i in rows}
        total = np.nansum(matrix[rows], axis=0)
        out.append(Series(dict(group), panel.periods, total, extra))
    return out


def scan(panel: Panel, detectors: Mapping[str, Detector]) -> dict[str, list[Event]]:
    """Every detector of ``detectors`` over ``panel``: the events by detector name.

    ``unit_value_outlier`` sees each product's unit values (``extra["value"] / values``)
    and ``concentration_shift`` its import values (``extra["value"]``), origins side by side;
    every other detector sees each row.
    """
    out: dict[str, list[Event]] = {}
    cross = {"unit_value_outlier", "concentration_shift"}
    for name, detector in detectors.items():
        if name in cross:
            value = panel.extra.get("value", panel.values)
            if name == "unit_value_outlier":
                with np.errstate(divide="ignore", invalid="ignore"):
                    matrix = np.where(panel.values > 0, value / panel.values, np.nan)
            else:
                matrix = value
            out[name] = [e for s in product_series(panel, matrix) for e in detector.fit(s).detect()]
        else:
            out[name] = [e for row in detect_panel(detector, panel) for e in row]
    return out
