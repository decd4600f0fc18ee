"""Detector specifics beyond the conformance suite: hand-checked numbers and options."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from critchem.core.errors import NotFoundError
from critchem.evaluation.ground_truth import (
    origin_panel,
    origin_unit_values,
    volume_series,
)
from critchem.surveillance.base import Series
from critchem.surveillance.detectors.bocpd import run_length_posterior
from critchem.surveillance.detectors.concentration import ConcentrationShiftDetector
from critchem.surveillance.detectors.exports import ExportShiftDetector
from critchem.surveillance.detectors.quota import QuotaExhaustionDetector, load_thresholds
from critchem.surveillance.detectors.surge import ImportSurgeDetector, window_change
from critchem.surveillance.detectors.unit_value import (
    UnitValueOutlierDetector,
    fences,
    unit_value_outliers,
)
from critchem.surveillance.registry import builtin_detectors, get_detector
from critchem.trade.periods import monthly_periods

KEY = {"product": "31021010", "reporter": "EU27", "flow": "1"}


def test_registry_is_explicit_and_idempotent() -> None:
    first = builtin_detectors()
    assert builtin_detectors() == first and len(first) == 10
    assert get_detector("import_surge") is ImportSurgeDetector
    with pytest.raises(NotFoundError, match="no detector named"):
        get_detector("nope")


def test_window_change_by_hand() -> None:
    # months 0..35 = 10, then 20: at t = 38 the last 3 months sum 60; the same months of the
    # 3 previous years (t-12, t-24, t-36 windows) sum 30 each where available.
    x = np.r_[np.full(36, 10.0), np.full(12, 20.0)]
    recent, base = window_change(x, window=3, years=3)
    assert (recent[38], base[38]) == (60.0, 30.0)
    assert np.isnan(base[13]) and base[14] == 30.0


def test_surge_relative_to_total_imports() -> None:
    s = volume_series(120, seed=4)
    total = s.values * 10
    total[100:103] /= 3  # the partner's share triples while its volume stays flat
    series = Series(s.key, s.periods, s.values, {"total": total})
    assert ImportSurgeDetector().fit(s).detect() == []
    events = ImportSurgeDetector().fit(series).detect()
    assert [s.periods.index(e.period) for e in events] == [100]
    assert events[0].evidence["share_relative_increase"] >= 0.5


def test_surge_ignores_immaterial_series() -> None:
    s = volume_series(120, seed=4, level=100.0)  # 300 kg per quarter < 10 t floor
    s.values[100:103] *= 5
    assert ImportSurgeDetector().fit(s).detect() == []


def test_export_surge_and_collapse_directions() -> None:
    up, down = volume_series(120, seed=5), volume_series(120, seed=5)
    up.values[100:103] *= 3
    down.values[100:] *= 0.3
    surge = ExportShiftDetector().fit(up).detect()[0]
    assert surge.evidence["direction"] == "surge" and surge.statistic > 0.5
    assert up.periods.index(surge.period) == 100
    directions = {e.evidence["direction"] for e in ExportShiftDetector().fit(down).detect()}
    assert directions == {"collapse"}


def test_fences_and_cross_section() -> None:
    assert unit_value_outliers({"CN": 0.2, "US": 1.0}) == {}  # fewer than 5 origins
    section = {"CN": 0.3, "US": 1.0, "IN": 1.1, "KR": 0.95, "JP": 1.05, "TR": 5.0}
    assert unit_value_outliers(section) == {"CN": "low", "TR": "high"}
    lo, hi = fences(np.array(list(section.values())), method="adjusted", k=1.5)
    assert lo < 0.95 and hi < 5.0
    assert unit_value_outliers(section, method="adjusted", k=1.5)["TR"] == "high"


def test_undercutting_against_an_eu_reference_price() -> None:
    uv = origin_unit_values(60, seed=3)
    reference = np.full(60, 2.0 * 1.6)  # well above every origin in the last months
    series = Series(KEY, monthly_periods(60), np.ones(60), {**uv, "eu_reference_price": reference})
    undercut = [
        e
        for e in UnitValueOutlierDetector().fit(series).detect()
        if e.evidence["signal"] == "undercutting"
    ]
    assert undercut and all(e.statistic <= -0.15 for e in undercut)
    assert {e.key["partner"] for e in undercut} <= set(uv)


def test_share_gain_and_hhi_jump() -> None:
    panel = origin_panel(60, seed=6)
    panel["TR"][40:] *= 12  # TR: from about 4 % to about a third of imports
    series = Series(KEY, monthly_periods(60), np.sum(list(panel.values()), axis=0), panel)
    events = ConcentrationShiftDetector().fit(series).detect()
    gains = [e for e in events if e.evidence["signal"] == "share_gain"]
    # dated at month 40, where the gain starts; confirmed by its second month, 41
    assert next((e.key["partner"], series.periods.index(e.period)) for e in gains) == ("TR", 40)
    assert gains[0].evidence["confirmed"] == series.periods[41].isoformat()


def test_dominant_supplier_collapse_is_red() -> None:
    panel = origin_panel(60, seed=6)
    panel["CN"][50:] *= 0.05
    series = Series(KEY, monthly_periods(60), np.sum(list(panel.values()), axis=0), panel)
    collapse = [
        e
        for e in ConcentrationShiftDetector().fit(series).detect()
        if e.evidence["signal"] == "supplier_collapse"
    ]
    assert [(e.key["partner"], e.severity) for e in collapse] == [("CN", "red")]


def test_thresholds_file_has_sources() -> None:
    rows = load_thresholds()
    assert [r.threshold_tonnes for r in rows] == [2_700_000.0, 1_800_000.0, 900_000.0]
    assert all(r.source and r.period_start < r.period_end for r in rows)
    assert rows[0].period_start == date(2025, 7, 1)


def test_quota_run_rate_then_exhaustion() -> None:
    periods = monthly_periods(24, start=date(2025, 1, 1))
    values = np.full(24, 300_000_000.0)  # 0.3 Mt a month: 3.6 Mt a year at run rate
    events = QuotaExhaustionDetector().fit(Series(KEY, periods, values)).detect()
    summary = [(e.period.isoformat()[:7], e.severity) for e in events]
    # Jan-Jun 2025 is the tail of quota year 2024/25: projected from March (3 months).
    # 2025/26 starts in July: projected in September, 2.7 Mt reached in March 2026 (9 x 0.3);
    # 2026/27 is projected again in September 2026.
    assert summary == [
        ("2025-03", "amber"),
        ("2025-09", "amber"),
        ("2026-03", "red"),
        ("2026-09", "amber"),
    ]


def test_bocpd_posterior_is_a_distribution() -> None:
    z = np.r_[np.random.default_rng(0).normal(size=50), np.nan, 5 + np.zeros(10)]
    post = run_length_posterior(z, hazard=0.01)
    assert np.allclose(post.sum(axis=1), 1.0)
    assert post[-1].argmax() == 9
