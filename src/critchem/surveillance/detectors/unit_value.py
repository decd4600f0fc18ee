"""Unit-value outliers across origins for the same code and month, and price undercutting.

For one product and month, the unit values of the origins form a cross-section; an origin
is an outlier when it falls outside skew-robust fences. Two fences are offered:

``"log_iqr"`` (default)
    Tukey's fences on the log scale, ``[Q1 - k·IQR, Q3 + k·IQR]`` of ``log(uv)`` with
    ``k = 3`` ("far out", Tukey 1977); the log takes away the right skew of prices.
``"adjusted"``
    the medcouple-adjusted boxplot of Hubert & Vandervieren (2008), *Comput. Stat. Data
    Anal.* 52(12), 5186-5201: ``[Q1 - k·e^{-4·MC}·IQR, Q3 + k·e^{3·MC}·IQR]`` for
    ``MC ≥ 0`` (``e^{-3·MC}`` and ``e^{4·MC}`` for ``MC < 0``), with ``k = 1.5``.

The detector scores each origin's unit value relative to its own median of the 12 previous
months (``log(uv_t / median)``), so that an origin's usual price level and the common price
movements cancel, applies the fences to that cross-section and also requires a change of at
least 20 %. When ``extra["eu_reference_price"]`` holds an EU reference price, an origin priced
at least 15 % below it is reported as undercutting (cf. the price-undercutting margin of
Regulation (EU) 2016/1036, Art. 3(3)).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import ClassVar, Literal, Self

import numpy as np
import numpy.typing as npt

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import FittedMixin, FloatArray, make_event, onsets

Method = Literal["log_iqr", "adjusted"]
REFERENCE_KEY = "eu_reference_price"
MIN_ORIGINS = 5


def fences(
    values: FloatArray, *, method: Method = "log_iqr", k: float = 3.0
) -> tuple[float, float]:
    """Lower and upper fence (in the unit of ``values``) of the chosen boxplot rule.

    >>> lo, hi = fences(np.array([1.0, 1.1, 0.9, 1.05, 0.95, 1.0]))
    >>> round(lo, 3), round(hi, 3)
    (0.768, 1.299)
    """
    v = values[np.isfinite(values) & (values > 0)]
    if method == "log_iqr":
        logs = np.log(v)
        q1, q3 = np.percentile(logs, [25, 75])
        return float(np.exp(q1 - k * (q3 - q1))), float(np.exp(q3 + k * (q3 - q1)))
    from statsmodels.stats.stattools import medcouple

    q1, q3 = np.percentile(v, [25, 75])
    iqr = q3 - q1
    mc = float(medcouple(v, use_fast=len(v) >= 10))
    low, high = (-4.0, 3.0) if mc >= 0 else (-3.0, 4.0)
    return float(q1 - k * np.exp(low * mc) * iqr), float(q3 + k * np.exp(high * mc) * iqr)


def unit_value_outliers(
    unit_values: Mapping[str, float], *, method: Method = "log_iqr", k: float = 3.0
) -> dict[str, Literal["low", "high"]]:
    """The origins whose unit value is outside the fences of the cross-section.

    Needs at least 5 origins with a positive unit value, else returns ``{}``.

    >>> unit_value_outliers({"CN": 0.3, "US": 1.0, "IN": 1.1, "KR": 0.95, "JP": 1.05, "TR": 1.0})
    {'CN': 'low'}
    """
    names = [n for n, v in unit_values.items() if np.isfinite(v) and v > 0]
    if len(names) < MIN_ORIGINS:
        return {}
    lo, hi = fences(np.array([unit_values[n] for n in names]), method=method, k=k)
    out: dict[str, Literal["low", "high"]] = {}
    for n in names:
        if unit_values[n] < lo:
            out[n] = "low"
        elif unit_values[n] > hi:
            out[n] = "high"
    return out


class UnitValueOutlierDetector(FittedMixin, Detector):
    """Cross-origin unit-value outliers (relative to own history) and undercutting."""

    name = "unit_value_outlier"
    version = "1.0"
    family: ClassVar[Family] = "price"

    def __init__(
        self,
        *,
        method: Method = "log_iqr",
        k: float = 3.0,
        history: int = 12,
        min_change: float = 0.2,
        undercut_margin: float = 0.15,
    ) -> None:
        self.method, self.k, self.history = method, k, history
        self.min_change, self.undercut_margin = min_change, undercut_margin

    def fit(self, series: Series) -> Self:
        """Keep ``series``: ``extra`` maps origin codes to monthly unit values."""
        self._series = series
        return self

    def _relative(self, uv: FloatArray) -> FloatArray:
        """``log(uv_t / median(uv_{t-h..t-1}))``, NaN without 6 past values."""
        n, h = len(uv), self.history
        logs = np.where(np.isfinite(uv) & (uv > 0), np.log(np.where(uv > 0, uv, 1.0)), np.nan)
        out = np.full(n, np.nan)
        if n <= h:
            return out
        windows = np.lib.stride_tricks.sliding_window_view(logs[: n - 1], h)
        enough = np.isfinite(windows).sum(axis=1) >= 6
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            typical = np.nanmedian(windows, axis=1)
        out[h:] = np.where(enough, logs[h:] - typical, np.nan)
        return out

    def _flags(self, rel: FloatArray) -> npt.NDArray[np.bool_]:
        """Outlying (origin, month) cells of the cross-sections of ``rel`` (origins x months)."""
        floor = np.log1p(self.min_change)
        if self.method == "log_iqr":
            count = np.isfinite(rel).sum(axis=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                q1, q3 = np.nanpercentile(rel, [25, 75], axis=0)
            iqr = q3 - q1
            outside = (rel < q1 - self.k * iqr) | (rel > q3 + self.k * iqr)
            big = np.abs(np.nan_to_num(rel)) >= floor
            flagged: npt.NDArray[np.bool_] = outside & (count >= MIN_ORIGINS) & big
            return flagged
        flags = np.zeros(rel.shape, dtype=bool)
        for t in range(rel.shape[1]):
            section = {str(j): float(np.exp(rel[j, t])) for j in range(rel.shape[0])}
            for j in unit_value_outliers(section, method=self.method, k=self.k):
                flags[int(j), t] = abs(rel[int(j), t]) >= floor
        return flags

    def detect(self) -> list[Event]:
        """Per origin, onsets of outlying months and of undercutting."""
        series = self._fitted()
        origins = sorted(k for k in series.extra if k != REFERENCE_KEY)
        len(series.periods)
        if not origins:
            return []
        matrix = np.vstack([self._relative(np.asarray(series.extra[o], float)) for o in origins])
        rel = dict(zip(origins, matrix, strict=True))
        flags = dict(zip(origins, self._flags(matrix), strict=True))
        events = []
        for origin in origins:
            key = {**series.key, "partner": origin}
            for i in onsets(flags[origin]):
                change = float(np.expm1(rel[origin][i]))
                events.append(
                    make_event(
                        self,
                        series,
                        i,
                        statistic=change,
                        threshold=-self.min_change,
                        key=key,
                        message=f"unit value from {origin} {change:+.0%} against its "
                        "last 12 months, outside the fences of the other origins",
                        evidence={"signal": "outlier", "relative_change": change},
                    )
                )
            if REFERENCE_KEY in series.extra:
                ref = np.asarray(series.extra[REFERENCE_KEY], dtype=np.float64)
                uv = np.asarray(series.extra[origin], dtype=np.float64)
                with np.errstate(divide="ignore", invalid="ignore"):
                    gap = np.nan_to_num(uv / ref - 1.0, nan=0.0)
                for i in onsets(gap <= -self.undercut_margin):
                    events.append(
                        make_event(
                            self,
                            series,
                            i,
                            statistic=float(gap[i]),
                            threshold=-self.undercut_margin,
                            key=key,
                            message=f"{origin} priced {gap[i]:+.0%} against the EU reference",
                            evidence={"signal": "undercutting", "eu_reference": float(ref[i])},
                        )
                    )
        return sorted(events, key=lambda e: (e.period, e.key.get("partner", "")))
