"""Scoped, expiring API keys over HTTP: each refusal has its test.

The scope table is in ``critchem.accounts.scopes``; a key is shown once, stored as its
SHA-256, expires after at most 365 days and can be revoked by its user or the secretariat.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from critchem.accounts.models import ApiKey
from critchem.accounts.service import key_digest
from critchem.core.errors import AccountError
from critchem.surveillance.alerts import AlertStore
from tests.api.conftest import Api, add_user, sign_in

V1 = "/api/v1"
KEYS = f"{V1}/keys"


def _key(api: Api, headers: dict[str, str], **body: object) -> dict[str, object]:
    response = api.post(KEYS, json={"name": "script", **body}, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


def _as(key: object) -> dict[str, str]:
    return {"X-API-Key": str(key)}


def _first_alert(api: Api) -> str:
    return f"{V1}/alerts/{api.get(f'{V1}/alerts').json()['items'][0]['id']}"


def test_a_key_is_shown_once_and_stored_as_its_hash(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    headers = sign_in(api, "mia")
    created = _key(api, headers, scopes=["read"], expires_days=30)
    key = str(created["key"])
    assert key.startswith(f"ck_{created['prefix']}_")
    assert created["scopes"] == ["read"]
    expires = datetime.fromisoformat(str(created["expires_at"]))
    assert timedelta(days=29, hours=23) < expires - datetime.now(UTC) <= timedelta(days=30)
    listed = api.get(KEYS, headers=headers)
    assert listed.status_code == 200 and key not in listed.text
    assert "key" not in listed.json()[0]
    with app.state.alert_store.session() as session:
        row = session.scalars(select(ApiKey)).one()
    assert row.key_sha256 == key_digest(key) and key not in (row.prefix, row.key_sha256)
    me = api.get(f"{V1}/auth/me", headers=_as(key)).json()
    assert (me["username"], me["via"]) == ("mia", "api-key")
    (entry,) = app.state.accounts.list_audit(action="key.create")[0]
    assert entry.actor == "mia" and key not in str(entry.detail)


def test_a_read_key_cannot_write(api: Api, app: FastAPI, alerts_db: AlertStore) -> None:
    add_user(app, "ana", "analyst")
    key = _key(api, sign_in(api, "ana"), scopes=["read"])["key"]
    url = _first_alert(api)
    assert api.get(url, headers=_as(key)).status_code == 200
    refused = api.post(f"{url}/ack", json={}, headers=_as(key))
    assert refused.status_code == 403
    assert "needs the 'write:alerts' scope" in refused.json()["detail"]
    # Computing POST routes change nothing: a read key may use them.
    compare = api.post(f"{V1}/assessments/compare", json={"a": "x", "b": "y"}, headers=_as(key))
    assert compare.status_code != 403


def test_a_write_key_cannot_write_elsewhere(api: Api, app: FastAPI, alerts_db: AlertStore) -> None:
    add_user(app, "ana", "analyst")
    key = _key(api, sign_in(api, "ana"), scopes=["write:projects"])["key"]
    url = _first_alert(api)
    refused = api.post(f"{url}/ack", json={}, headers=_as(key))
    assert refused.status_code == 403 and "'write:alerts'" in refused.json()["detail"]
    # Nor read where the route looks at who asks: reading is a scope of its own.
    refused = api.get(f"{V1}/auth/me", headers=_as(key))
    assert refused.status_code == 403 and "'read'" in refused.json()["detail"]


def test_admin_routes_need_the_admin_scope(api: Api, app: FastAPI) -> None:
    add_user(app, "root", "admin")
    admin = sign_in(api, "root")
    reader = _key(api, admin, scopes=["read"])["key"]
    refused = api.get(f"{V1}/users", headers=_as(reader))
    assert refused.status_code == 403 and "'admin' scope" in refused.json()["detail"]
    # A key cannot make keys unless it has the admin scope.
    made = api.post(KEYS, json={"name": "x"}, headers=_as(reader))
    assert made.status_code == 403
    full = _key(api, admin, scopes=["admin"])["key"]
    assert api.get(f"{V1}/users", headers=_as(full)).status_code == 200


def test_a_scope_above_the_role_is_refused(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    headers = sign_in(api, "mia")
    for scope, role in (("admin", "secretariat"), ("write:alerts", "analyst")):
        refused = api.post(KEYS, json={"name": "x", "scopes": [scope]}, headers=headers)
        assert refused.status_code == 400
        assert f"needs the {role} role" in refused.json()["detail"]


def test_an_unknown_scope_is_refused(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    refused = api.post(KEYS, json={"name": "x", "scopes": ["write"]}, headers=sign_in(api, "mia"))
    assert refused.status_code == 422 and "scopes" in refused.json()["detail"]
    with pytest.raises(AccountError, match="unknown scope 'write'"):
        app.state.accounts.create_key("mia", "x", scopes=["write"])


@pytest.mark.parametrize("days", [0, 366])
def test_an_expiry_out_of_range_is_refused(api: Api, app: FastAPI, days: int) -> None:
    add_user(app, "mia", "member")
    body = {"name": "x", "expires_days": days}
    assert api.post(KEYS, json=body, headers=sign_in(api, "mia")).status_code == 422


def test_an_expired_key_is_refused(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    created = app.state.accounts.create_key(
        "mia", "old", days=1, now=datetime.now(UTC) - timedelta(days=2)
    )
    refused = api.get(f"{V1}/auth/me", headers=_as(created.key))
    assert refused.status_code == 401
    assert "expired at" in refused.json()["detail"]


def test_a_revoked_key_is_refused(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    headers = sign_in(api, "mia")
    created = _key(api, headers)
    revoked = api.request("DELETE", f"{KEYS}/{created['id']}", headers=headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    refused = api.get(f"{V1}/auth/me", headers=_as(created["key"]))
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_another_users_key_cannot_be_revoked_or_listed(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    add_user(app, "bob", "member")
    add_user(app, "sue", "secretariat")
    created = _key(api, sign_in(api, "mia"))
    bob = sign_in(api, "bob")
    assert api.request("DELETE", f"{KEYS}/{created['id']}", headers=bob).status_code == 403
    assert api.get(KEYS, params={"user": "mia"}, headers=bob).status_code == 403
    assert api.get(f"{V1}/auth/me", headers=_as(created["key"])).status_code == 200
    sue = sign_in(api, "sue")
    assert [k["id"] for k in api.get(KEYS, params={"user": "mia"}, headers=sue).json()] == [
        created["id"]
    ]
    assert api.request("DELETE", f"{KEYS}/{created['id']}", headers=sue).status_code == 200


def test_a_key_of_a_disabled_user_is_refused(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    created = _key(api, sign_in(api, "mia"))
    app.state.accounts.disable_user("mia")
    refused = api.get(f"{V1}/auth/me", headers=_as(created["key"]))
    assert refused.status_code == 401 and "disabled" in refused.json()["detail"]


def test_a_tampered_or_malformed_key_is_refused(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    key = str(_key(api, sign_in(api, "mia"))["key"])
    for bad in (key[:-2] + "xx", "ck_nothing", "Bearer " + key):
        assert api.get(f"{V1}/auth/me", headers=_as(bad)).status_code == 401


def test_a_key_is_still_bounded_by_its_role(api: Api, app: FastAPI, alerts_db: AlertStore) -> None:
    add_user(app, "ana", "analyst")
    key = _key(api, sign_in(api, "ana"), scopes=["read", "write:alerts"])["key"]
    url = _first_alert(api)
    assert api.post(f"{url}/ack", json={}, headers=_as(key)).status_code == 200
    app.state.accounts.set_role("ana", "member")  # the role drops, the key's scope does not
    refused = api.post(f"{url}/close", json={"reason": "x"}, headers=_as(key))
    assert refused.status_code == 403 and "role" in refused.json()["detail"]
