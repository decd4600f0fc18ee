"""Seeded generators of series with a known truth, for tests and benchmarks.

Every generator takes a ``seed`` and draws from ``numpy.random.default_rng(seed)`` only, so
the same call gives the same series. Change points are given as the 0-based index of the first
value of each new segment (the convention of :func:`critchem.surveillance.detect_breaks`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from critchem.surveillance.base import Series
from critchem.trade.periods import monthly_periods

FloatArray = npt.NDArray[np.float64]
ORIGINS: tuple[str, ...] = ("CN", "US", "IN", "KR", "JP", "TR", "RU", "SA", "CH", "GB")


@dataclass(frozen=True, slots=True)
class Truth:
    """A generated signal and the indices where its regimes begin."""

    values: FloatArray
    breaks: list[int]


def _break_points(rng: np.random.Generator, n: int, n_breaks: int, min_size: int) -> list[int]:
    if n_breaks == 0:
        return []
    if n < (n_breaks + 1) * min_size:
        raise ValueError(
            f"{n_breaks} breaks with segments of at least {min_size} need n ≥ "
            f"{(n_breaks + 1) * min_size}, got {n}"
        )
    slack = n - (n_breaks + 1) * min_size
    cuts = np.sort(rng.integers(0, slack + 1, n_breaks))
    return [int(c) + (i + 1) * min_size for i, c in enumerate(cuts)]


def piecewise_constant(
    n: int, *, n_breaks: int, seed: int, noise: float = 1.0, jump: float = 3.0, min_size: int = 10
) -> Truth:
    """Gaussian noise around segment means that jump by ``±jump·(1..2)·noise`` at each break.

    >>> t = piecewise_constant(100, n_breaks=2, seed=1)
    >>> len(t.values), len(t.breaks), all(10 <= b <= 90 for b in t.breaks)
    (100, 2, True)
    """
    rng = np.random.default_rng(seed)
    breaks = _break_points(rng, n, n_breaks, min_size)
    means = np.zeros(n)
    level = 0.0
    for b in breaks:
        level += rng.choice([-1.0, 1.0]) * jump * noise * rng.uniform(1.0, 2.0)
        means[b:] = level
    return Truth(means + rng.normal(0.0, noise, n), breaks)


def piecewise_linear(
    n: int, *, n_breaks: int, seed: int, noise: float = 1.0, slope: float = 0.2, min_size: int = 15
) -> Truth:
    """A continuous line whose slope changes sign or size at each break, plus noise.

    >>> t = piecewise_linear(60, n_breaks=1, seed=3)
    >>> len(t.values), len(t.breaks)
    (60, 1)
    """
    rng = np.random.default_rng(seed)
    breaks = _break_points(rng, n, n_breaks, min_size)
    slopes = np.full(n, rng.normal(0.0, slope))
    for b in breaks:
        slopes[b:] = rng.normal(0.0, slope) + rng.choice([-1.0, 1.0]) * slope
    line = np.cumsum(slopes) * noise
    return Truth(line + rng.normal(0.0, noise, n), breaks)


def with_outliers(
    values: FloatArray, *, seed: int, rate: float = 0.02, size: float = 8.0
) -> FloatArray:
    """A copy of ``values`` with a share ``rate`` of points moved by ``±size`` robust scales.

    >>> x = with_outliers(np.zeros(100), seed=0, rate=0.05, size=5.0)
    >>> int((x != 0).sum())
    5
    """
    rng = np.random.default_rng(seed)
    out = values.copy()
    spread = float(np.median(np.abs(np.diff(values)))) / 0.9539 or 1.0
    count = max(1, round(rate * len(values)))
    index = rng.choice(len(values), count, replace=False)
    out[index] += rng.choice([-1.0, 1.0], count) * size * spread
    return out


def seasonal_wave(
    n: int, *, amplitude: float = 0.1, period: int = 12, phase: int = 0
) -> FloatArray:
    """``1 + amplitude·cos(2π (t - phase) / period)``, a multiplicative seasonal factor.

    >>> round(float(seasonal_wave(12)[0]), 3)
    1.1
    """
    t = np.arange(n)
    return 1.0 + amplitude * np.cos(2 * np.pi * (t - phase) / period)


def volume_series(
    n: int = 120, *, seed: int, level: float = 1e6, noise: float = 0.08, price: float = 2.0
) -> Series:
    """A flat, seasonal monthly import volume (kg) with ``extra["value"]`` (EUR).

    Log-normal noise ``noise`` on volume and 3 % on unit value; no event.

    >>> s = volume_series(24, seed=1)
    >>> len(s.values), sorted(s.extra)
    (24, ['value'])
    """
    rng = np.random.default_rng(seed)
    volume = level * seasonal_wave(n) * rng.lognormal(0.0, noise, n)
    value = volume * price * rng.lognormal(0.0, 0.03, n)
    key = {"product": "99999999", "reporter": "EU27", "flow": "1", "partner": "CN"}
    return Series(key, monthly_periods(n), volume, {"value": value})


def origin_panel(n: int = 120, *, seed: int, noise: float = 0.08) -> dict[str, FloatArray]:
    """Monthly import values of ten origins, one holding about half, no event.

    >>> panel = origin_panel(24, seed=2)
    >>> sorted(panel) == sorted(ORIGINS), len(panel["CN"])
    (True, 24)
    """
    rng = np.random.default_rng(seed)
    weights = np.array([10.0, 2.0, 1.5, 1.2, 1.0, 0.8, 0.7, 0.6, 0.5, 0.4])
    return {
        o: 1e6 * w * seasonal_wave(n) * rng.lognormal(0.0, noise, n)
        for o, w in zip(ORIGINS, weights, strict=True)
    }


def origin_unit_values(n: int = 120, *, seed: int, noise: float = 0.03) -> dict[str, FloatArray]:
    """Monthly unit values (EUR/kg) of ten origins around their own levels, sharing a random walk.

    >>> uv = origin_unit_values(24, seed=2)
    >>> bool(np.all(uv["CN"] > 0))
    True
    """
    rng = np.random.default_rng(seed)
    common = np.exp(np.cumsum(rng.normal(0.0, 0.02, n)))
    return {
        o: 2.0 * float(rng.lognormal(0.0, 0.15)) * common * rng.lognormal(0.0, noise, n)
        for o in ORIGINS
    }
