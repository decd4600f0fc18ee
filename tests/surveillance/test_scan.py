"""The full scan's batched detectors give the events of the detectors run series by series."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from critchem.surveillance.base import Event
from critchem.surveillance.bocpd_many import recent_run_posterior
from critchem.surveillance.detectors.bocpd import run_length_posterior
from critchem.surveillance.registry import builtin_detectors
from critchem.surveillance.scan import Panel, detect_panel, scan

PARTNERS = ("CN", "US", "IN", "KR", "JP", "TR", "BR", "UK")


def _panel(seed: int, count: int, n: int = 120) -> Panel:
    """Synthetic monthly imports: seasonal log-normal volumes, shifts, spikes, gaps, small flows."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    level = rng.choice([1e6, 5e4, 2e3], size=(count, 1), p=[0.6, 0.3, 0.1])
    season = 1 + 0.1 * np.sin(2 * np.pi * t / 12) * rng.uniform(0, 2, (count, 1))
    x = level * season * rng.lognormal(0, 0.1, (count, n)) * rng.uniform(0.5, 2.0, (count, 1))
    for i in range(count):
        if rng.random() < 0.3:
            x[i, rng.integers(40, 110) :] *= rng.choice([0.4, 1.8, 3.0])
        if rng.random() < 0.15:
            x[i, rng.integers(24, n)] *= rng.choice([0.1, 6.0])
        if rng.random() < 0.1:
            x[i, rng.integers(0, n, 4)] = np.nan
    price = rng.uniform(0.5, 5.0, (count, 1)) * rng.lognormal(0, 0.05, (count, n))
    price[::9, 80:] *= 0.5
    keys = tuple(
        {
            "product": f"{i // len(PARTNERS):08d}",
            "reporter": "EU27",
            "flow": "1",
            "partner": PARTNERS[i % len(PARTNERS)],
            "measure": "net_mass_kg",
            "source": "synthetic",
        }
        for i in range(count)
    )
    periods = tuple(date(2015 + m // 12, m % 12 + 1, 1) for m in range(n))
    return Panel(periods, keys, x, {"value": x * price})


def _same(batched: list[Event], single: list[Event]) -> None:
    assert [(e.period, e.severity, e.family, e.key, e.message) for e in batched] == [
        (e.period, e.severity, e.family, e.key, e.message) for e in single
    ]
    for a, b in zip(batched, single, strict=True):
        assert a.statistic == pytest.approx(b.statistic, rel=1e-9, abs=1e-9)
        assert a.evidence.keys() == b.evidence.keys()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seasonal_anomaly", "structural_break", "bocpd", "cusum"])
def test_batched_detectors_give_the_events_of_the_series_by_series_run(name: str) -> None:
    panel = _panel(11, 320)
    detector = builtin_detectors()[name]()
    batched = detect_panel(detector, panel)
    found = 0
    for i, events in enumerate(batched):
        single = builtin_detectors()[name]().fit(panel.series(i)).detect()
        _same(events, single)
        found += len(single)
    assert found >= 10, found


def test_row_helpers_equal_the_one_series_helpers() -> None:
    from critchem.surveillance.detectors._common import (
        log_positive,
        nanmedian_last,
        seasonal_reference,
    )
    from critchem.surveillance.detectors.cusum import cusum_alarms, trailing_z
    from critchem.surveillance.rows import (
        cusum_alarm_rows,
        seasonal_reference_rows,
        trailing_z_rows,
    )

    x = _panel(14, 50).values
    y = log_positive(x)
    ref = seasonal_reference_rows(y)
    d = y - ref
    z = trailing_z_rows(d)
    lagged = np.full((3, *y.shape), np.nan)
    for j in (1, 2, 3):
        lagged[j - 1, :, 12 * j :] = y[:, : -12 * j]
    with pytest.warns(RuntimeWarning, match="All-NaN"):
        np.testing.assert_array_equal(ref, np.nanmedian(lagged, axis=0))
    alarms = cusum_alarm_rows(z, k=0.5, h=5.0)
    assert sum(map(len, alarms)) >= 5
    for i in range(len(x)):
        np.testing.assert_array_equal(ref[i], seasonal_reference(y[i]))
        np.testing.assert_array_equal(z[i], trailing_z(d[i]))
        assert alarms[i] == cusum_alarms(z[i], k=0.5, h=5.0)
    a = np.random.default_rng(1).normal(size=(30, 9))
    a[a > 0.8] = np.nan
    a[3] = np.nan
    with pytest.warns(RuntimeWarning, match="All-NaN"):
        expected = np.nanmedian(a, axis=1)
    np.testing.assert_array_equal(nanmedian_last(a), expected)


def test_run_length_posteriors_agree_to_rounding() -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(size=(60, 130))
    z[::4, 70:] += 3.0
    z[::7, rng.integers(0, 130, 6)] = np.nan
    z[5, :40] = np.nan
    many = recent_run_posterior(z, hazard=0.01)
    single = np.stack([run_length_posterior(row, hazard=0.01)[:, 1:5] for row in z])
    assert np.abs(many - single).max() < 1e-12


def test_scan_runs_every_detector_and_counts_reconcile() -> None:
    panel = _panel(12, 64)
    detectors = {name: cls() for name, cls in builtin_detectors().items()}
    events = scan(panel, detectors)
    assert set(events) == set(detectors)
    per_row = detect_panel(detectors["cusum"], panel)
    assert len(events["cusum"]) == sum(len(row) for row in per_row)


def test_a_panel_refuses_misaligned_matrices() -> None:
    panel = _panel(13, 8)
    with pytest.raises(ValueError, match="value"):
        Panel(panel.periods, panel.keys, panel.values, {"value": panel.values[:, :10]})
