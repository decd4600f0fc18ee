"""Offline structural breaks: :func:`critchem.surveillance.detect_breaks` on a monitored series.

The series (log scale when all observed values are positive, as trade volumes vary by
multiples) is segmented by robust penalised PELT over mean shifts (Killick, Fearnhead &
Eckley 2012); see :mod:`critchem.surveillance.breaks_api` for the scaling, the outlier
cleaning, the penalty ``3·log n`` and its correction for autocorrelation. Each break is an
event at the first month of the new regime; the statistic is the shift of the segment means
in robust noise scales (red from 3).
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.breaks_api import detect_breaks, robust_scale
from critchem.surveillance.detectors._common import FittedMixin, FloatArray, make_event


def log_if_positive(x: FloatArray) -> FloatArray:
    """``log(x)`` when every observed value is positive, else ``x`` unchanged.

    >>> log_if_positive(np.array([1.0, np.nan])).tolist()[0], log_if_positive(np.array([-1.0]))
    (0.0, array([-1.]))
    """
    observed = x[np.isfinite(x)]
    if len(observed) and np.all(observed > 0):
        with np.errstate(invalid="ignore"):
            return np.log(x)
    return x


class StructuralBreakDetector(FittedMixin, Detector):
    """Robust PELT mean-shift breaks (``detect_breaks``) on the log series."""

    name = "structural_break"
    version = "1.0"
    family: ClassVar[Family] = "volume"

    def __init__(self, *, red_shift: float = 3.0) -> None:
        self.red_shift = red_shift

    def fit(self, series: Series) -> Self:
        """Keep ``series``."""
        self._series = series
        return self

    def detect(self) -> list[Event]:
        """One event per break, at the first month of the new regime."""
        series = self._fitted()
        x = log_if_positive(np.asarray(series.values, dtype=np.float64))
        cuts = detect_breaks(x)
        if not cuts:
            return []
        scale = robust_scale(x[np.isfinite(x)])
        bounds = [0, *cuts, len(x)]
        events = []
        for j, cut in enumerate(cuts):
            after, before = x[cut : bounds[j + 2]], x[bounds[j] : cut]
            shift = float(np.nanmedian(after) - np.nanmedian(before)) / scale
            events.append(
                make_event(
                    self,
                    series,
                    cut,
                    statistic=shift,
                    threshold=self.red_shift / 2,
                    message=f"new regime from {series.periods[cut].isoformat()[:7]}: level "
                    f"{'up' if shift > 0 else 'down'} {abs(shift):.1f} noise scales",
                    evidence={"segment_starts": [int(c) for c in cuts]},
                )
            )
        return events
