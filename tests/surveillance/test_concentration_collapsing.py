"""``concentration_shift`` names the origin that gains share, never a collapsing one.

Miniature case, the figures of the titanium-dioxide-like case of ``test_fusion_evidence``
in kg a month (values = masses), 32 months from 2022-11; the change is at 2024-07 (month 20):

=======  =====================  =====================
origin   2022-11 to 2024-06     2024-07 to 2025-06
=======  =====================  =====================
CN       100,000                20,000  (-80 %)
IN        10,000                60,000  (x6)
US        50,000                50,000
=======  =====================  =====================

By hand, 3-month shares ``s`` against the shares ``b`` of the 12 months before the window
(160,000 kg a month then: CN 62.5 %, IN 6.25 %, US 31.25 %):

* 2024-09 (2024-07..09, all three months after the change, 130,000 kg a month):
  CN 20/130 = 15.38 %, IN 60/130 = 46.15 %, US 50/130 = 38.46 %.
  CN is below half its baseline (15.38 < 31.25): vanished, ``L = 62.5 %``; the others'
  baselines rescaled by ``1 / (1 - L)``: IN 6.25/37.5 = 16.67 %, US 31.25/37.5 = 83.33 %.
  Gains: IN 46.15 - 16.67 = +29.5 points; US 38.46 - 83.33 = -44.9; CN against its own
  62.5 %: 15.38 - 62.5 = -47.1 points. Before the fix CN's baseline was 0, so CN "gained"
  15.38 - 0 = +15 points (2024-09, confirmed 2024-10) while its imports fell 80 %.
* 2024-07 (2024-05..07; baseline 2023-05..2024-04, 160,000 kg a month): IN 80/450 = 17.78 %
  against 6.25 %, +11.5 points; 2024-08 (2024-06..08): IN 130/420 = 30.95 %, +24.7 points,
  which confirms it. So the one share gain is IN, dated 2024-07, red (24.7 >= 2 x 10).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from critchem.surveillance.base import Event, Series
from critchem.surveillance.detectors.concentration import (
    ConcentrationShiftDetector,
    redistributed,
)
from critchem.trade.periods import monthly_periods

KEY = {"product": "28230000", "reporter": "EU27", "flow": "1"}


def _series(**origins: tuple[float, float]) -> Series:
    """Each origin: (kg a month before 2024-07, kg a month from 2024-07), 32 months."""
    extra = {o: np.r_[np.full(20, a), np.full(12, b)] for o, (a, b) in origins.items()}
    total = np.sum(list(extra.values()), axis=0)
    return Series(KEY, monthly_periods(32, start=date(2022, 11, 1)), total, extra)


def _signals(series: Series, signal: str) -> list[Event]:
    events = ConcentrationShiftDetector().fit(series).detect()
    return [e for e in events if e.evidence["signal"] == signal]


def test_a_collapsing_supplier_is_not_named_as_gaining() -> None:
    series = _series(CN=(100_000, 20_000), IN=(10_000, 60_000), US=(50_000, 50_000))
    gains = _signals(series, "share_gain")
    assert [(e.key["partner"], e.period, e.severity) for e in gains] == [
        ("IN", date(2024, 7, 1), "red")
    ]
    assert gains[0].statistic == pytest.approx(130 / 420 - 10 / 160, abs=1e-4)
    assert gains[0].message == "IN gains 25 points of import share in 3 months (now 31%)"
    (collapse,) = _signals(series, "supplier_collapse")
    assert (collapse.key["partner"], collapse.severity) == ("CN", "red")
    assert collapse.message == "CN (62% of the last 12 months) nearly stops supplying"


def test_a_vanished_origin_keeps_its_own_baseline() -> None:
    # 2024-09 of the module docstring: CN vanished (15.38 % < 62.5 % / 2).
    base = np.array([[0.625], [0.0625], [0.3125]])
    now = np.array([[20 / 130], [60 / 130], [50 / 130]])
    np.testing.assert_allclose(
        redistributed(base, now), [[0.625], [0.0625 / 0.375], [0.3125 / 0.375]], atol=1e-4
    )
    gain = now - redistributed(base, now)
    np.testing.assert_allclose(gain[:, 0], [-0.4712, 0.2949, -0.4487], atol=1e-3)


def test_an_origin_whose_imports_halved_never_gains() -> None:
    # The whole market falls: AA 50,000 -> 10,000 (-80 %), BB 50,000 -> 4,000 (-92 %).
    # From 2024-09 (three months after): AA 10/14 = 71.4 %, BB 4/14 = 28.6 %, against 50 %
    # each. BB is not vanished (28.6 >= 25), so AA's baseline stays 50 %: +21.4 points of
    # share. But AA's own imports are a fifth of what they were: it shrinks, it does not
    # gain; only the collapses are reported (both had half of the imports: red).
    series = _series(AA=(50_000, 10_000), BB=(50_000, 4_000))
    assert _signals(series, "share_gain") == []
    collapses = _signals(series, "supplier_collapse")
    assert [(e.key["partner"], e.severity) for e in collapses] == [("AA", "red"), ("BB", "red")]


def test_no_origin_is_named_both_gaining_and_collapsing() -> None:
    cases = [
        _series(CN=(100_000, 20_000), IN=(10_000, 60_000), US=(50_000, 50_000)),
        _series(AA=(50_000, 10_000), BB=(50_000, 4_000)),
        _series(AA=(60_000, 0), BB=(30_000, 30_000), CC=(10_000, 10_000)),
    ]
    for series in cases:
        events = ConcentrationShiftDetector().fit(series).detect()
        gaining = {e.key["partner"] for e in events if e.evidence["signal"] == "share_gain"}
        falling = {e.key["partner"] for e in events if e.evidence["signal"] == "supplier_collapse"}
        assert falling and not gaining & falling
