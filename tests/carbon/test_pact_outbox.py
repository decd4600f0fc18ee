"""Answers to PACT requests: the callback allow-list, the token at the requester's host,
and the durable outbox retried with exponential backoff for up to 72 hours.

The requester's host is a real second HTTPS server (``pact_support.start_recipient``) with
OpenID discovery, ``/auth/token`` and an Action Events endpoint that refuses the next N
events with 503. The clock is injected, so three days of retries take no time.

Hand-computed schedule (first wait 60 s, doubling, at most 6 h, nothing after 72 h), in
minutes after the answer was written: attempts at 0, 1, 3, 7, 15, 31, 63, 127, 255, 511
(waits 1 ... 256 min), then every 360 min: 871, 1231, ..., 4111, and the last at 4320
(72 h, brought forward from 4471): 21 attempts.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from critchem.api import create_app
from critchem.carbon.importer import read_footprints
from critchem.carbon.pact.filters import FootprintFilter
from critchem.carbon.pact.host import PactHost
from critchem.carbon.pact.models import PactCallbackHost
from critchem.carbon.pact.outbox import backoff, schedule
from critchem.core.database import Database
from critchem.core.errors import PactError
from critchem.core.settings import Settings
from tests.carbon.pact_support import (
    CLI,
    FOOTPRINTS,
    Certificates,
    Recipient,
    host_env,
    start_recipient,
    trust,
)

KEY = secrets.token_urlsafe(48)
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OWN = "https://owner.example/pact/3/events"
SCHEDULE_MINUTES = [0, 1, 3, 7, 15, 31, 63, 127, 255, 511, *range(871, 4112, 360), 4320]


@dataclass
class Clock:
    """A settable clock."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Setup:
    host: PactHost
    clock: Clock
    recipient: Recipient
    client_id: str
    url: str


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates.make(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def served(certificates: Certificates) -> Iterator[Recipient]:
    recipient, server = start_recipient(certificates)
    try:
        yield recipient
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def setup(tmp_path: Path, certificates: Certificates, served: Recipient) -> Iterator[Setup]:
    served.fail_next = 0
    served.refused.clear()
    served.received.clear()
    database = Database(f"sqlite:///{tmp_path / 'pact.db'}")
    clock = Clock()
    host = PactHost(database.session, secret=KEY, clock=clock, verify=trust(certificates.ca_file))
    host.publish(read_footprints(FOOTPRINTS).footprints)
    client = host.add_client("requester")
    try:
        yield Setup(host, clock, served, client.client_id, database.url)
    finally:
        database.dispose()


def _allow(s: Setup, *, credentials: bool = True) -> None:
    s.host.allow_callback(
        "requester",
        s.recipient.url.removeprefix("https://"),
        remote_client_id=s.recipient.client_id if credentials else None,
        remote_secret=s.recipient.client_secret if credentials else None,
    )


def _answer(s: Setup) -> str:
    request = {"id": "req-1", "source": f"{s.recipient.url}/3/events"}
    return s.host.answer(
        request, FootprintFilter.build(geographies=["FR"]), own_source=OWN, client_id=s.client_id
    )


def test_backoff_doubles_from_one_minute_up_to_six_hours() -> None:
    assert [backoff(n) for n in (1, 2, 3, 9, 10, 50)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 256, 360, 360)
    ]
    assert schedule(T0, 1, T0 + timedelta(hours=71, minutes=59)) == T0 + timedelta(hours=72)
    assert schedule(T0, 21, T0 + timedelta(hours=72)) is None


def test_answer_fails_three_times_then_is_delivered_with_a_token(setup: Setup) -> None:
    """503 three times, then 200: attempts at 0, 1, 3 and 7 minutes; nothing before due."""
    s = setup
    _allow(s)
    s.recipient.fail_next = 3
    assert _answer(s).endswith("HTTP 503 (pending)")
    for minute in (1, 3, 7):
        s.clock.now = T0 + timedelta(minutes=minute, seconds=-1)
        assert s.host.outbox.deliver_due().attempts == []  # not due yet
        s.clock.now = T0 + timedelta(minutes=minute)
        report = s.host.outbox.deliver_due()
        assert len(report.attempts) == 1
    assert report.delivered == 1
    (entry,) = s.host.outbox.entries()
    assert entry["status"] == "delivered" and entry["attempts"] == 4
    assert s.recipient.refused == [503, 503, 503]
    ((path, headers, event),) = s.recipient.received
    assert path == "/3/events" and event["data"]["requestEventId"] == "req-1"
    assert headers["Authorization"].removeprefix("Bearer ") in s.recipient.tokens
    assert s.host.outbox.deliver_due().attempts == []  # delivered once only


