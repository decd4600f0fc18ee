"""Changing an alert's state on a user's behalf: the role is checked and the audit log written."""

from __future__ import annotations

from datetime import date

import pytest

from critchem.accounts import ANONYMOUS, Accounts, Principal
from critchem.core.errors import AuthenticationError, PermissionDeniedError
from critchem.services import alerts
from critchem.surveillance.alerts import AlertStore, fuse
from tests.api.conftest import make_event


def _store(url: str) -> AlertStore:
    store = AlertStore(url)
    store.upsert(fuse([make_event("volume", "amber", period=date(2024, 3, 1))]), provenance={})
    return store


def test_only_analysts_change_states_and_every_change_is_audited(
    accounts: Accounts, alert_db_url: str
) -> None:
    store = _store(alert_db_url)
    try:
        (alert,) = alerts.list_alerts(store)
        member = Principal("mia", "member", "Acme", via="token")
        with pytest.raises(AuthenticationError, match="sign in"):
            alerts.acknowledge_as(store, accounts, ANONYMOUS, alert.id)
        with pytest.raises(PermissionDeniedError, match="analyst role; mia is member"):
            alerts.close_as(store, accounts, member, alert.id, reason="noise")
        assert alerts.show_alert(store, alert.id).state == "new"
        analyst = Principal("ana", "analyst", "Commission", via="api-key", key_name="bot")
        acked = alerts.acknowledge_as(store, accounts, analyst, alert.id, note="seen", ip="::1")
        assert (acked.state, acked.acknowledged_by) == ("acknowledged", "ana")
        alerts.close_as(store, accounts, analyst, alert.id, reason="seasonal")
        entries, total = accounts.list_audit(actor="ana (key bot)")
        assert total == 2
        assert [(e.action, e.resource) for e in entries] == [
            ("alert.close", f"alerts/{alert.id}"),
            ("alert.ack", f"alerts/{alert.id}"),
        ]
        assert entries[1].detail == {"note": "seen"} and entries[1].ip == "::1"
    finally:
        store.dispose()
