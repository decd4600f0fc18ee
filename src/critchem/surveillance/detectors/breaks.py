"""Offline structural breaks: :func:`critchem.surveillance.detect_breaks` on a monitored series.

The series (log scale when all observed values are positive, as trade volumes vary by
multiples) is segmented by robust penalised PELT over mean shifts (Killick, Fearnhead &
Eckley 2012); see :mod:`critchem.surveillance.breaks_api` for the scaling, the outlier
cleaning, the penalty ``10·log n`` and its correction for autocorrelation. Each break is an
event at the first month of the new regime; the statistic is the shift of the segment means
in robust noise scales (red from 3). Version 1.1 reports only the newest break, and only
when it is material: the median level of the new regime at least 25 % away from the
previous one's, on a regular series of at least 3.3 t a month
(:func:`~critchem.surveillance.detectors._common.watchable`); older breaks were news when
they were new.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.breaks_api import detect_breaks, robust_scale
from critchem.surveillance.detectors._common import (
    MIN_SHIFT,
    FittedMixin,
    FloatArray,
    log_positive,
    make_event,
    watchable,
)


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
    version = "1.1"
    family: ClassVar[Family] = "volume"
    frequencies: ClassVar[tuple[str, ...]] = ("M", "W", "D")
    """Mean shifts with a ``10·log n`` penalty need no calendar: any regular frequency."""

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
        return self.events(series, detect_breaks(x))

    def events(self, series: Series, cuts: list[int]) -> list[Event]:
        """The event of ``series`` given its breaks ``cuts`` (of its :func:`log_if_positive`)."""
        x = log_if_positive(np.asarray(series.values, dtype=np.float64))
        if not cuts:
            return []
        scale = robust_scale(x[np.isfinite(x)])
        bounds = [0, *cuts, len(x)]
        events = []
        j = len(cuts) - 1
        cut = cuts[j]
        after, before = x[cut : bounds[j + 2]], x[bounds[j] : cut]
        logs = log_positive(np.asarray(series.values, dtype=np.float64))
        relative = float(np.expm1(np.nanmedian(logs[cut:]) - np.nanmedian(logs[bounds[j] : cut])))
        if watchable(logs, cut) and abs(relative) >= MIN_SHIFT:
            shift = float(np.nanmedian(after) - np.nanmedian(before)) / scale
            events.append(
                make_event(
                    self,
                    series,
                    cut,
                    statistic=shift,
                    threshold=self.red_shift / 2,
                    message=f"new regime from {series.periods[cut].isoformat()[:7]}: level "
                    f"{relative:+.0%}, {abs(shift):.1f} noise scales",
                    evidence={
                        "segment_starts": [int(c) for c in cuts],
                        "relative_shift": relative,
                    },
                )
            )
        return events
