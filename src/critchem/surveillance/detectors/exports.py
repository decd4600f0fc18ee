"""Export surge or collapse of EU production: the import-surge test on the export flow.

Same statistic as :mod:`critchem.surveillance.detectors.surge` (the last 3 months against the
same months of the 3 previous years), in both directions: a surge when ``r_t ≥ +0.5``, a
collapse when ``r_t ≤ -0.4``, on a material baseline. A collapse of exports is a sign of lost
EU production capacity (plant closures), a surge of diversion of EU output abroad.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import FittedMixin, make_event, onsets
from critchem.surveillance.detectors.surge import window_change


class ExportShiftDetector(FittedMixin, Detector):
    """Export surge (``≥ +50 %``) or collapse (``≤ -40 %``) against the same months before."""

    name = "export_shift"
    version = "1.0"
    family: ClassVar[Family] = "volume"

    def __init__(
        self,
        *,
        window: int = 3,
        years: int = 3,
        min_increase: float = 0.5,
        max_decrease: float = 0.4,
        min_baseline: float = 10_000.0,
    ) -> None:
        self.window, self.years = window, years
        self.min_increase, self.max_decrease = min_increase, max_decrease
        self.min_baseline = min_baseline

    def fit(self, series: Series) -> Self:
        """Keep ``series`` (values: export volume)."""
        self._series = series
        return self

    def detect(self) -> list[Event]:
        """Onsets of export surges and of export collapses."""
        series = self._fitted()
        recent, base = window_change(
            np.asarray(series.values, dtype=np.float64), window=self.window, years=self.years
        )
        material = np.nan_to_num(base, nan=0.0) >= self.min_baseline
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.nan_to_num(np.where(material, (recent - base) / base, 0.0), nan=0.0)
        events = []
        for direction, alarm, threshold in (
            ("surge", rel >= self.min_increase, self.min_increase),
            ("collapse", rel <= -self.max_decrease, -self.max_decrease),
        ):
            for i in onsets(material & alarm):
                events.append(
                    make_event(
                        self,
                        series,
                        i,
                        statistic=float(rel[i]),
                        threshold=threshold,
                        level="red" if abs(rel[i]) >= 2 * abs(threshold) else "amber",
                        message=f"export {direction}: {rel[i]:+.0%} against the same months",
                        evidence={
                            "direction": direction,
                            "recent": float(recent[i]),
                            "baseline": float(base[i]),
                        },
                    )
                )
        return sorted(events, key=lambda e: e.period)
