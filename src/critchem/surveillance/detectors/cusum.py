"""CUSUM for persistent shifts (Page 1954, *Biometrika* 41(1/2), 100-115).

The series (log scale when all observed values are positive) is deseasonalised and
standardised on a robust baseline, its first ``baseline = 36`` months
(:func:`~critchem.surveillance.detectors._common.seasonal_standardise`: the mean of each
calendar month over the baseline is removed and the noise scale is the MAD of the seasonal
differences, robust to outliers and to a shift inside the baseline). Two one-sided sums run
from the baseline's end: ``S⁺_t = max(0, S⁺_{t-1} + z_t - k)``,
``S⁻_t = max(0, S⁻_{t-1} - z_t - k)`` with ``k = 0.5`` and an alarm when either exceeds
``h = 5`` (in-control average run length about 930 months for Gaussian data). After an alarm
both sums restart at 0. The evidence gives the month the sum last left 0, the estimated start
of the shift.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import (
    FittedMixin,
    FloatArray,
    make_event,
    seasonal_standardise,
)


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
    """Two-sided CUSUM, ``k = 0.5``, ``h = 5``, on a deseasonalised robust 36-month baseline."""

    name = "cusum"
    version = "1.0"
    family: ClassVar[Family] = "volume"

    def __init__(self, *, k: float = 0.5, h: float = 5.0, baseline: int = 36) -> None:
        self.k, self.h, self.baseline = k, h, baseline

    def fit(self, series: Series) -> Self:
        """Keep ``series``."""
        self._series = series
        return self

    def detect(self) -> list[Event]:
        """One event per CUSUM alarm after the baseline."""
        series = self._fitted()
        x = np.asarray(series.values, dtype=np.float64)
        observed = x[np.isfinite(x)]
        if len(observed) and np.all(observed > 0):
            x = np.log(np.where(np.isfinite(x) & (x > 0), x, np.nan))
        standard = seasonal_standardise(x, baseline=self.baseline)
        if standard is None:
            return []
        end = self.baseline
        z = standard[end:]
        return [
            make_event(
                self,
                series,
                end + i,
                statistic=stat,
                threshold=self.h,
                message=f"persistent {'rise' if stat > 0 else 'fall'} since "
                f"{series.periods[end + start].isoformat()[:7]} (CUSUM {stat:+.1f})",
                evidence={"shift_start": series.periods[end + start].isoformat()},
            )
            for i, start, stat in cusum_alarms(z, k=self.k, h=self.h)
        ]
