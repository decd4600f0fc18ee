"""``detect_breaks``: steps found, silence on noise, edge cases, invariances."""

from __future__ import annotations

from datetime import date
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from critchem.evaluation.ground_truth import piecewise_constant, with_outliers
from critchem.evaluation.metrics import precision_recall
from critchem.surveillance import detect_breaks


@pytest.mark.parametrize("n", [60, 200, 1000])
def test_steps_are_found_within_two(n: int) -> None:
    hits = total = predicted = 0
    for seed in range(20):
        truth = piecewise_constant(n, n_breaks=3, seed=seed, jump=3.0, min_size=max(10, n // 10))
        scores = precision_recall(truth.breaks, detect_breaks(truth.values), margin=2)
        hits, total = hits + scores.true_positives, total + scores.n_true
        predicted += scores.n_predicted
    assert hits / total >= 0.9, (hits, total)
    assert hits / predicted >= 0.9, (hits, predicted)


@pytest.mark.parametrize("n", [15, 50, 120, 500, 3000])
def test_nothing_on_pure_noise(n: int) -> None:
    found = [detect_breaks(np.random.default_rng(seed).normal(size=n)) for seed in range(10)]
    assert sum(len(f) for f in found) <= 1, found


def test_outliers_do_not_open_segments() -> None:
    for seed in range(10):
        noise = np.random.default_rng(seed).normal(size=300)
        assert detect_breaks(with_outliers(noise, seed=seed, rate=0.02, size=10.0)) == []


def test_a_step_is_found_despite_outliers() -> None:
    x = np.r_[np.zeros(100), np.full(100, 3.0)] + np.random.default_rng(4).normal(size=200)
    found = detect_breaks(with_outliers(x, seed=4, rate=0.02, size=10.0))
    assert len(found) == 1 and abs(found[0] - 100) <= 2


def test_constant_and_short_series() -> None:
    assert detect_breaks(np.full(100, 7.5)) == []
    assert detect_breaks([]) == []
    assert detect_breaks([1.0]) == []
    assert detect_breaks([0.0, 0.0, 0.0, 9.0, 9.0, 9.0]) == []


def test_nan_are_bridged_and_indices_kept() -> None:
    x = np.r_[np.zeros(50), np.full(50, 5.0)] + np.random.default_rng(1).normal(0, 0.5, 100)
    x[[3, 20, 49, 50, 51, 90]] = np.nan
    found = detect_breaks(x)
    assert len(found) == 1 and abs(found[0] - 50) <= 2
    assert detect_breaks(np.full(30, np.nan)) == []


def test_dates_must_match_values() -> None:
    with pytest.raises(ValueError, match="dates"):
        detect_breaks([1.0, 2.0], dates=[date(2024, 1, 1)])


def test_deterministic() -> None:
    truth = piecewise_constant(500, n_breaks=4, seed=9)
    assert detect_breaks(truth.values) == detect_breaks(truth.values.copy())


def test_autocorrelated_noise_is_not_segmented() -> None:
    rng = np.random.default_rng(5)
    noise = rng.normal(size=400)
    ar = np.zeros(400)
    for t in range(1, 400):
        ar[t] = 0.6 * ar[t - 1] + noise[t]
    assert len(detect_breaks(ar)) <= 1


values = st.lists(
    st.floats(min_value=-100, max_value=100, allow_nan=False).map(lambda v: round(v, 2)),
    min_size=0,
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(
    values,
    st.sampled_from([0.001, 0.5, 3.0, 1000.0]),
    st.integers(min_value=-1000, max_value=1000),
)
def test_invariant_to_positive_scaling_and_shifts(
    xs: list[float], scale: float, shift: int
) -> None:
    x = np.array(xs, dtype=np.float64)
    steps = np.r_[x, x + 50.0]  # give it something to find as well
    for series in (x, steps):
        expected = detect_breaks(series)
        assert detect_breaks(series * scale) == expected
        assert detect_breaks(series + shift) == expected


def test_nile_change_after_1898() -> None:
    """The real Nile flow (1871-1970): one change, the first low year being 1899 (index 28)."""
    text = (files("critchem.surveillance") / "data" / "nile.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()[1:]]
    flow = np.array([float(v) for _, v in rows])
    assert len(flow) == 100 and flow.mean() == pytest.approx(919.35)
    found = detect_breaks(flow)
    assert len(found) == 1 and abs(found[0] - 28) <= 2, found
