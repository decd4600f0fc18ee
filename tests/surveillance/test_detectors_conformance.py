"""One conformance suite for every registered detector.

Each detector must: return itself from ``fit``; raise well-formed events (its name and
version, a valid family and severity, a period of the series); stay silent on a flat noisy
series (false-alarm control, several fixed seeds); and find its own kind of injected event
where it was injected. The series each detector watches and the event injected for it are
listed in ``CASES``, a table a domain expert can review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from critchem.evaluation.ground_truth import (
    monthly_periods,
    origin_panel,
    origin_unit_values,
    volume_series,
)
from critchem.surveillance.base import FAMILIES, SEVERITIES, Detector, Series
from critchem.surveillance.registry import builtin_detectors

N = 120
SEEDS = (1, 2, 3)


def _volume(seed: int) -> Series:
    return volume_series(N, seed=seed)


def _scaled(seed: int, start: int, stop: int | None, factor: float) -> Series:
    s = volume_series(N, seed=seed)
    s.values[start:stop] *= factor
    s.extra["value"][start:stop] *= factor
    return s


def _spike(seed: int) -> Series:
    return _scaled(seed, 90, 91, 3.0)


def _origins(seed: int) -> Series:
    key = {"product": "99999999", "reporter": "EU27", "flow": "1"}
    panel = origin_panel(N, seed=seed)
    return Series(key, monthly_periods(N), np.sum(list(panel.values()), axis=0), panel)


def _origin_exit(seed: int) -> Series:
    s = _origins(seed)
    s.extra["US"][90:] = np.nan
    return s


def _prices(seed: int) -> Series:
    key = {"product": "99999999", "reporter": "EU27", "flow": "1"}
    return Series(key, monthly_periods(N), np.ones(N), origin_unit_values(N, seed=seed))


def _price_collapse(seed: int) -> Series:
    s = _prices(seed)
    s.extra["KR"][90:96] *= 0.5
    return s


def _tio2(seed: int) -> Series:
    # titanium dioxide: the register's anti-dumping case on China, provisional duties 2024-07
    s = _origins(seed)
    return Series({**s.key, "product": "28230000"}, s.periods, s.values, s.extra)


def _tio2_diverted(seed: int) -> Series:
    s = _tio2(seed)
    s.extra["CN"][114:] *= 0.3  # 2024-07 on: China falls, the US takes its place
    s.extra["US"][114:] *= 4.0
    return s


def _quota(seed: int) -> Series:
    return _scaled(seed, 0, None, 300.0)  # 3e8 kg a month: 3.6 Mt a year > 0.9 x 2.7 Mt


@dataclass(frozen=True)
class Case:
    flat: Callable[[int], Series]
    injected: Callable[[int], Series]
    first: int
    last: int
    """The event must be raised at an index in ``first..last``."""


CASES: dict[str, Case] = {
    "import_surge": Case(_volume, lambda s: _scaled(s, 90, 93, 3.0), 90, 92),
    "export_shift": Case(_volume, lambda s: _scaled(s, 90, None, 0.3), 90, 92),
    "seasonal_anomaly": Case(_volume, _spike, 90, 90),
    "cusum": Case(_volume, lambda s: _scaled(s, 80, None, 1.5), 80, 90),
    "structural_break": Case(_volume, lambda s: _scaled(s, 60, None, 2.0), 58, 62),
    "bocpd": Case(_volume, lambda s: _scaled(s, 80, None, 2.0), 80, 86),
    "quota_exhaustion": Case(_volume, _quota, 0, 11),
    "unit_value_outlier": Case(_prices, _price_collapse, 90, 91),
    "concentration_shift": Case(_origins, _origin_exit, 90, 92),
    "trade_diversion": Case(_tio2, _tio2_diverted, 114, 114),
}

NAMES = sorted(builtin_detectors())


def test_every_registered_detector_has_a_case() -> None:
    assert sorted(CASES) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_fit_returns_self_and_detect_needs_fit(name: str) -> None:
    detector = builtin_detectors()[name]()
    with pytest.raises(RuntimeError, match="fit"):
        detector.detect()
    assert detector.fit(CASES[name].flat(1)) is detector


@pytest.mark.parametrize("name", NAMES)
def test_class_attributes(name: str) -> None:
    cls: type[Detector] = builtin_detectors()[name]
    assert cls.name == name and cls.version and cls.family in FAMILIES
    assert cls.__doc__ and cls.detect.__doc__


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", SEEDS)
def test_silent_on_flat_noisy_series(name: str, seed: int) -> None:
    assert builtin_detectors()[name]().fit(CASES[name].flat(seed)).detect() == []


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", SEEDS)
def test_finds_its_own_event(name: str, seed: int) -> None:
    case = CASES[name]
    series = case.injected(seed)
    events = builtin_detectors()[name]().fit(series).detect()
    assert events, f"{name} found nothing"
    at = [series.periods.index(e.period) for e in events]
    assert any(case.first <= i <= case.last for i in at), (name, at)
    for e in events:
        assert e.detector == name and e.detector_version == builtin_detectors()[name].version
        assert e.family in FAMILIES and e.severity in SEVERITIES
        assert e.period in series.periods and np.isfinite(e.statistic)
        assert e.message and isinstance(e.evidence, dict)
    assert [e.period for e in events] == sorted(e.period for e in events)
