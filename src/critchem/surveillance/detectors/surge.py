"""Safeguard-style import surge: the last months against the same months of earlier years.

For each month ``t`` the recent volume ``R_t = Σ_{i<w} x_{t-i}`` (``w = 3`` months) is set
against the baseline ``B_t``, the mean of the same ``w`` months in each of the ``years = 3``
previous years (at least one must be complete). The relative increase is
``r_t = (R_t - B_t) / B_t`` and the absolute increase ``R_t - B_t``. A surge is raised when
``r_t ≥ 0.5``, the baseline is material (``B_t ≥ min_baseline``, in the series' unit) and
the increase is unusual for this series: the robust z-score of ``log(R_t / B_t)`` against its
own earlier values (median and 1.4826·MAD of months before ``t``, at least 12 of them) is at
least ``min_z = 3`` (so that a small, erratic flow needs a larger jump than a steady one).

When ``series.extra["total"]`` holds total imports (or EU consumption), the same test runs on
the share ``x / total`` as well, as in the WTO Agreement on Safeguards, Art. 2.1 ("increased
quantities, absolute or relative to domestic production"); see also Regulation (EU) 2015/478
on common rules for imports, Art. 5 and 9. Events are the onsets of runs of surge months.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import (
    MAD_TO_SIGMA,
    FittedMixin,
    FloatArray,
    make_event,
    onsets,
)


def window_change(x: FloatArray, *, window: int, years: int) -> tuple[FloatArray, FloatArray]:
    """Recent ``window``-month sums and their same-season baseline (mean over ``years``).

    NaN counts as no trade (0). The baseline is NaN until one earlier year is complete.

    >>> recent, base = window_change(np.array([1.0] * 12 + [2.0] * 12), window=3, years=3)
    >>> float(recent[-1]), float(base[-1]), bool(np.isnan(base[5]))
    (6.0, 3.0, True)
    """
    clean = np.nan_to_num(x, nan=0.0)
    n = len(clean)
    csum = np.concatenate(([0.0], np.cumsum(clean)))
    recent = np.full(n, np.nan)
    recent[window - 1 :] = csum[window:] - csum[: n - window + 1]
    parts = []
    for year in range(1, years + 1):
        lagged = np.full(n, np.nan)
        if n > 12 * year:
            lagged[12 * year :] = recent[: n - 12 * year]
        parts.append(lagged)
    stacked = np.vstack(parts)
    count = np.isfinite(stacked).sum(axis=0)
    total = np.nansum(stacked, axis=0)
    base = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return recent, base


class ImportSurgeDetector(FittedMixin, Detector):
    """Import surge: ``+50 %`` over the same 3 months of the 3 previous years (see module)."""

    name = "import_surge"
    version = "1.0"
    family: ClassVar[Family] = "volume"

    def __init__(
        self,
        *,
        window: int = 3,
        years: int = 3,
        min_increase: float = 0.5,
        min_baseline: float = 10_000.0,
        min_z: float = 3.0,
    ) -> None:
        self.window, self.years, self.min_z = window, years, min_z
        self.min_increase, self.min_baseline = min_increase, min_baseline

    def fit(self, series: Series) -> Self:
        """Keep ``series`` (values: volume; optional ``extra["total"]``)."""
        self._series = series
        return self

    def _changes(self, x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        recent, base = window_change(x, window=self.window, years=self.years)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(base > 0, (recent - base) / base, np.nan)
        return rel, recent, base

    def _unusual(self, rel: FloatArray) -> npt.NDArray[np.bool_]:
        """Whether ``log(1 + rel_t)`` is ``min_z`` robust scales above its earlier values."""
        with np.errstate(invalid="ignore", divide="ignore"):
            lr = np.log1p(rel)
        out = np.zeros(len(rel), dtype=bool)
        for t in np.flatnonzero(np.nan_to_num(rel, nan=0.0) >= self.min_increase):
            past = lr[:t][np.isfinite(lr[:t])]
            if len(past) < 12:
                continue
            center = np.median(past)
            scale = MAD_TO_SIGMA * np.median(np.abs(past - center))
            out[t] = scale > 0 and (lr[t] - center) / scale >= self.min_z
        return out

    def detect(self) -> list[Event]:
        """Onsets of surges in volume (or in share of ``extra["total"]``)."""
        series = self._fitted()
        x = np.asarray(series.values, dtype=np.float64)
        rel, recent, base = self._changes(x)
        material = np.nan_to_num(base, nan=0.0) >= self.min_baseline
        alarm = material & self._unusual(rel)
        share_rel = np.full(len(x), np.nan)
        if "total" in series.extra:
            total = np.asarray(series.extra["total"], dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(total > 0, np.nan_to_num(x) / total, np.nan)
            share_rel = self._changes(share)[0]
            alarm |= material & self._unusual(share_rel)
        events = []
        for i in onsets(alarm):
            stat = float(np.nanmax([rel[i], share_rel[i]]))
            events.append(
                make_event(
                    self,
                    series,
                    i,
                    statistic=stat,
                    threshold=self.min_increase,
                    message=(
                        f"last {self.window} months {recent[i]:,.0f} vs baseline {base[i]:,.0f}"
                        f" ({stat:+.0%})"
                    ),
                    evidence={
                        "recent": float(recent[i]),
                        "baseline": float(base[i]),
                        "absolute_increase": float(recent[i] - base[i]),
                        "relative_increase": float(rel[i]),
                        "share_relative_increase": float(share_rel[i]),
                    },
                    baseline=base / self.window,
                )
            )
        return events
