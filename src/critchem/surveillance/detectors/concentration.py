"""Supplier concentration and diversion: HHI jump, fast share gain, supplier collapse.

Input: ``series.extra`` maps each origin's partner code to its monthly import value (NaN or
absent = no trade). Shares are computed on rolling 3-month totals so that one noisy month
does not move them: ``s_i(t)`` is origin ``i``'s share over ``t-2..t``, ``b_i(t)`` its share
over the 12 months before that window, and ``HHI(t) = Σ_i s_i(t)²``
(:func:`critchem.trade.indicators.formulas.hhi`, European Commission CRM methodology 2017).

``share_gain``
    ``s_i(t) - b_i(t) ≥ 0.10``: an origin gains 10 points within 3 months (diversion);
``hhi_jump``
    ``HHI(t) - HHI(t-3) ≥ 0.10`` (1,000 points): concentration rises fast;
``supplier_collapse``
    an origin holding at least 1 % of the imports of the 12 months before supplies, in two
    consecutive months, less than 25 % of its own median monthly value of those 12 months (a
    disruption or an exit), having been a steady supplier (no month of those 12 below that
    25 %); red when its share was at least 30 % (a dominant supplier).
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt

from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import FittedMixin, FloatArray, make_event, onsets
from critchem.trade.indicators.formulas import hhi


class ConcentrationShiftDetector(FittedMixin, Detector):
    """Share gains of 10 points in 3 months, HHI jumps, collapse of a material supplier."""

    name = "concentration_shift"
    version = "1.0"
    family: ClassVar[Family] = "concentration"

    def __init__(
        self,
        *,
        window: int = 3,
        min_gain: float = 0.10,
        min_hhi_jump: float = 0.10,
        material_share: float = 0.01,
        collapse_ratio: float = 0.25,
        dominant_share: float = 0.30,
        history: int = 12,
    ) -> None:
        self.window, self.min_gain, self.min_hhi_jump = window, min_gain, min_hhi_jump
        self.material_share, self.collapse_ratio = material_share, collapse_ratio
        self.dominant_share, self.history = dominant_share, history

    def fit(self, series: Series) -> Self:
        """Keep ``series``: ``extra`` maps partner codes to monthly import values."""
        self._series = series
        return self

    def _collapses(self, m: FloatArray) -> tuple[npt.NDArray[np.bool_], FloatArray]:
        """Per origin and month: collapse flags and the share over the 12 months before."""
        n, h = m.shape[1], self.history
        flags = np.zeros(m.shape, dtype=bool)
        past_share = np.zeros(m.shape)
        if n <= h + 1:
            return flags, past_share
        windows = np.lib.stride_tricks.sliding_window_view(m[:, : n - 2], h, axis=1)
        typical = np.median(windows, axis=2)
        totals = windows.sum(axis=(0, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.nan_to_num(windows.sum(axis=2) / totals, nan=0.0)
        low = m < self.collapse_ratio * np.concatenate(
            (np.zeros((m.shape[0], h + 1)), typical), axis=1
        )
        both = low[:, h + 1 :] & low[:, h:-1]
        steady = windows.min(axis=2) >= self.collapse_ratio * typical
        flags[:, h + 1 :] = both & steady & (shares >= self.material_share)
        past_share[:, h + 1 :] = shares
        return flags, past_share

    def detect(self) -> list[Event]:
        """Onsets of each signal per origin (``evidence["signal"]`` names it)."""
        series = self._fitted()
        origins = sorted(series.extra)
        n, w, h = len(series.periods), self.window, self.history
        if not origins or n <= w + 1:
            return []
        m = np.vstack([np.nan_to_num(np.asarray(series.extra[o], float), nan=0.0) for o in origins])
        csum = np.concatenate((np.zeros((len(origins), 1)), np.cumsum(m, axis=1)), axis=1)
        rolling = np.full(m.shape, np.nan)
        rolling[:, w - 1 :] = csum[:, w:] - csum[:, : n - w + 1]
        total = rolling.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, rolling / total, np.nan)
        conc = np.array([hhi(share[:, t]) if total[t] > 0 else np.nan for t in range(n)])
        gain = np.full(m.shape, np.nan)
        if n > w + h:
            before = np.lib.stride_tricks.sliding_window_view(m[:, : n - w], h, axis=1)
            base_total = before.sum(axis=(0, 2))
            with np.errstate(divide="ignore", invalid="ignore"):
                base_share = before.sum(axis=2) / base_total
            gain[:, w + h - 1 :] = share[:, w + h - 1 :] - base_share
        jump = np.full(n, np.nan)
        jump[w:] = conc[w:] - conc[:-w]
        collapses, past_shares = self._collapses(m)
        events: list[Event] = []
        for i in onsets(np.nan_to_num(jump) >= self.min_hhi_jump):
            events.append(
                make_event(
                    self,
                    series,
                    i,
                    statistic=float(jump[i]),
                    threshold=self.min_hhi_jump,
                    message=f"HHI {conc[i] * 1e4:,.0f} points, +{jump[i] * 1e4:,.0f} in {w} months",
                    evidence={"signal": "hhi_jump", "hhi": float(conc[i])},
                )
            )
        for j, origin in enumerate(origins):
            key = {**series.key, "partner": origin}
            for i in onsets(np.nan_to_num(gain[j]) >= self.min_gain):
                events.append(
                    make_event(
                        self,
                        series,
                        i,
                        statistic=float(gain[j, i]),
                        threshold=self.min_gain,
                        key=key,
                        message=f"{origin} gains {gain[j, i] * 100:.0f} points of "
                        f"import share in {w} months (now {share[j, i]:.0%})",
                        evidence={"signal": "share_gain", "share": float(share[j, i])},
                    )
                )
            collapse, past_share = collapses[j], past_shares[j]
            for i in onsets(collapse):
                dominant = past_share[i] >= self.dominant_share
                events.append(
                    make_event(
                        self,
                        series,
                        i,
                        statistic=float(past_share[i]),
                        threshold=self.material_share,
                        key=key,
                        level="red" if dominant else "amber",
                        message=f"{origin} ({past_share[i]:.0%} of the last {h} months) "
                        "nearly stops supplying",
                        evidence={
                            "signal": "supplier_collapse",
                            "past_share": float(past_share[i]),
                        },
                    )
                )
        return sorted(events, key=lambda e: (e.period, e.key.get("partner", "")))
