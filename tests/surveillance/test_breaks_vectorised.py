"""The vectorised ``detect_breaks`` and ``detect_breaks_many`` give the loop's breaks exactly.

The reference is the loop implementation as it was before vectorisation
(``reference_breaks.py``, verbatim). The series mix what real monthly trade series show:
noise, level shifts, trends, autocorrelation, gaps, rounded values and constants.
"""

from __future__ import annotations

import numpy as np
import pytest

from critchem.surveillance import detect_breaks
from critchem.surveillance.breaks_many import detect_breaks_many
from critchem.surveillance.pelt import pelt_many, pelt_rows, segment_costs, stacked_costs
from tests.surveillance import reference_breaks


def _series(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.normal(size=n)
    if rng.random() < 0.5:
        at = int(rng.integers(n // 5, 4 * n // 5))
        x[at:] += rng.normal() * 3
    if rng.random() < 0.3:
        x += np.arange(n) * 0.05 * rng.normal()
    if rng.random() < 0.2:
        ar = np.zeros(n)
        for t in range(1, n):
            ar[t] = 0.7 * ar[t - 1] + x[t]
        x = ar
    if rng.random() < 0.1:
        x[rng.integers(0, n, 5)] = np.nan
    if rng.random() < 0.05:
        x = np.round(x)
    if rng.random() < 0.02:
        x = np.full(n, 3.0)
    return x


def _panel(seed: int, count: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.vstack([_series(rng, n) for _ in range(count)])


def test_costs_of_one_series_and_of_a_stack_agree_bit_for_bit() -> None:
    z = _panel(3, 20, 60)
    z = np.nan_to_num(z)
    for linear in (False, True):
        stacked = stacked_costs(z, linear=linear)
        for i, row in enumerate(z):
            single = segment_costs(row, linear=linear)
            for t in range(1, 61):
                assert np.array_equal(stacked[t, i, :t], single[t, :t])


@pytest.mark.parametrize("linear", [False, True])
def test_pelt_of_many_equals_pelt_of_each_and_the_loop(linear: bool) -> None:
    z = np.nan_to_num(_panel(4, 60, 80))
    penalties = np.linspace(5.0, 60.0, 60)
    many = pelt_many(stacked_costs(z, linear=linear), penalties, min_size=3)
    for row, pen, found in zip(z, penalties, many, strict=True):
        single = pelt_rows(segment_costs(row, linear=linear), penalty=float(pen), min_size=3)
        loop = reference_breaks.pelt(row, penalty=float(pen), min_size=3, linear=linear)
        assert found == single == loop


@pytest.mark.slow
def test_detect_breaks_is_unchanged_on_three_hundred_series() -> None:
    panels = [_panel(20, 240, 120), _panel(21, 40, 48), _panel(22, 20, 200)]
    for panel in panels:
        many = detect_breaks_many(panel)
        for row, found in zip(panel, many, strict=True):
            expected = reference_breaks.detect_breaks(row)
            assert detect_breaks(row) == expected
            assert found == expected


def test_long_series_are_segmented_by_the_pruned_recursion_with_the_same_breaks() -> None:
    panel = _panel(23, 4, 700)
    many = detect_breaks_many(panel)
    for row, found in zip(panel, many, strict=True):
        expected = reference_breaks.detect_breaks(row)
        assert detect_breaks(row) == expected == found


def test_many_handles_short_constant_and_empty_rows() -> None:
    rows = np.vstack([np.full(30, np.nan), np.full(30, 2.0), np.r_[np.zeros(15), np.ones(15)]])
    rows[2, :25] = np.nan
    assert detect_breaks_many(rows) == [[], [], []]
    with pytest.raises(ValueError, match="2-D"):
        detect_breaks_many(np.zeros(5))
