"""The alert state machine, its audit trail, and listing with filters and pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from critchem.core.errors import AlertNotFoundError, AlertStateError
from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event

Make = Callable[..., Event]


@pytest.fixture
def alert_one(alert_store: AlertStore, alert_make_event: Make) -> int:
    alert_store.upsert(fuse([alert_make_event("volume", "amber")]))
    (alert,) = alert_store.list()
    return alert.id


def test_new_acknowledged_closed_is_recorded(alert_store: AlertStore, alert_one: int) -> None:
    acked = alert_store.acknowledge(alert_one, "alice", "looking into it")
    assert (acked.state, acked.acknowledged_by) == ("acknowledged", "alice")
    assert acked.acknowledged_at is not None
    closed = alert_store.close(alert_one, "bob", "confirmed with the importer")
    assert (closed.state, closed.closed_by, closed.close_reason) == (
        "closed",
        "bob",
        "confirmed with the importer",
    )
    history = [
        (t.from_state, t.to_state, t.by, t.note) for t in alert_store.get(alert_one).transitions
    ]
    assert history == [
        (None, "new", "system", "raised by volume_test"),
        ("new", "acknowledged", "alice", "looking into it"),
        ("acknowledged", "closed", "bob", "confirmed with the importer"),
    ]
    times = [t.at for t in alert_store.get(alert_one).transitions]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)


def test_new_can_be_closed_directly(alert_store: AlertStore, alert_one: int) -> None:
    assert alert_store.close(alert_one, "bob", "false positive").state == "closed"


@pytest.mark.parametrize(
    ("steps", "action", "message"),
    [
        (["ack"], "ack", "is already acknowledged (by alice); cannot acknowledge it again"),
        (["close"], "ack", "is closed: cannot acknowledge it; from closed it may move to nothing"),
        (["close"], "close", "is already closed (by alice); cannot close it again"),
        (["ack", "close"], "close", "is already closed"),
    ],
)
def test_illegal_moves_raise_with_a_clear_message(
    alert_store: AlertStore, alert_one: int, steps: list[str], action: str, message: str
) -> None:
    def do(step: str) -> None:
        if step == "ack":
            alert_store.acknowledge(alert_one, "alice")
        else:
            alert_store.close(alert_one, "alice", "done")

    for step in steps:
        do(step)
    before = len(alert_store.get(alert_one).transitions)
    with pytest.raises(AlertStateError, match=re.escape(f"alert {alert_one} {message}")):
        do(action)
    assert len(alert_store.get(alert_one).transitions) == before  # nothing recorded


def test_who_and_reason_are_required(alert_store: AlertStore, alert_one: int) -> None:
    with pytest.raises(AlertStateError, match="say who"):
        alert_store.acknowledge(alert_one, "  ")
    with pytest.raises(AlertStateError, match="closing needs a reason"):
        alert_store.close(alert_one, "bob", "")
    assert alert_store.get(alert_one).state == "new"


def test_unknown_alert(alert_store: AlertStore) -> None:
    with pytest.raises(AlertNotFoundError, match="no alert with id 999"):
        alert_store.get(999)
    with pytest.raises(AlertNotFoundError):
        alert_store.acknowledge(999, "alice")


def test_filters_and_pagination(alert_store: AlertStore, alert_make_event: Make) -> None:
    events = [
        alert_make_event("volume", "red", period=date(2024, month, 1), partner=partner)
        for month in (1, 2, 3)
        for partner in ("CN", "US")
    ]
    events.append(alert_make_event("price", "amber", period=date(2024, 3, 1)))  # CN March: red
    events.append(alert_make_event("price", "info", molecule_id="ammonia", product="28141000"))
    assert alert_store.upsert(fuse(events)) == (7, 0)
    assert alert_store.count() == 7
    assert len(alert_store.list(severity="red")) == 1
    assert len(alert_store.list(severity="amber")) == 5
    assert [a.molecule_id for a in alert_store.list(molecule="ammonia")] == ["ammonia"]
    assert len(alert_store.list(product="29012100")) == 6
    assert {a.last_seen_period for a in alert_store.list(since=date(2024, 2, 1))} == {
        date(2024, 2, 1),
        date(2024, 3, 1),
    }
    first = alert_store.list(limit=3)
    second = alert_store.list(limit=3, offset=3)
    rest = alert_store.list(limit=3, offset=6)
    ids = [a.id for a in first + second + rest]
    assert len(ids) == len(set(ids)) == 7
    assert [a.last_seen_period for a in first + second + rest] == sorted(
        (a.last_seen_period for a in first + second + rest), reverse=True
    )
    march = [a for a in first if a.product == "29012100"]  # the ammonia alert is March too
    alert_store.acknowledge(march[0].id, "alice")
    alert_store.close(march[1].id, "alice", "known")
    assert [a.id for a in alert_store.list(state="acknowledged")] == [march[0].id]
    assert [a.id for a in alert_store.list(state="closed")] == [march[1].id]
    assert alert_store.count(state="new") == 5
    assert alert_store.count(state="new", product="29012100", since=date(2024, 3, 1)) == 0
    with pytest.raises(AlertStateError, match="unknown state 'open'"):
        alert_store.list(state="open")
    with pytest.raises(AlertStateError, match="unknown severity 'high'"):
        alert_store.list(severity="high")
