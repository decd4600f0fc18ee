"""Threshold or quota exhaustion: cumulative volume in the quota year, projected at run rate.

Within each quota year (starting in month ``year_start_month``, July by default as for the
2025 fertiliser thresholds), with ``C_t`` the cumulative volume up to month ``t`` and
``m_t`` the months elapsed, the run-rate projection is ``P_t = C_t · 12 / m_t``. From
``min_months = 3`` months into the year an amber event is raised when ``P_t ≥ 0.9 · Q``
(projected exhaustion), and a red one when ``C_t ≥ Q`` (exhausted), each at most once a year.

The default threshold ``Q`` is 2.7 Mt = 2.7e9 kg (values in kg), the first-period EU
threshold on fertiliser imports from Russia and Belarus; the thresholds of the legal acts
watched are kept, with their source, in ``critchem/surveillance/data/thresholds.csv``
(:func:`load_thresholds`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import ClassVar, Self

import numpy as np

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import FittedMixin, make_event


@dataclass(frozen=True, slots=True)
class Threshold:
    """One threshold of ``thresholds.csv`` (tonnes) with its period and source."""

    threshold_id: str
    description: str
    products: str
    partners: str
    period_start: date
    period_end: date
    threshold_tonnes: float
    source: str


def load_thresholds() -> list[Threshold]:
    """The thresholds shipped in ``data/thresholds.csv``.

    >>> [t.threshold_tonnes for t in load_thresholds()]
    [2700000.0, 1800000.0, 900000.0]
    """
    text = (
        resources.files("critchem.surveillance")
        .joinpath("data/thresholds.csv")
        .read_text(encoding="utf-8")
    )
    return [
        Threshold(
            row["threshold_id"],
            row["description"],
            row["products"],
            row["partners"],
            date.fromisoformat(row["period_start"]),
            date.fromisoformat(row["period_end"]),
            float(row["threshold_tonnes"]),
            row["source"],
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


class QuotaExhaustionDetector(FittedMixin, Detector):
    """Run-rate projection of the cumulative quota-year volume against a threshold."""

    name = "quota_exhaustion"
    version = "1.0"
    family: ClassVar[Family] = "policy"

    def __init__(
        self,
        *,
        threshold: float = 2.7e9,
        year_start_month: int = 7,
        warn_ratio: float = 0.9,
        min_months: int = 3,
    ) -> None:
        self.threshold, self.year_start_month = threshold, year_start_month
        self.warn_ratio, self.min_months = warn_ratio, min_months

    def fit(self, series: Series) -> Self:
        """Keep ``series`` (values: monthly volume in the unit of ``threshold``)."""
        self._series = series
        return self

    def detect(self) -> list[Event]:
        """At most one amber (projected) and one red (exhausted) event per quota year."""
        series = self._fitted()
        x = np.nan_to_num(np.asarray(series.values, dtype=np.float64), nan=0.0)
        events = []
        cumulative, elapsed, year = 0.0, 0, -1
        raised: set[str] = set()
        for i, period in enumerate(series.periods):
            quota_year = period.year - (period.month < self.year_start_month)
            if quota_year != year:
                cumulative, elapsed, year, raised = 0.0, 0, quota_year, set()
            cumulative += float(x[i])
            elapsed += 1
            projected = cumulative * 12 / elapsed
            level = None
            if cumulative >= self.threshold and "red" not in raised:
                level = "red"
            elif (
                elapsed >= self.min_months
                and projected >= self.warn_ratio * self.threshold
                and not raised
            ):
                level = "amber"
            if level is None:
                continue
            raised.add(level)
            events.append(
                make_event(
                    self,
                    series,
                    i,
                    statistic=cumulative if level == "red" else projected,
                    threshold=self.threshold,
                    level="red" if level == "red" else "amber",
                    message=f"quota year {quota_year}/{quota_year + 1}: "
                    + (
                        f"threshold {self.threshold:,.0f} reached"
                        if level == "red"
                        else f"projected {projected:,.0f} at run rate ({elapsed} months)"
                    ),
                    evidence={"cumulative": cumulative, "projected": projected},
                )
            )
        return events
