"""Back-test: live replay without look-ahead, series from the flow table, scores on truth."""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np
import pyarrow.compute as pc
import pytest

from critchem.evaluation.backtest import backtest, replay
from critchem.evaluation.ground_truth import volume_series
from critchem.evaluation.metrics import false_alarms_per_100_series_years
from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.inputs import flow_series, supplier_series, unit_value_series
from critchem.trade import synthetic

CODES = ("28000000", "28010000", "28020000", "28030000")


@pytest.fixture(scope="module")
def small() -> synthetic.SyntheticDataset:
    return synthetic.generate(CODES[:1], start="2022-01", end="2024-12", reporters=["DE", "FR"])


class Spy(Detector):
    """Records how much of the series each fit saw, and claims an event at its newest month."""

    name: ClassVar[str] = "spy"
    version: ClassVar[str] = "0"
    family: ClassVar[Family] = "volume"
    seen: ClassVar[list[int]] = []

    def fit(self, series: Series) -> Self:
        self.series = series
        Spy.seen.append(len(series.periods))
        assert all(len(v) == len(series.periods) for v in series.extra.values())
        return self

    def detect(self) -> list[Event]:
        s = self.series
        return [Event("spy", "0", "volume", s.key, s.periods[-1], 1.0, 1.0, "amber", "newest", {})]


def test_replay_sees_only_the_past() -> None:
    Spy.seen.clear()
    series = volume_series(40, seed=1)
    found = replay(Spy, series, start=24)
    assert Spy.seen == list(range(25, 41))
    assert [d.raised_at for d in found] == list(range(24, 40))
    assert all(series.periods.index(d.event.period) == d.raised_at for d in found)


def test_flow_table_to_series(small: synthetic.SyntheticDataset) -> None:
    table = small.table
    volume = flow_series(table)
    assert {s.key["partner"] for s in volume} == set(synthetic.EXTRA_EU_PARTNERS)
    assert all(s.key["reporter"] == "EU27" and len(s.values) == 36 for s in volume)
    cn = next(s for s in volume if s.key["partner"] == "CN")
    rows = table.filter(
        pc.and_(
            pc.and_(pc.equal(table["partner"], "CN"), pc.equal(table["flow"], 1)),
            pc.equal(table["period"], "2022-01"),
        )
    )
    assert cn.values[0] == pytest.approx(sum(rows["net_mass_kg"].to_pylist()))
    (suppliers,) = supplier_series(table)
    assert set(suppliers.extra) == set(synthetic.EXTRA_EU_PARTNERS)
    assert np.allclose(suppliers.values, np.nansum(list(suppliers.extra.values()), axis=0))
    (prices,) = unit_value_series(table)
    assert prices.extra["CN"][0] == pytest.approx(
        sum(rows["value"].to_pylist()) / sum(rows["net_mass_kg"].to_pylist())
    )


def test_surges_and_supplier_disruptions_are_found() -> None:
    """Recall ≥ 0.9 for surges and supplier exits at ≤ 1 false alarm per 100 series-years.

    Three seeded datasets of four codes (three surges, three exits, three share shifts).
    """
    scores = [
        s
        for seed in (1, 2, 3)
        for s in backtest(
            synthetic.generate(CODES, start="2019-01", end="2025-12", seed=seed),
            names=["import_surge", "concentration_shift"],
        )
    ]
    for name, kinds in (
        ("import_surge", ("import_surge",)),
        ("concentration_shift", ("supplier_exit", "concentration_shift")),
    ):
        mine = [s for s in scores if s.detector == name]
        for kind in kinds:
            recall = np.mean([s.recall_by_type[kind] for s in mine])
            assert recall >= 0.9, (name, kind, recall)
        false = sum(s.n_false for s in mine)
        rate = false_alarms_per_100_series_years(false, sum(s.n_series for s in mine), 60)
        assert rate <= 1.0, (name, false, rate)
        if name == "concentration_shift":  # version 1.0 raised 3 here, version 1.1 none
            assert false == 0, false
        # a share shift ramps over 3 months and must hold 2 months, an exit 3 months: raised
        # on average within 4 months of the start
        assert all(s.mean_delay is not None and s.mean_delay <= 4 for s in mine)


@pytest.mark.slow
def test_screening_detectors_cry_wolf_far_less() -> None:
    """CUSUM and BOCPD on two seeded datasets of four codes (every code carries an event).

    Measured: CUSUM 2.0 raises 76 false alarms on 119 series over 60 months, 12.8 per 100
    series-years (version 1.0: 1,483, 249 per 100); BOCPD 1.1 raises 14, 2.4 per 100
    (version 1.0: 20, 3.4). Both still find every surge. The bounds leave a little room.
    """
    scores = [
        s
        for seed in (1, 2)
        for s in backtest(
            synthetic.generate(CODES, start="2019-01", end="2025-12", seed=seed),
            names=["cusum", "bocpd"],
        )
    ]
    for name, bound in (("cusum", 15.0), ("bocpd", 3.0)):
        mine = [s for s in scores if s.detector == name]
        assert all(s.recall_by_type["import_surge"] == 1.0 for s in mine), name
        false = sum(s.n_false for s in mine)
        rate = false_alarms_per_100_series_years(false, sum(s.n_series for s in mine), 60)
        assert rate <= bound, (name, false, rate)


def test_the_live_monitor_imports_no_evaluation_code() -> None:
    """The monitor prepares its series without the back-test or the synthetic generator."""
    import subprocess
    import sys

    code = (
        "import sys, critchem.services.monitor; "
        "print(sorted(m for m in sys.modules if m.endswith(('.backtest', '.synthetic'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