def test_answer_never_taken_is_retried_for_72_hours_then_expires(setup: Setup) -> None:
    s = setup
    _allow(s)
    s.recipient.fail_next = 10**6
    _answer(s)
    made = [0]
    while (entry := s.host.outbox.entries()[0])["status"] == "pending":
        s.clock.now = datetime.fromisoformat(entry["next_attempt"])
        s.host.outbox.deliver_due()
        made.append(int((s.clock.now - T0).total_seconds() // 60))
    assert made == SCHEDULE_MINUTES and len(made) == 21
    assert entry["status"] == "expired" and entry["attempts"] == 21
    s.clock.now = T0 + timedelta(days=30)
    assert s.host.outbox.deliver_due().attempts == []


def test_without_credentials_the_answer_waits_until_they_are_set(setup: Setup) -> None:
    """No credentials for the host: the attempt fails, saying what to do, and is retried."""
    s = setup
    _allow(s, credentials=False)
    assert "no credentials stored" in _answer(s)
    assert s.recipient.received == []
    _allow(s)
    s.clock.now = T0 + timedelta(minutes=1)
    assert s.host.outbox.deliver_due().delivered == 1
    assert len(s.recipient.received) == 1


def test_the_remote_secret_is_stored_encrypted(setup: Setup) -> None:
    _allow(setup)
    with setup.host._session() as session:
        stored = session.scalars(select(PactCallbackHost.remote_secret)).one()
    assert stored and setup.recipient.client_secret not in stored
    found = setup.host.credentials_for(setup.client_id, f"{setup.recipient.url}/3/events")
    assert found is not None and found.client_secret == setup.recipient.client_secret
    other = PactHost(setup.host._session, secret=secrets.token_urlsafe(48))
    with pytest.raises(PactError, match="cannot be decrypted"):
        other.credentials_for(setup.client_id, f"{setup.recipient.url}/3/events")


def test_sources_are_checked_against_the_clients_allow_list(setup: Setup) -> None:
    s = setup
    _allow(s, credentials=False)
    s.host.check_source(s.client_id, f"{s.recipient.url}/3/events")
    other = s.host.add_client("other", callback_hosts=["other.example"])
    for client_id, url in (
        (s.client_id, "https://other.example/3/events"),
        (other.client_id, f"{s.recipient.url}/3/events"),
        (s.client_id, f"{s.recipient.url.replace('127.0.0.1', 'localhost')}/3/events"),
    ):
        with pytest.raises(PactError, match="not a callback host allowed") as refused:
            s.host.check_source(client_id, url)
        assert (refused.value.status, refused.value.code) == (403, "AccessDenied")
    s.host.check_source(other.client_id, "https://OTHER.example:443/pact/3/events")
    with pytest.raises(PactError, match="HOST or HOST:PORT"):
        s.host.allow_callback("other", "https://x.example/path")


def test_deliver_command_sends_what_is_due(
    setup: Setup, certificates: Certificates, tmp_path: Path
) -> None:
    """An answer that failed two hours ago is due: ``critchem pact deliver`` delivers it."""
    s = setup
    _allow(s)
    s.clock.now = datetime.now(UTC) - timedelta(hours=2)
    s.recipient.fail_next = 1
    _answer(s)
    env = {**host_env(tmp_path, certificates.ca_file), "CRITCHEM_SECRET_KEY": KEY}
    result = subprocess.run(
        [*CLI, "pact", "deliver", "--db", s.url, "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["delivered"], report["retrying"], report["expired"]) == (1, 0, 0)
    assert s.host.outbox.entries("delivered")[0]["attempts"] == 2


def test_the_server_retries_due_answers_itself(
    tmp_path: Path, certificates: Certificates, served: Recipient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request over the API: the first attempt is refused (503); the server's own loop
    sends the answer again once due, with no command run."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
    served.fail_next, served.received[:], served.refused[:] = 1, [], []
    settings = Settings(
        home=tmp_path,
        secret_key=KEY,
        pact_retry_first_seconds=0.3,
        pact_deliver_every_seconds=0.2,
    )  # type: ignore[call-arg]
    app = create_app(settings)
    host: PactHost = app.state.pact_host
    host.publish(read_footprints(FOOTPRINTS).footprints)
    client = host.add_client("requester", callback_hosts=[served.url.removeprefix("https://")])
    host.allow_callback(
        "requester",
        served.url.removeprefix("https://"),
        remote_client_id=served.client_id,
        remote_secret=served.client_secret,
    )
    token, _ = host.issue_token(client.client_id, client.client_secret)
    event = {
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "specversion": "1.0",
        "id": "req-api",
        "source": f"{served.url}/3/events",
        "time": "2026-03-02T08:00:00Z",
        "data": {"geography": ["FR"]},
    }
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/cloudevents+json"}
    with TestClient(app) as api:
        assert api.post("/pact/3/events", json=event, headers=headers).status_code == 200
        ((_, _, answer),) = served.wait_for(1, seconds=20)
    assert answer["data"]["requestEventId"] == "req-api"
    (entry,) = host.outbox.entries()
    assert (entry["status"], entry["attempts"]) == ("delivered", 2)
    assert served.refused == [503]
