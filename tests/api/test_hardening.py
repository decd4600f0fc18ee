"""Security headers, no-store on credentialed answers and the request-size limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI

from critchem.api import create_app
from critchem.core.settings import Settings
from tests.api.conftest import Api, add_user, sign_in

V1 = "/api/v1"


def test_every_answer_carries_the_security_headers(api: Api) -> None:
    for url in ("/health", f"{V1}/molecules", "/", "/docs"):
        response = api.get(url)
        assert response.headers["x-content-type-options"] == "nosniff", url
        assert response.headers["referrer-policy"] == "same-origin", url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], url
        assert "strict-transport-security" not in response.headers  # plain HTTP here
    page = api.get("/").headers["content-security-policy"]
    assert "script-src 'self';" in page and "unsafe-inline' ; " not in page


def test_hsts_behind_tls(app: FastAPI) -> None:
    import asyncio

    import httpx

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://test") as client:
            return await client.get("/health")

    response = asyncio.run(get())
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_credentialed_answers_are_not_stored(app: FastAPI, api: Api) -> None:
    add_user(app, "ana", "analyst")
    headers = sign_in(api, "ana")
    answer = api.get(f"{V1}/molecules", headers=headers)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert api.get(f"{V1}/molecules").headers.get("cache-control") != "no-store"


def test_a_body_over_the_limit_is_refused_before_the_route(tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path, max_request_bytes=2048))
    try:
        api = Api(app)
        big = api.post(f"{V1}/auth/token", content=b"x" * 4096)
        assert big.status_code == 413
        assert big.json()["type"] == "urn:critchem:problem:payload-too-large"

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(8):
                yield b"y" * 512

        chunked = api.post(f"{V1}/auth/token", content=chunks())
        assert chunked.status_code == 413
    finally:
        app.state.alert_store.dispose()


def test_logout_revokes_the_token_in_every_worker(app: FastAPI, api: Api) -> None:
    add_user(app, "ana", "analyst")
    headers = sign_in(api, "ana")
    assert api.get(f"{V1}/auth/me", headers=headers).status_code == 200
    assert api.post(f"{V1}/auth/logout", headers=headers).status_code == 204
    refused = api.get(f"{V1}/auth/me", headers=headers)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    # another app on the same database (another worker) refuses it too
    other = create_app(app.state.settings)
    try:
        assert Api(other).get(f"{V1}/auth/me", headers=headers).status_code == 401
    finally:
        other.state.alert_store.dispose()
    assert api.post(f"{V1}/auth/logout", headers=headers).status_code == 401
    assert api.get(f"{V1}/auth/me", headers=sign_in(api, "ana")).status_code == 200
