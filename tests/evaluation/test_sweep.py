"""The held-out evaluation: seeds kept apart from tuning, planted events found, exposure counted."""

from __future__ import annotations

import pytest

from critchem.evaluation.sweep import (
    SWEEP,
    TUNING_SEEDS,
    evaluation_seeds,
    false_alarms,
    planted,
    sweep_cell,
)
from critchem.trade import synthetic


def test_evaluation_seeds_never_include_a_tuning_seed() -> None:
    assert not set(evaluation_seeds(1000)) & set(TUNING_SEEDS)
    assert synthetic.DEFAULT_SEED in TUNING_SEEDS


@pytest.mark.parametrize("seed", TUNING_SEEDS)
def test_tuning_seeds_are_refused(seed: int) -> None:
    with pytest.raises(ValueError, match="tuning seed"):
        planted("import_surge", 3.0, seed=seed, n_events=1)
    with pytest.raises(ValueError, match="tuning seed"):
        false_alarms(seed=seed, n_codes=1, names=["import_surge"])


def test_every_type_is_swept_over_several_magnitudes() -> None:
    assert set(SWEEP) == {"import_surge", "price_collapse", "concentration_shift", "supplier_exit"}
    assert all(len(v) >= 4 for k, v in SWEEP.items() if k != "supplier_exit")


def test_planted_puts_one_event_of_the_given_size_on_each_product() -> None:
    data = planted("price_collapse", 0.25, seed=evaluation_seeds(1)[0], n_events=3)
    assert [e.product for e in data.events] == list(data.codes)
    assert {(e.event_type, e.magnitude) for e in data.events} == {("price_collapse", 0.25)}


def test_an_empty_plan_gives_event_free_series() -> None:
    data = synthetic.generate(
        ["29000100"], start="2022-01", end="2023-12", reporters=["DE"], plan=[]
    )
    assert data.events == []


def test_a_large_surge_is_found_and_a_tiny_one_mostly_not() -> None:
    seed = evaluation_seeds(1, offset=42)[0]
    big = sweep_cell("import_surge", 5.0, seed=seed, n_events=3, names=["import_surge"])
    assert big.events == 3
    assert big.found["import_surge"] == 3
    assert all(d >= 0 for d in big.delays["import_surge"])
    small = sweep_cell("import_surge", 1.05, seed=seed, n_events=3, names=["import_surge"])
    assert small.found["import_surge"] <= 1


def test_false_alarms_count_exposure_of_event_free_series() -> None:
    fa = false_alarms(seed=evaluation_seeds(1, offset=43)[0], n_codes=1, names=["import_surge"])
    assert fa.series["import_surge"] == 15  # one product, 15 extra-EU partners
    assert fa.months == 60
    assert fa.rate("import_surge") == pytest.approx(fa.alarms["import_surge"] / (15 * 5) * 100)
