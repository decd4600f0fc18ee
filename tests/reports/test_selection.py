"""Which alerts a weekly bulletin lists: new, escalated, untouched, outside the week."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from critchem.reports import EventRecord, classify, parse_week, select_alerts, severity_at
from critchem.surveillance.alerts import AlertStore
from tests.reports.factory import at, build_history


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AlertStore]:
    alerts = AlertStore(f"sqlite:///{tmp_path / 'alerts.db'}")
    build_history(alerts)
    try:
        yield alerts
    finally:
        alerts.dispose()


def test_week_48_lists_new_and_escalated_red_first(store: AlertStore) -> None:
    items = select_alerts(store, parse_week("2025-W48"))
    assert [(i.partner, i.change, i.severity_before, i.severity) for i in items] == [
        ("CN", "new", None, "red"),
        ("US", "escalated", "amber", "red"),
        ("EXTRA_EU", "new", None, "amber"),
    ]


def test_week_49_sees_the_later_creation_and_escalation(store: AlertStore) -> None:
    items = select_alerts(store, parse_week("2025-W49"))
    assert [(i.partner, i.change, i.severity) for i in items] == [
        ("JP", "new", "red"),
        ("KR", "escalated", "red"),
    ]


def test_info_alerts_are_listed_only_when_asked(store: AlertStore) -> None:
    items = select_alerts(store, parse_week("2025-W48"), min_severity="info")
    assert [i.partner for i in items][-1] == "BR"


def test_a_quiet_week_lists_nothing(store: AlertStore) -> None:
    assert select_alerts(store, parse_week("2025-W40")) == []


def _record(family: str, severity: str, day: int) -> EventRecord:
    return EventRecord(
        detector=f"{family}_test",
        family=family,
        period=at(1).date(),
        statistic=1.0,
        threshold=1.0,
        severity=severity,
        message="",
        evidence={},
        recorded_at=at(day),
    )


def test_severity_is_recomputed_from_the_events_recorded_by_then() -> None:
    events = [_record("volume", "red", 10), _record("price", "amber", 26)]
    assert severity_at(events, at(1)) is None
    assert severity_at(events, at(20)) == "amber"  # one family: red capped at amber
    assert severity_at(events, at(29)) == "red"  # two families agree
    week = parse_week("2025-W48")
    assert classify(at(10), events, week) == ("escalated", "amber", "red")
    assert classify(at(10), events[:1], week) == (None, "amber", "amber")
    assert classify(at(26), events[1:], week) == ("new", None, "amber")
