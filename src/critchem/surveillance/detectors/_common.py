"""Helpers shared by the detectors: robust z-scores, alarm onsets, event building."""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from critchem.surveillance.base import Detector, Event, Family, Series, Severity

FloatArray = npt.NDArray[np.float64]
MAD_TO_SIGMA = 1.4826
"""Consistency factor of the MAD for the standard deviation of a normal distribution."""


def robust_z(x: FloatArray, reference: FloatArray | None = None) -> FloatArray:
    """``(x - median) / (1.4826·MAD)`` with median and MAD of ``reference`` (default ``x``).

    NaN are ignored in the reference and kept in the result; a zero MAD gives zeros.

    >>> robust_z(np.array([1.0, 2.0, 3.0, 4.0, 100.0])).round(2).tolist()
    [-1.35, -0.67, 0.0, 0.67, 65.43]
    """
    ref = x if reference is None else reference
    ref = ref[np.isfinite(ref)]
    if len(ref) == 0:
        return np.zeros_like(x)
    center = float(np.median(ref))
    scale = MAD_TO_SIGMA * float(np.median(np.abs(ref - center)))
    if scale <= 0:
        return np.zeros_like(x)
    return (x - center) / scale


def onsets(alarm: npt.NDArray[np.bool_]) -> list[int]:
    """The indices where a run of ``True`` begins.

    >>> onsets(np.array([False, True, True, False, True]))
    [1, 4]
    """
    a = np.asarray(alarm, dtype=bool)
    previous = np.concatenate(([False], a[:-1]))
    return [int(i) for i in np.flatnonzero(a & ~previous)]


def severity(statistic: float, threshold: float) -> Severity:
    """``"red"`` from twice the threshold, else ``"amber"`` (both on absolute values).

    >>> severity(5.0, 4.0), severity(-9.0, 4.0)
    ('amber', 'red')
    """
    return "red" if abs(statistic) >= 2 * abs(threshold) else "amber"


def fill_gaps(values: FloatArray) -> FloatArray:
    """Linear interpolation of NaN (nearest value at the ends); all-NaN stays NaN.

    >>> fill_gaps(np.array([1.0, np.nan, 3.0])).tolist()
    [1.0, 2.0, 3.0]
    """
    ok = np.isfinite(values)
    if not ok.any():
        return values.copy()
    index = np.arange(len(values))
    return np.interp(index, index[ok], values[ok])


def make_event(
    detector: Detector,
    series: Series,
    index: int,
    *,
    statistic: float,
    threshold: float,
    message: str,
    family: Family | None = None,
    level: Severity | None = None,
    key: dict[str, str] | None = None,
    evidence: dict[str, Any] | None = None,
    plot: FloatArray | None = None,
    measure: str | None = None,
    baseline: FloatArray | float | None = None,
) -> Event:
    """An :class:`Event` of ``detector`` at ``series.periods[index]``.

    The evidence gets the plotted series under ``"series"`` (see :func:`evidence_series`):
    ``plot`` (default: the partner's side series when ``key`` names a partner found in
    ``series.extra``, else ``series.values``) with its ``baseline``.
    """
    chosen_key = dict(series.key if key is None else key)
    if plot is None:
        partner = chosen_key.get("partner")
        side = series.extra.get(partner) if partner else None
        plot = side if side is not None else np.asarray(series.values, dtype=np.float64)
        if side is not None and measure is None:
            measure = f"{partner}: {series.key.get('measure', 'value')}"
    record = dict(evidence or {})
    record.setdefault(
        "series",
        evidence_series(series, plot, index, measure=measure, baseline=baseline),
    )
    return Event(
        detector=detector.name,
        detector_version=detector.version,
        family=family or detector.family,
        key=chosen_key,
        period=series.periods[index],
        statistic=float(statistic),
        threshold=float(threshold),
        severity=level or severity(statistic, threshold),
        message=message,
        evidence=record,
    )


EVIDENCE_MONTHS = 36
"""Months of the series kept in an event's evidence, up to and including the event."""


def _json_numbers(values: FloatArray) -> list[float | None]:
    numbers: list[float] = np.asarray(values, dtype=np.float64).tolist()
    return [v if math.isfinite(v) else None for v in numbers]


@lru_cache(maxsize=64)
def _month_labels(periods: tuple[date, ...]) -> tuple[str, ...]:
    """``YYYY-MM`` of each period (one calendar serves many series)."""
    return tuple(p.isoformat()[:7] for p in periods)


