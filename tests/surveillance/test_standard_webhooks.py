"""Standard Webhooks headers on real deliveries: verified, replays refused; 429 and Retry-After."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from critchem.notify import add, notify
from critchem.notify.standard_webhooks import (
    ID_HEADER,
    TIMESTAMP_HEADER,
    WebhookVerificationError,
    verify,
)
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.base import Event
from tests.surveillance.notify_helpers import store_alerts, webhook_receiver

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def notify_store(tmp_path: Path, alert_make_event: Callable[..., Event]) -> Iterator[AlertStore]:
    store = AlertStore(f"sqlite:///{tmp_path / 'notify.db'}")
    store_alerts(store, alert_make_event)
    add(store, name="hook", channel="webhook", target="http://x", secret=SECRET, min_severity="red")
    try:
        yield store
    finally:
        store.dispose()


def _point(store: AlertStore, url: str) -> None:
    from critchem.notify.models import Subscription

    with store.session() as session:
        for sub in session.query(Subscription):
            sub.target = url
        session.commit()


def test_delivery_verifies_and_its_replay_is_refused(notify_store: AlertStore) -> None:
    with webhook_receiver() as receiver:
        _point(notify_store, receiver.url)
        [delivery] = notify(notify_store, base_delay=0.01)
    [request] = receiver.requests
    seen: set[str] = set()
    msg_id = verify(SECRET, request.headers, request.body, seen=seen)
    assert msg_id == f"critchem-delivery-{delivery.id}"
    with pytest.raises(WebhookVerificationError, match="replay"):
        verify(SECRET, request.headers, request.body, seen=seen)
    stamp = int(request.headers[TIMESTAMP_HEADER])
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify(SECRET, request.headers, request.body, now=stamp + 301)
    with pytest.raises(WebhookVerificationError, match="does not match"):
        verify(SECRET, request.headers, request.body + b" ")
    with pytest.raises(WebhookVerificationError, match="does not match"):
        verify("whsec_" + "QUJD" * 8, request.headers, request.body)
    headers = {k: v for k, v in request.headers.items() if k.lower() != ID_HEADER}
    with pytest.raises(WebhookVerificationError, match="missing"):
        verify(SECRET, headers, request.body)


def test_429_is_retried_after_the_retry_after_asked(notify_store: AlertStore) -> None:
    sleeps: list[float] = []
    with webhook_receiver(fail_first=1, fail_status=429, retry_after="3") as receiver:
        _point(notify_store, receiver.url)
        [delivery] = notify(notify_store, base_delay=0.01, sleep=sleeps.append)
    assert len(receiver.requests) == 2
    assert sleeps == [3.0]  # longer than the 0.01 s backoff
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    first, second = receiver.requests
    assert first.headers[ID_HEADER] == second.headers[ID_HEADER]  # the same message, retried


def test_a_plain_4xx_is_not_retried(notify_store: AlertStore) -> None:
    with webhook_receiver(fail_first=5, fail_status=410) as receiver:
        _point(notify_store, receiver.url)
        [delivery] = notify(notify_store, base_delay=0.01, sleep=lambda s: None)
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.http_status) == ("failed", 410)
