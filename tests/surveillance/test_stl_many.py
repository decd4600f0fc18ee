"""``stl_remainders`` agrees with ``statsmodels``' STL on every series, to rounding."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.tsa.seasonal import STL

from critchem.surveillance.stl_many import stl_remainders

TOLERANCE = 1e-9
"""Largest difference allowed between the remainders (log scale): the sums run in another order."""


def _panel(seed: int, count: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    y = 13.8 + 0.1 * np.sin(2 * np.pi * t / 12) * rng.uniform(0, 2, (count, 1))
    y = y + rng.normal(0, 0.1, (count, n)) * rng.uniform(0.1, 2, (count, 1))
    y[::5, n // 2 :] += 0.5
    y[1::7, rng.integers(0, n)] += 2.0
    y[2::11] += 0.01 * t
    y[3] = 5.0
    return y


@pytest.mark.parametrize(
    ("n", "settings"),
    [
        (120, {"robust": True, "seasonal": 35, "trend": 37, "seasonal_deg": 0}),
        (61, {"robust": True, "seasonal": 35, "trend": 37, "seasonal_deg": 0}),
        (48, {"seasonal": 7, "trend": 23}),
    ],
)
def test_remainders_agree_with_statsmodels(n: int, settings: dict[str, int | bool]) -> None:
    y = _panel(n, 300 if n == 120 else 40, n)
    ours = stl_remainders(y, period=12, **settings)  # type: ignore[arg-type]
    theirs = np.vstack([STL(row, period=12, **settings).fit().resid for row in y])
    assert np.abs(ours - theirs).max() < TOLERANCE
