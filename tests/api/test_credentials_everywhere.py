"""Credentials are verified on every API route, the open ones included.

An open route (``GET /api/v1/molecules/ethylene``) never asks who calls; a request to it that
presents a bearer token or an API key still has them checked: wrong, expired or revoked
credentials are a 401 problem with a ``WWW-Authenticate`` challenge, a key without the
``read`` scope is a 403, and a request without credentials is served as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from critchem.accounts.tokens import issue
from tests.api.conftest import Api, add_user, sign_in

V1 = "/api/v1"
OPEN = f"{V1}/molecules/ethylene"


def _refused(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"]
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


def test_anonymous_requests_to_an_open_route_still_work(api: Api) -> None:
    response = api.get(OPEN)
    assert response.status_code == 200
    assert "www-authenticate" not in response.headers
    # another scheme than Bearer is not a credential of this API: ignored, as before
    assert api.get(OPEN, headers={"Authorization": "Basic dXNlcjpwdw=="}).status_code == 200


def test_a_valid_token_on_an_open_route_is_served(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    assert api.get(OPEN, headers=sign_in(api, "mia")).status_code == 200


def test_a_forged_token_on_an_open_route_is_401(api: Api) -> None:
    forged = issue("mia", "admin", "Acme", secret="not-the-secret-" * 3, minutes=5)
    _refused(api.get(OPEN, headers={"Authorization": f"Bearer {forged}"}), 401, "token")
    _refused(api.get(OPEN, headers={"Authorization": "Bearer garbage"}), 401, "token")


def test_an_expired_token_on_an_open_route_is_401(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    old = issue(
        "mia",
        "member",
        "Acme",
        secret=app.state.settings.secret_key,
        minutes=5,
        now=datetime.now(UTC) - timedelta(hours=1),
    )
    _refused(api.get(OPEN, headers={"Authorization": f"Bearer {old}"}), 401, "expired")


def test_a_logged_out_token_on_an_open_route_is_401(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    headers = sign_in(api, "mia")
    assert api.post(f"{V1}/auth/logout", headers=headers).status_code == 204
    _refused(api.get(OPEN, headers=headers), 401, "revoked")


def test_a_token_of_a_deleted_account_is_401_not_404(api: Api, app: FastAPI) -> None:
    token = issue("ghost", "member", "Acme", secret=app.state.settings.secret_key, minutes=5)
    response = api.get(OPEN, headers={"Authorization": f"Bearer {token}"})
    _refused(response, 401, "disabled or removed")
    assert "suggestions" not in response.json() or not response.json()["suggestions"]


@pytest.mark.parametrize("key", ["garbage", "ck_nope_secret", ""])
def test_a_wrong_key_on_an_open_route_is_401(api: Api, app: FastAPI, key: str) -> None:
    response = api.get(OPEN, headers={"X-API-Key": key})
    if key:
        _refused(response, 401, "API key")
    else:  # an empty header presents nothing
        assert response.status_code == 200


def test_an_expired_key_on_an_open_route_is_401(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    created = app.state.accounts.create_key(
        "mia", "old", days=1, now=datetime.now(UTC) - timedelta(days=2)
    )
    _refused(api.get(OPEN, headers={"X-API-Key": created.key}), 401, "expired at")


def test_a_revoked_key_on_an_open_route_is_401(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    created = app.state.accounts.create_key("mia", "gone", scopes=["read"])
    assert api.get(OPEN, headers={"X-API-Key": created.key}).status_code == 200
    app.state.accounts.revoke_key(created.id)
    _refused(api.get(OPEN, headers={"X-API-Key": created.key}), 401, "revoked")


def test_a_key_without_the_read_scope_cannot_read_open_data(api: Api, app: FastAPI) -> None:
    add_user(app, "mia", "member")
    created = app.state.accounts.create_key("mia", "writer", scopes=["write:projects"])
    _refused(api.get(OPEN, headers={"X-API-Key": created.key}), 403, "needs the 'read' scope")
    # the liveness route of the API is a read like any other
    refused = api.get(f"{V1}/health", headers={"X-API-Key": created.key})
    _refused(refused, 403, "'read'")


def test_the_unprefixed_health_route_and_the_pact_routes_are_left_alone(api: Api) -> None:
    wrong = {"X-API-Key": "ck_nope_secret"}
    _refused(api.get(f"{V1}/health", headers=wrong), 401, "API key")
    assert api.get("/health", headers=wrong).status_code == 200
    # the PACT routes answer with their own errors about their own client tokens
    pact = api.get("/pact/3/footprints", headers=wrong)
    assert "API key" not in pact.text


def test_web_pages_still_read_their_cookie(api: Api) -> None:
    # an expired or forged session cookie counts as anonymous on the pages, as before
    page = api.get("/", headers={"Cookie": "critchem_session=forged"})
    assert page.status_code == 200
    assert api.get(OPEN, headers={"Cookie": "critchem_session=forged"}).status_code == 200
