"""Self-starting CUSUM for persistent shifts (Page 1954, *Biometrika* 41(1/2), 100-115).

Each month is set against the same month of earlier years on the log scale,
``d_t = log x_t - ref_t`` with ``ref_t = median(log x_{t-12}, log x_{t-24}, log x_{t-36})``
(:func:`~critchem.surveillance.detectors._common.seasonal_reference`: free of the season and
of one unusual year), and standardised on a trailing window that excludes the newest months,
``z_t = (d_t - m_t) / s_t`` with ``m_t`` the median and ``s_t = 1.4826·MAD`` of ``d`` over
months ``t-42 .. t-7`` (``window = 36``, ``gap = 6``; at least 12 values), so that the
shift being measured does not inflate its own yardstick and a level that drifted years ago
is the new normal. Two one-sided sums, ``S⁺_t = max(0, S⁺_{t-1} + z_t - k)`` and
``S⁻_t = max(0, S⁻_{t-1} - z_t - k)`` with ``k = 0.5``, alarm when either exceeds ``h = 5``
(in-control average run length about 930 months for Gaussian data); after an alarm both
restart at 0. An alarm is reported only when the shift is material
(:func:`~critchem.surveillance.detectors._common.material_shift`): at least 25 % up or down
over the newest months (the alarm's month and up to 2 before, since the sum left 0), on a
regular series (90 % of its months observed) of at least 3.3 t a month, and once per shift:
for ``quiet = 12`` months after a reported alarm, further alarms in the same direction are
not reported, as they would repeat the same news. The evidence gives the month
the sum last left 0, the estimated start.

Version 2.0 (trailing standardisation, the 25 % and materiality gates) replaced a fixed
36-month baseline at the start of the series, which drifting series crossed sooner or later:
the back-test's false alarms (``bench/RESULTS.md``) fell from 100 per 100 series-years.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import (
    MAD_TO_SIGMA,
    FittedMixin,
    FloatArray,
    log_positive,
    make_event,
    material_shift,
    seasonal_reference,
)


def trailing_z(
    d: FloatArray, *, window: int = 36, gap: int = 6, min_values: int = 12
) -> FloatArray:
    """``(d_t - median) / (1.4826·MAD)`` over ``d_{t-gap-window} .. d_{t-gap-1}`` (NaN if few).

    >>> d = np.r_[np.tile([0.0, 1.0], 15), 9.0]
    >>> z = trailing_z(d, window=24, gap=2)
    >>> bool(np.isnan(z[10])), round(float(z[-1]), 2)
    (True, 11.47)
    """
    n = len(d)
    padded = np.concatenate((np.full(gap + window, np.nan), np.asarray(d, dtype=np.float64)))
    past = np.lib.stride_tricks.sliding_window_view(padded, window)[:n]
    enough = np.isfinite(past).sum(axis=1) >= min_values
    z = np.full(n, np.nan)
    if not enough.any():
        return z
    rows = past[enough]
    center = np.nanmedian(rows, axis=1)
    scale = MAD_TO_SIGMA * np.nanmedian(np.abs(rows - center[:, None]), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z[enough] = np.where(scale > 0, (d[enough] - center) / scale, np.nan)
    return z


def cusum_alarms(z: FloatArray, *, k: float, h: float) -> list[tuple[int, int, float]]:
    """``(alarm index, start index, signed statistic)`` of a two-sided CUSUM on ``z``.

    NaN leaves the sums unchanged.

    >>> cusum_alarms(np.array([0.0] * 5 + [2.0] * 5), k=0.5, h=5.0)
    [(8, 5, 6.0)]
    """
    hi = lo = 0.0
    start_hi = start_lo = 0
    alarms = []
    for i, value in enumerate(z):
        if not np.isfinite(value):
            continue
        if hi == 0.0:
            start_hi = i
        if lo == 0.0:
            start_lo = i
        hi = max(0.0, hi + float(value) - k)
        lo = max(0.0, lo - float(value) - k)
        if hi > h or lo > h:
            up = hi > h
            alarms.append((i, start_hi if up else start_lo, hi if up else -lo))
            hi = lo = 0.0
    return alarms


class CusumDetector(FittedMixin, Detector):
    """Self-starting two-sided CUSUM, ``k = 0.5``, ``h = 5``, shifts of 25 % or more."""

    name = "cusum"
    version = "2.0"
    family: ClassVar[Family] = "volume"

    def __init__(
        self,
        *,
        k: float = 0.5,
        h: float = 5.0,
        window: int = 36,
        gap: int = 6,
        min_shift: float = 0.25,
        quiet: int = 12,
    ) -> None:
        self.k, self.h, self.window, self.gap = k, h, window, gap
        self.min_shift, self.quiet = min_shift, quiet

    def fit(self, series: Series) -> Self:
        """Keep ``series``."""
        self._series = series
        return self

    def standardised(self, series: Series) -> FloatArray:
        """``z_t``: each month against the same month of earlier years, on a trailing scale."""
        y = log_positive(np.asarray(series.values, dtype=np.float64))
        d = y - seasonal_reference(y)
        return trailing_z(d, window=self.window, gap=self.gap)

    def detect(self) -> list[Event]:
        """One event per material CUSUM alarm."""
        series = self._fitted()
        return self.events(series, self.standardised(series))

    def events(
        self,
        series: Series,
        z: FloatArray,
        alarms: list[tuple[int, int, float]] | None = None,
    ) -> list[Event]:
        """The events of ``series`` given its standardised series ``z`` (and its alarms)."""
        x = np.asarray(series.values, dtype=np.float64)
        events = []
        quiet: dict[bool, int] = {True: -1, False: -1}
        if alarms is None:
            alarms = cusum_alarms(z, k=self.k, h=self.h)
        for i, start, stat in alarms:
            shift = material_shift(x, max(start, i - 2), i, min_shift=self.min_shift)
            if shift is None or i <= quiet[stat > 0]:
                continue
            quiet[stat > 0] = i + self.quiet
            events.append(
                make_event(
                    self,
                    series,
                    i,
                    statistic=stat,
                    threshold=self.h,
                    message=f"persistent {'rise' if stat > 0 else 'fall'} of {shift:+.0%} since "
                    f"{series.periods[start].isoformat()[:7]} (CUSUM {stat:+.1f})",
                    evidence={
                        "shift_start": series.periods[start].isoformat(),
                        "relative_shift": shift,
                    },
                )
            )
        return events
