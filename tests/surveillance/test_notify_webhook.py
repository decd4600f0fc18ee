"""Webhook delivery against a real local HTTP server: signature, retries, backoff, log."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from critchem.notify import add, notify
from critchem.notify.webhook import DELIVERY_HEADER, SIGNATURE_HEADER
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.base import Event
from tests.surveillance.notify_helpers import free_port, store_alerts, webhook_receiver

SECRET = "It's a Secret to Everybody"
DELAY = 0.02


@pytest.fixture
def notify_store(tmp_path: Path, alert_make_event: Callable[..., Event]) -> Iterator[AlertStore]:
    store = AlertStore(f"sqlite:///{tmp_path / 'notify.db'}")
    store_alerts(store, alert_make_event)
    try:
        yield store
    finally:
        store.dispose()


class Sleeps(list[float]):
    """Records the delays asked for, without waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _subscribe(store: AlertStore, url: str) -> int:
    return add(
        store, name="hook", channel="webhook", target=url, secret=SECRET, min_severity="red"
    ).id


def test_signed_payload_reaches_the_receiver(notify_store: AlertStore) -> None:
    with webhook_receiver() as receiver:
        _subscribe(notify_store, receiver.url)
        [delivery] = notify(notify_store, base_delay=DELAY)
    [request] = receiver.requests
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers[SIGNATURE_HEADER] == expected
    assert request.headers[DELIVERY_HEADER] == str(delivery.id)
    assert request.headers["Content-Type"] == "application/json"
    document = json.loads(request.body)
    alert = document["alert"]
    assert document["delivery_id"] == delivery.id
    assert alert["severity"] == "red"
    assert alert["families"] == ["price", "volume"]
    assert alert["product"] == "29012100"
    assert alert["first_seen_period"] == alert["last_seen_period"] == "2024-03-01"
    assert alert["title"].startswith("EU27 trade of CN 29012100 with China: ")
    assert alert["data_source"] == "real"  # stored without a synthetic source
    assert "http" not in request.body.decode()  # link-free
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None


def test_5xx_is_retried_with_exponential_backoff(notify_store: AlertStore) -> None:
    sleeps = Sleeps()
    with webhook_receiver(fail_first=2) as receiver:
        _subscribe(notify_store, receiver.url)
        [delivery] = notify(notify_store, base_delay=DELAY, sleep=sleeps)
    assert len(receiver.requests) == 3
    assert sleeps == [DELAY, 2 * DELAY]
    # every retry is the same delivery, signed the same way
    assert len({r.headers[DELIVERY_HEADER] for r in receiver.requests}) == 1
    assert len({r.headers[SIGNATURE_HEADER] for r in receiver.requests}) == 1
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("delivered", 3, 200)
    assert [(e["attempt"], e["ok"], e["http_status"]) for e in delivery.log] == [
        (1, False, 503),
        (2, False, 503),
        (3, True, 200),
    ]
    assert "HTTP 503" in delivery.log[0]["error"]
    assert delivery.last_error is None


def test_backoff_really_waits(notify_store: AlertStore) -> None:
    with webhook_receiver(fail_first=2) as receiver:
        _subscribe(notify_store, receiver.url)
        notify(notify_store, base_delay=0.05)
    gaps = [b.at - a.at for a, b in zip(receiver.requests, receiver.requests[1:], strict=False)]
    assert gaps[0] >= 0.05
    assert gaps[1] >= 0.1


def test_4xx_is_not_retried(notify_store: AlertStore) -> None:
    sleeps = Sleeps()
    with webhook_receiver(status=400) as receiver:
        _subscribe(notify_store, receiver.url)
        [delivery] = notify(notify_store, base_delay=DELAY, sleep=sleeps)
    assert len(receiver.requests) == 1
    assert sleeps == []
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("failed", 1, 400)
    assert delivery.last_error == f"POST {receiver.url}: HTTP 400 Bad Request"


def test_gives_up_after_max_attempts_and_later_runs_do_not_retry(
    notify_store: AlertStore,
) -> None:
    sleeps = Sleeps()
    with webhook_receiver(fail_first=100) as receiver:
        _subscribe(notify_store, receiver.url)
        [delivery] = notify(notify_store, base_delay=DELAY, sleep=sleeps)
        assert notify(notify_store, base_delay=DELAY, sleep=sleeps) == []
    assert len(receiver.requests) == 5
    assert sleeps == [DELAY, 2 * DELAY, 4 * DELAY, 8 * DELAY]
    assert (delivery.status, delivery.attempts) == ("failed", 5)
    assert [e["attempt"] for e in delivery.log] == [1, 2, 3, 4, 5]


def test_failed_delivery_is_retried_next_run_up_to_the_maximum(
    notify_store: AlertStore,
) -> None:
    with webhook_receiver(fail_first=3) as receiver:
        _subscribe(notify_store, receiver.url)
        [first] = notify(notify_store, max_attempts=2, base_delay=DELAY)
        assert (first.status, first.attempts) == ("failed", 2)
        [second] = notify(notify_store, max_attempts=4, base_delay=DELAY)
        assert second.id == first.id
        assert (second.status, second.attempts) == ("delivered", 4)
        assert notify(notify_store, max_attempts=4, base_delay=DELAY) == []
    assert len(receiver.requests) == 4


def test_connection_errors_are_retried(notify_store: AlertStore) -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    _subscribe(notify_store, url)
    [delivery] = notify(notify_store, max_attempts=3, base_delay=DELAY)
    assert (delivery.status, delivery.attempts, delivery.http_status) == ("failed", 3, None)
    assert all("ConnectError" in e["error"] for e in delivery.log)


def test_payload_says_synthetic_when_the_alerts_series_are() -> None:
    from datetime import date

    from critchem.notify.webhook import payload
    from critchem.surveillance.alerts.models import Alert

    alert = Alert(
        id=7, title="t", severity="amber", state="new", families=["volume"], product="1",
        molecule_id=None, reporter="EU27", partner="CN", flow="1",
        first_seen_period=date(2024, 3, 1), last_seen_period=date(2024, 3, 1),
        provenance={"sources": ["synthetic"], "run_sources": ["comext_bulk", "synthetic"]},
    )  # fmt: skip
    assert payload(alert, 1)["alert"]["data_source"] == "synthetic"
    alert.provenance = {"sources": ["comext_bulk"], "run_sources": ["comext_bulk", "synthetic"]}
    assert payload(alert, 1)["alert"]["data_source"] == "real"
