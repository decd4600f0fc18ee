"""Storing fused alerts: deduplication across runs, escalation, recurrence, provenance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event

MARCH = date(2024, 3, 1)
Make = Callable[..., Event]


def test_rerunning_the_same_detection_creates_no_duplicates(
    alert_store: AlertStore, alert_make_event: Make
) -> None:
    events = [
        alert_make_event("volume", "amber"),
        alert_make_event("price", "amber"),
        alert_make_event("volume", "amber", partner="US"),
    ]
    assert alert_store.upsert(fuse(events), provenance={"source": "comext_bulk"}) == (2, 0)
    assert alert_store.upsert(fuse(events), provenance={"source": "comext_bulk"}) == (0, 0)
    assert alert_store.count() == 2
    alerts = alert_store.list()
    assert sorted(len(alert_store.get(a.id).events) for a in alerts) == [1, 2]


def test_duplicate_drafts_in_one_batch_merge(
    alert_store: AlertStore, alert_make_event: Make
) -> None:
    drafts = fuse([alert_make_event("volume", "red")]) + fuse([alert_make_event("price", "red")])
    assert alert_store.upsert(drafts) == (1, 1)
    (alert,) = alert_store.list()
    assert alert.severity == "red"
    assert alert.families == ["price", "volume"]


def test_second_family_escalates_amber_to_red(
    alert_store: AlertStore, alert_make_event: Make
) -> None:
    assert alert_store.upsert(fuse([alert_make_event("volume", "red")])) == (1, 0)
    (alert,) = alert_store.list()
    assert alert.severity == "amber"  # a single family caps at amber
    assert alert_store.upsert(fuse([alert_make_event("price", "amber")])) == (0, 1)
    escalated = alert_store.get(alert.id)
    assert escalated.severity == "red"
    assert escalated.families == ["price", "volume"]
    assert (
        escalated.title == "EU27 trade of CN 29012100 with China: price test, volume test, 2024-03"
    )
    assert [e.family for e in escalated.events] == ["volume", "price"]
    assert len(escalated.evidence) == 2


def test_severity_is_never_silently_lowered(
    alert_store: AlertStore, alert_make_event: Make
) -> None:
    alert_store.upsert(fuse([alert_make_event("volume", "red"), alert_make_event("price", "red")]))
    alert_store.upsert(fuse([alert_make_event("policy", "info")]))
    (alert,) = alert_store.list()
    assert alert.severity == "red"
    assert alert.families == ["policy", "price", "volume"]


def test_closed_alert_that_recurs_is_reopened_with_a_transition(
    alert_store: AlertStore, alert_make_event: Make
) -> None:
    alert_store.upsert(fuse([alert_make_event("volume", "amber")]))
    (alert,) = alert_store.list()
    alert_store.acknowledge(alert.id, "alice")
    alert_store.close(alert.id, "alice", "seasonal dip")
    # The same data again does not reopen it ...
    assert alert_store.upsert(fuse([alert_make_event("volume", "amber")])) == (0, 0)
    assert alert_store.get(alert.id).state == "closed"
    # ... a new event in the same window does.
    assert alert_store.upsert(fuse([alert_make_event("price", "red")])) == (0, 1)
    reopened = alert_store.get(alert.id)
    assert reopened.state == "new"
    assert reopened.severity == "red"
    assert (reopened.closed_by, reopened.close_reason, reopened.acknowledged_by) == (
        None,
        None,
        None,
    )
    last = reopened.transitions[-1]
    assert (last.from_state, last.to_state, last.by) == ("closed", "new", "system")
    assert last.note is not None
    assert "reopened" in last.note and "price_test" in last.note and "seasonal dip" in last.note


def test_acknowledged_alert_stays_acknowledged_when_escalated(
    alert_store: AlertStore, alert_make_event: Make
) -> None:
    alert_store.upsert(fuse([alert_make_event("volume", "red")]))
    (alert,) = alert_store.list()
    alert_store.acknowledge(alert.id, "alice")
    alert_store.upsert(fuse([alert_make_event("concentration", "amber")]))
    stored = alert_store.get(alert.id)
    assert (stored.state, stored.severity) == ("acknowledged", "red")


def test_provenance_evidence_and_timestamps_are_kept(
    alert_store: AlertStore, alert_make_event: Make
) -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    provenance = {"source": "comext_bulk", "load_ids": ["l1"], "file_hashes": ["ab12"]}
    alert_store.upsert(
        fuse([alert_make_event("volume", "amber", molecule_id="ethylene")]),
        provenance=provenance,
        now=now,
    )
    (alert,) = alert_store.list(molecule="ethylene")
    stored = alert_store.get(alert.id)
    assert stored.provenance["source"] == "comext_bulk"
    assert stored.provenance["file_hashes"] == ["ab12"]
    assert stored.provenance["code_version"]
    assert stored.created_at == now and stored.created_at.tzinfo is not None
    (event,) = stored.events
    assert event.evidence == {"series": [1.0, 2.0, 9.0], "baseline": 2.0, "statistic": 4.2}
    assert event.provenance["load_ids"] == ["l1"]
    assert stored.evidence[0]["detector"] == "volume_test"
    assert stored.evidence[0]["evidence"]["baseline"] == 2.0
    assert (stored.molecule_id, stored.product, stored.reporter, stored.partner) == (
        "ethylene",
        "29012100",
        "EU27",
        "CN",
    )
    first = stored.transitions[0]
    assert (first.from_state, first.to_state, first.by) == (None, "new", "system")
