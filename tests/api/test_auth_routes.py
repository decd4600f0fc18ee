"""Access control over HTTP: sign-in, tokens, API keys, roles, rate limiting and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from critchem.accounts.tokens import issue
from critchem.api import create_app
from critchem.core.errors import InsecureSettingsError
from critchem.core.settings import DEFAULT_SECRET_KEY, Settings
from critchem.surveillance.alerts import AlertStore
from tests.api.conftest import PASSWORD, Api, add_user, sign_in

V1 = "/api/v1"
TOKEN = f"{V1}/auth/token"


def _first_alert(api: Api) -> str:
    return f"{V1}/alerts/{api.get(f'{V1}/alerts').json()['items'][0]['id']}"


def test_sign_in_and_me(api: Api, app: FastAPI) -> None:
    add_user(app, "ana", "analyst", org="Acme")
    response = api.post(TOKEN, data={"username": "ana", "password": PASSWORD})
    body = response.json()
    assert (body["token_type"], body["expires_in"]) == ("bearer", 3600)
    me = api.get(f"{V1}/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["username"] == "ana"
    assert (me.json()["role"], me.json()["organisation"], me.json()["via"]) == (
        "analyst",
        "Acme",
        "token",
    )
    assert "password_hash" not in me.json()["user"]
    anonymous = api.get(f"{V1}/auth/me").json()
    assert (anonymous["username"], anonymous["role"]) == (None, "public")


def test_wrong_password_is_a_401_problem(api: Api, app: FastAPI) -> None:
    add_user(app, "ana", "analyst")
    for username in ("ana", "nobody"):
        response = api.post(TOKEN, data={"username": username, "password": "wrong password"})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["detail"] == "wrong user name or password"


def test_forged_and_expired_tokens_are_401(api: Api, app: FastAPI, settings: Settings) -> None:
    add_user(app, "ana", "analyst")
    forged = issue("ana", "admin", "Acme", secret="another key of at least 32 bytes!", minutes=5)
    expired = issue(
        "ana",
        "analyst",
        "Acme",
        secret=app.state.settings.secret_key,
        minutes=5,
        now=datetime.now(UTC) - timedelta(minutes=6),
    )
    for token in (forged, expired, "not-a-jwt"):
        response = api.get(f"{V1}/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.json()["type"] == "urn:critchem:problem:unauthorized"
    assert (
        "expired"
        in api.get(f"{V1}/auth/me", headers={"Authorization": f"Bearer {expired}"}).json()["detail"]
    )


def test_roles_guard_alert_transitions(api: Api, app: FastAPI, alerts_db: AlertStore) -> None:
    add_user(app, "mo", "member")
    add_user(app, "ana", "analyst")
    url = _first_alert(api)
    anonymous = api.post(f"{url}/ack", json={})
    assert anonymous.status_code == 401
    member = api.post(f"{url}/ack", json={}, headers=sign_in(api, "mo"))
    assert member.status_code == 403
    assert member.headers["content-type"] == "application/problem+json"
    assert member.json()["type"] == "urn:critchem:problem:forbidden"
    assert "member" in member.json()["detail"] and "analyst" in member.json()["detail"]
    analyst = api.post(f"{url}/ack", json={}, headers=sign_in(api, "ana"))
    assert analyst.status_code == 200
    assert analyst.json()["acknowledged_by"] == "ana"


def test_anonymous_reads_molecules_and_alerts(shared_api: Api) -> None:
    assert shared_api.get(f"{V1}/molecules").status_code == 200
    assert shared_api.get(f"{V1}/alerts").status_code == 200


def test_role_change_and_disabling_take_effect_at_once(
    api: Api, app: FastAPI, alerts_db: AlertStore
) -> None:
    add_user(app, "ana", "analyst")
    headers = sign_in(api, "ana")
    url = _first_alert(api)
    app.state.accounts.set_role("ana", "member")
    assert api.post(f"{url}/ack", json={}, headers=headers).status_code == 403
    app.state.accounts.disable_user("ana")
    assert api.get(f"{V1}/auth/me", headers=headers).status_code == 401
    assert api.post(TOKEN, data={"username": "ana", "password": PASSWORD}).status_code == 401


def test_api_key_authenticates_until_revoked(api: Api, app: FastAPI, alerts_db: AlertStore) -> None:
    add_user(app, "ana", "analyst")
    created = app.state.accounts.create_key(
        "ana", "nightly script", scopes=["read", "write:alerts"]
    )
    headers = {"X-API-Key": created.key}
    me = api.get(f"{V1}/auth/me", headers=headers).json()
    assert (me["username"], me["via"]) == ("ana", "api-key")
    url = _first_alert(api)
    assert api.post(f"{url}/ack", json={"note": "by script"}, headers=headers).status_code == 200
    (entry,) = app.state.accounts.list_audit(action="alert.ack")[0]
    assert entry.actor == "ana (key nightly script)"
    assert app.state.accounts.list_keys("ana")[0].last_used_at is not None
    app.state.accounts.revoke_key(created.id)
    revoked = api.get(f"{V1}/auth/me", headers=headers)
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["detail"]
    tampered = {"X-API-Key": created.key[:-2] + "xx"}
    assert api.get(f"{V1}/auth/me", headers=tampered).status_code == 401


def test_failed_sign_ins_are_rate_limited(tmp_path: Path, trade_store: Path) -> None:
    app = create_app(Settings(home=tmp_path, store_path=trade_store, auth_rate_limit_per_minute=3))
    api = Api(app)
    try:
        add_user(app, "ana", "analyst")
        wrong = {"username": "ana", "password": "wrong password"}
        assert [api.post(TOKEN, data=wrong).status_code for _ in range(3)] == [401] * 3
        limited = api.post(TOKEN, data=wrong)
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/problem+json"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        # Even the right password waits; another user name from the same address does not.
        assert api.post(TOKEN, data={"username": "ana", "password": PASSWORD}).status_code == 429
        add_user(app, "bob", "member")
        assert api.post(TOKEN, data={"username": "bob", "password": PASSWORD}).status_code == 200
    finally:
        app.state.alert_store.dispose()


def test_writes_are_audited_and_audit_needs_secretariat(
    api: Api, app: FastAPI, alerts_db: AlertStore, analyst: dict[str, str]
) -> None:
    url = _first_alert(api)
    assert api.post(f"{url}/close", json={"reason": "noise"}, headers=analyst).is_success
    assert api.get(f"{V1}/audit", headers=analyst).status_code == 403
    add_user(app, "sue", "secretariat")
    log = api.get(f"{V1}/audit", params={"action": "alert.close"}, headers=sign_in(api, "sue"))
    assert log.status_code == 200
    (entry,) = log.json()["items"]
    assert (entry["actor"], entry["resource"]) == ("ana", url.removeprefix(f"{V1}/"))
    assert entry["detail"] == {"reason": "noise"}
    assert entry["ip"] == "127.0.0.1"


def test_user_routes_are_admin_only(api: Api, app: FastAPI) -> None:
    add_user(app, "sue", "secretariat")
    add_user(app, "root", "admin")
    new_user = {"username": "mo", "password": "long enough", "role": "member", "organisation": "X"}
    assert api.post(f"{V1}/users", json=new_user, headers=sign_in(api, "sue")).status_code == 403
    admin = sign_in(api, "root")
    created = api.post(f"{V1}/users", json=new_user, headers=admin)
    assert created.status_code == 201
    assert created.json()["role"] == "member" and "password" not in created.json()
    taken = api.post(f"{V1}/users", json=new_user, headers=admin)
    assert taken.status_code == 409 and taken.json()["type"] == "urn:critchem:problem:conflict"
    assert "'mo' is already taken" in taken.json()["detail"]
    names = [u["username"] for u in api.get(f"{V1}/users", headers=admin).json()]
    assert names == ["mo", "root", "sue"]
    (entry,) = app.state.accounts.list_audit(action="user.add")[0]
    assert entry.actor == "root" and "password" not in str(entry.detail)
    assert api.post(TOKEN, data={"username": "mo", "password": "long enough"}).is_success


def test_production_refuses_the_default_secret(tmp_path: Path) -> None:
    with pytest.raises(InsecureSettingsError, match="CRITCHEM_SECRET_KEY"):
        create_app(Settings(home=tmp_path, environment="production"))
    with pytest.raises(InsecureSettingsError):
        create_app(Settings(home=tmp_path, environment="production", secret_key="short"))
    app = create_app(Settings(home=tmp_path, environment="production", secret_key="k" * 48))
    app.state.alert_store.dispose()
    # development: an empty key becomes a random one kept in the home, the same for every
    # worker; the published former default is refused there too
    first = create_app(Settings(home=tmp_path))
    second = create_app(Settings(home=tmp_path))
    key = first.state.settings.secret_key
    assert len(key) >= 32 and key == second.state.settings.secret_key
    assert key != DEFAULT_SECRET_KEY and (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    for made in (first, second):
        made.state.alert_store.dispose()
    with pytest.raises(InsecureSettingsError, match="published development default"):
        create_app(Settings(home=tmp_path, secret_key=DEFAULT_SECRET_KEY))