def evidence_series(
    series: Series,
    values: FloatArray,
    index: int,
    *,
    measure: str | None = None,
    baseline: FloatArray | float | None = None,
    months: int = EVIDENCE_MONTHS,
) -> dict[str, Any]:
    """The series behind an event, JSON-ready: the ``months`` months up to ``index`` and after.

    ``baseline`` defaults to the median of the observed values of the 12 months before the
    event (the level it departs from); an array is cut like the values. ``null`` marks gaps.

    >>> from datetime import date
    >>> s = Series({"measure": "kg"}, (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)),
    ...            np.array([1.0, 3.0, 9.0]))
    >>> e = evidence_series(s, s.values, 2)
    >>> e["periods"], e["values"], e["baseline"]
    (['2024-01', '2024-02', '2024-03'], [1.0, 3.0, 9.0], 2.0)
    """
    lo = max(0, index - months + 1)
    cut = slice(lo, len(series.periods))
    if baseline is None:
        before = np.asarray(values[max(0, index - 12) : index], dtype=np.float64)
        before = before[np.isfinite(before)]
        baseline = float(np.median(before)) if len(before) else None
    base: float | list[float | None] | None
    if isinstance(baseline, np.ndarray):
        base = _json_numbers(baseline[cut])
    else:
        base = None if baseline is None or not np.isfinite(baseline) else float(baseline)
    return {
        "periods": list(_month_labels(series.periods)[cut]),
        "values": _json_numbers(values[cut]),
        "baseline": base,
        "measure": measure or series.key.get("measure", "value"),
    }


class FittedMixin:
    """Holds the fitted series and refuses ``detect`` before ``fit``."""

    _series: Series | None = None

    def _fitted(self) -> Series:
        if self._series is None:
            raise RuntimeError(f"{type(self).__name__}: call fit(series) before detect()")
        return self._series


def seasonal_standardise(
    x: FloatArray, *, baseline: int = 36, period: int = 12
) -> FloatArray | None:
    """Deseasonalised, standardised series on a baseline of the first ``baseline`` months.

    ``z_t = (x_t - p_{t mod period}) / (σ·√(1 + 1/k))`` where ``p`` is the mean of each
    position of the season over the baseline (``k = baseline / period`` values each) and
    ``σ = 1.4826·MAD(x_t - x_{t-period}) / √2`` over the whole series (seasonal differences
    are free of the season, and a level shift touches only ``period`` of them, so the MAD
    ignores it; the whole series gives a steadier scale than the baseline alone). ``None``
    when the baseline has gaps or ``σ = 0``.

    >>> t = np.arange(48.0)
    >>> z = seasonal_standardise(10 + np.sin(2 * np.pi * t / 12) + 0.1 * np.cos(7 * t))
    >>> bool(np.abs(z).max() < 5)
    True
    """
    if len(x) < baseline or not np.all(np.isfinite(x[:baseline])):
        return None
    base = x[:baseline]
    profile = np.array([np.mean(base[i::period]) for i in range(period)])
    seasonal_diff = x[period:] - x[:-period]
    seasonal_diff = seasonal_diff[np.isfinite(seasonal_diff)]
    sigma = MAD_TO_SIGMA * float(np.median(np.abs(seasonal_diff))) / np.sqrt(2)
    if sigma <= 0:
        return None
    expected = profile[np.arange(len(x)) % period]
    return np.asarray((x - expected) / (sigma * np.sqrt(1 + period / baseline)), dtype=np.float64)


MIN_SHIFT = 0.25
"""Smallest relative change of level (25 %) a volume or price change-point is reported at."""
MIN_MONTHLY_LEVEL = 10_000.0 / 3
"""Materiality floor of a volume series, in its unit per month: the floor of the import
surge (10 t over 3 months) spread over its months."""
REGULAR_SHARE = 0.9
"""Share of the 24 months before a change that must be observed (positive): intermittent
flows, whose empty months are routine, are not watched for change-points."""


def seasonal_reference(y: FloatArray, *, years: int = 3, period: int = 12) -> FloatArray:
    """``ref_t = median(y_{t-12}, y_{t-24}, y_{t-36})``: the same month of earlier years.

    NaN are left out; NaN where no earlier year is observed. The median of three years is
    robust to one unusual year (e.g. last year's surge does not make this year look low).

    >>> seasonal_reference(np.arange(40.0))[36:].tolist()
    [12.0, 13.0, 14.0, 15.0]
    """
    n = len(y)
    lagged = np.full((years, n), np.nan)
    for k in range(1, years + 1):
        if n > period * k:
            lagged[k - 1, period * k :] = y[: n - period * k]
    return nanmedian_last(lagged.T)


