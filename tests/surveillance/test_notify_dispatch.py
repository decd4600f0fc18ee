"""Dispatch on SQLite and PostgreSQL: who gets which alert, once, and the delivery log."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import func, select

from critchem.notify import Delivery, Subscription, add, notify, remove
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.base import Event
from tests.surveillance.notify_helpers import Received, store_alerts, webhook_receiver


def _sent(requests: list[Received]) -> list[tuple[str, int]]:
    """(path, alert id) of every request received."""
    return sorted((r.path, json.loads(r.body)["alert"]["id"]) for r in requests)


def test_each_alert_goes_once_to_each_matching_subscription(
    alert_store: AlertStore, alert_make_event: Callable[..., Event]
) -> None:
    ids = store_alerts(alert_store, alert_make_event)
    with webhook_receiver() as receiver:

        def hook(name: str, **filters: str) -> Subscription:
            target = f"{receiver.url}/{name}"
            return add(
                alert_store, name=name, channel="webhook", target=target, secret="s", **filters
            )

        everything = hook("all", min_severity="info")
        hook("red", min_severity="red")
        hook("2811", product_prefix="2811")
        hook("eth", molecule_id="ethylene")
        idle = hook("idle")
        with alert_store.session() as session, session.begin():
            session.get_one(Subscription, idle.id).active = False

        first = notify(alert_store, base_delay=0.01)
        assert {d.status for d in first} == {"delivered"}
        assert _sent(receiver.requests) == sorted(
            [
                ("/hook/all", ids["red"]),
                ("/hook/all", ids["amber"]),
                ("/hook/all", ids["molecule"]),
                ("/hook/red", ids["red"]),
                ("/hook/2811", ids["amber"]),
                ("/hook/eth", ids["molecule"]),
            ]
        )

        # idempotent: nothing new is sent the second time
        assert notify(alert_store, base_delay=0.01) == []
        assert len(receiver.requests) == 6

        # a new subscription gets the existing alerts, the others nothing again
        hook("late", min_severity="red")
        [late] = notify(alert_store, base_delay=0.01)
        assert late.alert_id == ids["red"]
        assert len(receiver.requests) == 7

        # explicit ids; closed alerts are skipped only when no ids are given
        alert_store.close(ids["amber"], "alice", "known")
        assert notify(alert_store, base_delay=0.01) == []
        assert notify(alert_store, [ids["amber"]], base_delay=0.01) == []  # already delivered

    with alert_store.session() as session:
        count = session.scalar(select(func.count()).select_from(Delivery))
        assert count == 7
    remove(alert_store, everything.id)
    with alert_store.session() as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 4
