"""Corroboration counts independent evidence: trade diversion and a share gain are one.

The hand-built case follows the titanium dioxide case of the register
(``td-ad696-tio2-cn``: initiated 2023-11-13, provisional duties 2024-07-10). EU27 imports
of CN 28230000, 32 months from 2022-11, in kg a month (the same figures serve as values, so
shares by mass and by value are equal):

=======  ====================  ====================
origin   2022-11 to 2024-06    2024-07 to 2025-06
=======  ====================  ====================
CN       100,000               20,000
IN        10,000               60,000
US        50,000               50,000
=======  ====================  ====================

By hand:

* ``trade_diversion`` (before 2022-11..2023-10, after 2024-07..2025-06): India 10,000 →
  60,000 kg, +500 %; its share 10/160 = 6.25 % → 60/130 = 46.15 %; China -80 %. One amber
  event on IN, 2024-07, family ``volume``.
* ``concentration_shift`` share gain on IN (3-month shares against the 12 months before):
  at 2024-07 (2024-05..07) IN has 80/450 = 17.8 % against 10/160 = 6.25 %, +11.5 points
  (over the 10-point line); at 2024-08 (2024-06..08) 130/420 = 30.95 %, +24.7 points, which
  confirms it, and is over twice the line, so red. Dated 2024-07, family ``concentration``.

Both events sit in one alert (product 28230000, EU27, IN, imports, 2024-07). The former
rule ("red when two families each reach amber") made it red: volume and concentration. But
both rest on India's share gain, which the diversion screen asks for (at least 5 points)
and the share-gain signal measures. So the alert is amber, and a third, independent piece
of evidence (a unit-price change on the same trade) makes it red.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from critchem.surveillance.alerts import fuse, fused_severity
from critchem.surveillance.alerts.fusion import ALSO_READS, RANK, evidence_read
from critchem.surveillance.base import FAMILIES, Event, Series
from critchem.surveillance.detectors.concentration import ConcentrationShiftDetector
from critchem.surveillance.detectors.diversion import TradeDiversionDetector
from critchem.surveillance.registry import builtin_detectors
from critchem.trade.periods import monthly_periods
from tests.surveillance.conftest import _event as make_event

KEY = {"product": "28230000", "reporter": "EU27", "flow": "1"}


def _tio2_like() -> Series:
    periods = monthly_periods(32, start=date(2022, 11, 1))
    cn = np.r_[np.full(20, 100_000.0), np.full(12, 20_000.0)]
    india = np.r_[np.full(20, 10_000.0), np.full(12, 60_000.0)]
    us = np.full(32, 50_000.0)
    return Series(KEY, periods, cn + india + us, {"CN": cn, "IN": india, "US": us})


def _former_rule(events: Iterable[Event]) -> str:
    """The rule before this change: red when two families each reach amber."""
    items = list(events)
    top = max((e.severity for e in items), key=RANK.__getitem__)
    agreeing = {e.family for e in items if RANK[e.severity] >= RANK["amber"]}
    return "amber" if top == "red" and len(agreeing) < 2 else top


@pytest.fixture(scope="module")
def india() -> list[Event]:
    """The two detectors' events on India, 2024-07 (see the module docstring)."""
    series = _tio2_like()
    found = [
        *TradeDiversionDetector().fit(series).detect(),
        *ConcentrationShiftDetector().fit(series).detect(),
    ]
    return [e for e in found if e.key["partner"] == "IN"]


def test_both_detectors_see_india_in_the_same_month(india: list[Event]) -> None:
    diversion, share = sorted(india, key=lambda e: e.detector, reverse=True)
    assert (diversion.detector, diversion.family, diversion.severity) == (
        "trade_diversion",
        "volume",
        "amber",
    )
    assert diversion.evidence["partner_change"] == pytest.approx(5.0)
    assert diversion.evidence["share_after"] == pytest.approx(60 / 130)
    assert (share.detector, share.family, share.severity) == (
        "concentration_shift",
        "concentration",
        "red",
    )
    assert share.evidence["signal"] == "share_gain"
    assert share.statistic == pytest.approx(130 / 420 - 10 / 160, abs=1e-4)
    assert diversion.period == share.period == date(2024, 7, 1)


def test_one_share_gain_seen_twice_stays_amber(india: list[Event]) -> None:
    (alert,) = fuse(india)
    assert alert.families == ("concentration", "volume")
    assert _former_rule(india) == "red"  # the double count
    assert alert.severity == fused_severity(india) == "amber"


def test_an_independent_price_change_still_makes_it_red(india: list[Event]) -> None:
    price = make_event("price", "amber", detector="unit_value_outlier", partner="IN", **KEY)
    price = replace(price, period=date(2024, 7, 1))
    (alert,) = fuse([*india, price])
    assert alert.families == ("concentration", "price", "volume")
    assert alert.severity == "red"  # the price change is read apart from the share gain
    (diversion,) = [e for e in india if e.detector == "trade_diversion"]
    assert fused_severity([diversion, price]) == "amber"  # both amber: no red from nowhere


# (detector, family, severity) of each event -> fused severity.
CASES = [
    # Diversion reads the origin's volume and its share: neither corroborates it.
    (
        [("trade_diversion", "volume", "amber"), ("concentration_shift", "concentration", "red")],
        "amber",
    ),
    ([("trade_diversion", "volume", "amber"), ("import_surge", "volume", "red")], "amber"),
    # Independent evidence still escalates.
    ([("trade_diversion", "volume", "amber"), ("quota_exhaustion", "policy", "red")], "red"),
    (
        [("concentration_shift", "concentration", "red"), ("unit_value_outlier", "price", "amber")],
        "red",
    ),
    ([("import_surge", "volume", "red"), ("concentration_shift", "concentration", "amber")], "red"),
    (
        [
            ("trade_diversion", "volume", "amber"),
            ("concentration_shift", "concentration", "red"),
            ("unit_value_outlier", "price", "amber"),
        ],
        "red",
    ),
    # The monitor on the miniature TiO2 file: India's volume break is read apart from its share.
    (
        [
            ("trade_diversion", "volume", "amber"),
            ("concentration_shift", "concentration", "red"),
            ("structural_break", "volume", "red"),
        ],
        "red",
    ),
]


@pytest.mark.parametrize(("triples", "expected"), CASES)
def test_corroboration_needs_evidence_read_apart(
    triples: list[tuple[str, str, str]], expected: str
) -> None:
    events = [make_event(f, s, detector=d) for d, f, s in triples]
    assert fused_severity(events) == expected


def test_the_declared_readings_name_registered_detectors_and_other_families() -> None:
    detectors = builtin_detectors()
    for name, reads in ALSO_READS.items():
        assert name in detectors, f"ALSO_READS names {name!r}, which is not a registered detector"
        assert reads and reads <= set(FAMILIES) and detectors[name].family not in reads
    plain = make_event("volume", "amber", detector="import_surge")
    assert evidence_read(plain) == {"volume"}