def nanmedian_last(a: FloatArray) -> FloatArray:
    """``np.nanmedian(a, axis=-1)`` by sorting (NaN sort last): the same values, no warning.

    The median of ``c`` observed values is the middle one (``c`` odd) or the mean
    ``(lo + hi) / 2`` of the two middle ones, as NumPy computes it; NaN when ``c = 0``. One
    sort replaces NumPy's masked-array path, which is slow on small arrays with NaN.

    >>> nanmedian_last(np.array([[3.0, np.nan, 1.0, 2.0], [np.nan] * 4, [4.0, 1.0, 2.0, 3.0]]))
    array([2. , nan, 2.5])
    """
    s = np.sort(a, axis=-1)
    count = np.isfinite(s).sum(axis=-1)
    hi_index = np.minimum(count // 2, a.shape[-1] - 1)[..., None]
    lo_index = np.maximum((count - 1) // 2, 0)[..., None]
    hi = np.take_along_axis(s, hi_index, axis=-1)[..., 0]
    lo = np.take_along_axis(s, lo_index, axis=-1)[..., 0]
    mid = np.where(count % 2 == 1, hi, (lo + hi) / 2)
    return np.asarray(np.where(count > 0, mid, np.nan), dtype=np.float64)


def _reference_at(
    y: FloatArray, months: npt.NDArray[np.int64], *, years: int = 3, period: int = 12
) -> FloatArray:
    """:func:`seasonal_reference` of ``y`` at ``months`` only (the same values).

    >>> _reference_at(np.arange(40.0), np.array([36, 39])).tolist()
    [12.0, 15.0]
    """
    lagged = np.full((len(months), years), np.nan)
    for k in range(1, years + 1):
        back = months - period * k
        ok = back >= 0
        lagged[ok, k - 1] = y[back[ok]]
    return nanmedian_last(lagged)


def log_positive(x: FloatArray) -> FloatArray:
    """``log(x)`` where ``x > 0``, NaN elsewhere.

    >>> log_positive(np.array([1.0, 0.0, np.nan])).tolist()
    [0.0, nan, nan]
    """
    ok = np.isfinite(x) & (x > 0)
    return np.where(ok, np.log(np.where(ok, x, 1.0)), np.nan)


def watchable(y: FloatArray, lo: int, *, min_level: float | None = MIN_MONTHLY_LEVEL) -> bool:
    """Whether the 24 months of ``y = log x`` before ``lo`` are regular and material.

    At least 12 months, ``REGULAR_SHARE`` of them observed, median level ``≥ min_level``.

    >>> watchable(np.log(np.full(30, 5000.0)), 30), watchable(np.log(np.full(30, 50.0)), 30)
    (True, False)
    """
    before = y[max(0, lo - 24) : lo]
    if len(before) < 12 or np.isfinite(before).mean() < REGULAR_SHARE:
        return False
    return min_level is None or bool(np.exp(nanmedian_last(before)) >= min_level)


def material_shift(
    x: FloatArray,
    lo: int,
    hi: int,
    *,
    min_shift: float = MIN_SHIFT,
    min_level: float | None = MIN_MONTHLY_LEVEL,
) -> float | None:
    """The relative change of months ``lo..hi`` against the same months of earlier years.

    ``r = exp(median_{t=lo..hi}(log x_t - ref_t)) - 1`` (:func:`seasonal_reference` on
    ``log x``). ``None`` (not worth reporting) when ``|r| < min_shift``, when fewer than
    ``REGULAR_SHARE`` of the 24 months before ``lo`` are observed, or when their median is
    below ``min_level`` (``None``: no floor, e.g. for prices).

    >>> x = np.full(48, 1e6)
    >>> x[45:] = 1.5e6
    >>> round(material_shift(x, 45, 47), 2), material_shift(x, 40, 44)
    (0.5, None)
    """
    y = log_positive(np.asarray(x, dtype=np.float64))
    if not watchable(y, lo, min_level=min_level):
        return None
    d = y[lo : hi + 1] - _reference_at(y, np.arange(len(y))[lo : hi + 1])
    d = d[np.isfinite(d)]
    if len(d) == 0:
        return None
    r = float(np.expm1(np.median(d)))
    return r if abs(r) >= min_shift else None
