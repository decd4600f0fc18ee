"""The PACT host's rules beside the conformance cases: HTTPS only in production, trusted
proxies, tokens that are PACT's alone, hashed secrets, filters and event validation."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import select

from critchem.api import create_app
from critchem.api.tls import TlsOptions
from critchem.carbon.importer import read_footprints
from critchem.carbon.pact.events import answer_url, parse_event
from critchem.carbon.pact.filters import FootprintFilter, validity_period
from critchem.carbon.pact.models import PactClient
from critchem.core.errors import PactError
from critchem.core.settings import Settings
from tests.api.conftest import Api, free_port
from tests.carbon.pact_support import FOOTPRINTS

KEY = secrets.token_urlsafe(48)


def _app(home: Path, environment: str) -> FastAPI:
    app = create_app(Settings(home=home, environment=environment, secret_key=KEY))  # type: ignore[arg-type]
    app.state.pact_host.publish(read_footprints(FOOTPRINTS).footprints)
    return app


@pytest.fixture
def production(tmp_path: Path) -> Iterator[FastAPI]:
    app = _app(tmp_path, "production")
    try:
        yield app
    finally:
        app.state.alert_store.dispose()


def _token(app: FastAPI) -> tuple[str, str, str]:
    client = app.state.pact_host.add_client("recipient")
    token, _ = app.state.pact_host.issue_token(client.client_id, client.client_secret)
    return client.client_id, client.client_secret, token


def test_production_refuses_plain_http(production: FastAPI) -> None:
    """No TLS, no proxy: ListFootprints is 403 AccessDenied without data, no token is given."""
    client_id, secret, token = _token(production)
    api = Api(production)
    listed = api.get("/pact/3/footprints", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 403
    assert listed.json() == {
        "code": "AccessDenied",
        "message": "PACT actions are served over HTTPS only",
    }
    refused = api.post(
        "/pact/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_request"
    assert "access_token" not in refused.json()


def test_development_serves_plain_http(tmp_path: Path) -> None:
    app = _app(tmp_path, "development")
    try:
        client_id, secret, _ = _token(app)
        api = Api(app)
        answer = api.post(
            "/pact/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        assert answer.status_code == 200
        token = answer.json()["access_token"]
        listed = api.get("/pact/3/footprints", headers={"Authorization": f"Bearer {token}"})
        assert len(listed.json()["data"]) == 3
    finally:
        app.state.alert_store.dispose()


def _serve(app: FastAPI, tls: TlsOptions) -> tuple[uvicorn.Server, str]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **tls.uvicorn())
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(("trusted", "status"), [(None, 403), ("127.0.0.1", 200)])
def test_forwarded_proto_is_honoured_only_from_a_trusted_proxy(
    production: FastAPI, trusted: str | None, status: int
) -> None:
    """``X-Forwarded-Proto: https`` from 127.0.0.1 counts only with --forwarded-allow-ips."""
    _, _, token = _token(production)
    server, base = _serve(production, TlsOptions(forwarded_allow_ips=trusted))
    try:
        headers = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"}
        answer = httpx.get(f"{base}/pact/3/footprints", headers=headers, timeout=10)
        assert answer.status_code == status
    finally:
        server.should_exit = True


def test_secret_is_stored_hashed_and_tokens_are_pact_only(production: FastAPI) -> None:
    client_id, secret, token = _token(production)
    with production.state.alert_store.session() as session:
        row = session.scalar(select(PactClient).where(PactClient.client_id == client_id))
        assert row is not None
        assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest() != secret
    # a PACT token opens no user route, and a user-style token (no audience) no PACT route
    assert (
        Api(production)
        .get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        .status_code
        == 401
    )
    forged = jwt.encode(
        {"sub": client_id, "exp": datetime.now(UTC) + timedelta(minutes=5)}, KEY, algorithm="HS256"
    )
    with pytest.raises(PactError) as refused:
        production.state.pact_host.client_of(forged)
    assert (refused.value.status, refused.value.code) == (401, "BadRequest")


def test_expired_token_is_token_expired(production: FastAPI) -> None:
    client_id, _, _ = _token(production)
    claims = {"sub": client_id, "aud": "pact", "exp": datetime.now(UTC) - timedelta(seconds=5)}
    with pytest.raises(PactError) as refused:
        production.state.pact_host.client_of(jwt.encode(claims, KEY, algorithm="HS256"))
    assert (refused.value.status, refused.value.code) == (401, "TokenExpired")


def test_validity_period_defaults_to_three_years_after_the_reference_period() -> None:
    """Hand-computed: referencePeriodEnd 2025-01-01 -> valid 2025-01-01 to 2028-01-01."""
    document = {"pcf": {"referencePeriodEnd": "2025-01-01T00:00:00Z"}}
    start, end = validity_period(document)
    assert (start, end) == (datetime(2025, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    leap = validity_period({"pcf": {"referencePeriodEnd": "2024-02-29T00:00:00Z"}})
    assert leap[1] == datetime(2027, 2, 28, tzinfo=UTC)


def test_filter_is_or_within_and_between_criteria() -> None:
    document = {
        "productIds": ["urn:a:1"],
        "companyIds": ["urn:c:1"],
        "status": "Active",
        "pcf": {
            "geographyRegionOrSubregion": "Western Europe",
            "referencePeriodEnd": "2025-01-01T00:00:00Z",
        },
    }
    assert FootprintFilter.build(product_ids=["urn:x", "URN:A:1"]).matches(document)
    assert FootprintFilter.build(geographies=["western europe"]).matches(document)
    assert not FootprintFilter.build(product_ids=["urn:a:1"], company_ids=["urn:c:2"]).matches(
        document
    )
    assert FootprintFilter.build(valid_on="2027-12-31T00:00:00Z").matches(document)
    assert not FootprintFilter.build(valid_before="2028-01-01T00:00:00Z").matches(document)
    assert FootprintFilter.build(valid_before="2028-01-01T00:00:01Z").matches(document)
    with pytest.raises(PactError, match="validAfter"):
        FootprintFilter.build(valid_after="soon")


def test_events_are_validated_and_answered_at_their_source() -> None:
    assert answer_url("//api.example.com/3/events") == "https://api.example.com/3/events"
    assert answer_url("https://h.example/pact/") == "https://h.example/pact/3/events"
    with pytest.raises(PactError, match="source"):
        answer_url("mailto:someone@example.com")
    with pytest.raises(PactError, match="specversion"):
        parse_event({"specversion": "0.3", "id": "1", "source": "//x", "time": "2025-01-01T00:00:00Z",
                     "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3", "data": {}})  # fmt: skip
    with pytest.raises(PactError, match=r"data\.requestEventId"):
        parse_event(
            {"specversion": "1.0", "id": "1", "source": "//x", "time": "2025-01-01T00:00:00Z",
             "type": "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
             "data": {"error": {"code": "NotFound", "message": "none"}}}
        )  # fmt: skip
