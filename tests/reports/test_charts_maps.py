"""What counts as plottable evidence, and the shipped country centroids."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

import pytest

from critchem.reports import BulletinItem, EventRecord
from critchem.reports.charts import evidence_series
from critchem.reports.maps import bubble_area, centroids, origins

WHEN = datetime(2025, 11, 25, tzinfo=UTC)


def _item(*evidences: dict[str, Any], partner: str = "CN", severity: str = "amber") -> BulletinItem:
    events = [
        EventRecord(
            detector=f"d{n}",
            family="volume",
            period=date(2025, 3, 1),
            statistic=5.0,
            threshold=3.0,
            severity=severity,
            message="",
            evidence=evidence,
            recorded_at=WHEN,
        )
        for n, evidence in enumerate(evidences)
    ]
    return BulletinItem(
        id=1,
        change="new",
        severity=severity,
        severity_before=None,
        state="new",
        title="t",
        molecule_id=None,
        product="28012000",
        reporter="EU27",
        partner=partner,
        flow="1",
        families=["volume"],
        first_seen_period=date(2025, 3, 1),
        last_seen_period=date(2025, 3, 1),
        created_at=WHEN,
        updated_at=WHEN,
        events=events,
    )


PERIODS = ["2025-01-01", "2025-02-01", "2025-03-01"]


def test_series_with_scalar_baseline_marks_the_event_period() -> None:
    found = evidence_series(_item({"periods": PERIODS, "values": [1, None, 9], "baseline": 2}))
    assert found is not None
    assert found.detected == 2
    assert found.baseline == (2.0, 2.0, 2.0)
    assert math.isnan(found.values[1])


def test_nested_series_with_aligned_baseline() -> None:
    series = {"periods": ["2025-02", "2025-03"], "values": [1.0, 5.0], "baseline": [1.0, 1.5]}
    found = evidence_series(_item({"shift_start": "2025-02-01"}, {"series": series}))
    assert found is not None
    assert (found.detector, found.detected, found.baseline) == ("d1", 1, (1.0, 1.5))


@pytest.mark.parametrize(
    "evidence",
    [
        {},
        {"recent": 30.0, "baseline": 100.0},  # numbers, not a series
        {"series": [1.0, 2.0, 9.0], "baseline": 2.0},  # values without periods
        {"periods": PERIODS, "values": [1.0, 2.0]},  # lengths differ
        {"periods": PERIODS, "values": [None, None, None]},  # nothing to draw
        {"periods": PERIODS, "values": [1.0, "x", 3.0]},
    ],
)
def test_evidence_without_a_usable_series_is_not_plottable(evidence: dict[str, Any]) -> None:
    assert evidence_series(_item(evidence)) is None


def test_centroids_are_unique_plausible_and_cover_the_main_partners() -> None:
    known = centroids()
    assert len(known) >= 195
    assert all(len(code) == 2 and code.isupper() for code in known)
    for code in ("CN", "US", "IN", "JP", "KR", "RU", "ZA", "BR", "TR", "GB", "NO", "CH", "SA"):
        assert code in known
    # Hand checks: hemisphere and rough position of a few countries.
    assert 20 < known["CN"].lat < 50 and 75 < known["CN"].lon < 135
    assert known["AU"].lat < 0 < known["AU"].lon
    assert known["BR"].lat < 0 and known["BR"].lon < 0
    assert known["NZ"].lon > 165 and known["US"].lon < -60


def test_origins_count_alerts_and_keep_the_worst_severity() -> None:
    items = [
        _item(partner="CN", severity="amber"),
        _item(partner="cn", severity="red"),
        _item(partner="WORLD", severity="red"),
    ]
    mapped, unmapped = origins(items)
    assert [(o.iso2, o.alerts, o.severity) for o in mapped] == [("CN", 2, "red")]
    assert unmapped == ["WORLD"]
    assert bubble_area(2) == 2 * bubble_area(1)
