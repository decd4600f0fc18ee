"""E-mail delivery against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from critchem.core.settings import Settings
from critchem.notify import add, notify
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.base import Event
from tests.surveillance.notify_helpers import free_port, mail_receiver, store_alerts


def test_alert_email_is_received(tmp_path: Path, alert_make_event: Callable[..., Event]) -> None:
    store = AlertStore(f"sqlite:///{tmp_path / 'mail.db'}")
    try:
        store_alerts(store, alert_make_event)
        add(store, name="desk", channel="email", target="desk@example.org", min_severity="red")
        with mail_receiver() as (port, messages):
            settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="cc@example.org")
            [delivery] = notify(store, settings=settings, base_delay=0.01)
        assert (delivery.status, delivery.attempts, delivery.http_status) == ("delivered", 1, None)
        [(recipients, message)] = messages
    finally:
        store.dispose()
    assert recipients == ["desk@example.org"]
    assert message["To"] == "desk@example.org"
    assert message["From"] == "cc@example.org"
    # long headers are folded on the wire; unfolded, the value may keep the folding space
    assert message["Subject"].strip() == (
        "[critchem] red: EU27 trade of CN 29012100 with China: price test, volume test, 2024-03"
    )
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    plain = text.get_content()
    assert "Severity: red" in plain
    assert "About: product 29012100" in plain
    assert "Trade: EU27 <- CN" in plain
    assert "Evidence from: price, volume" in plain
    assert "Data: real trade statistics" in plain  # stored without a synthetic source
    assert "<th align='left'>Severity</th><td>red</td>" in html.get_content()
    assert "EU27 trade of CN 29012100 with China: price test" in html.get_content()


def test_unreachable_smtp_server_is_retried_then_failed(
    tmp_path: Path, alert_make_event: Callable[..., Event]
) -> None:
    store = AlertStore(f"sqlite:///{tmp_path / 'mail.db'}")
    try:
        store_alerts(store, alert_make_event)
        add(store, name="desk", channel="email", target="desk@example.org", min_severity="red")
        settings = Settings(smtp_host="127.0.0.1", smtp_port=free_port())
        [delivery] = notify(store, settings=settings, max_attempts=2, base_delay=0.01)
    finally:
        store.dispose()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert "ConnectionRefusedError" in (delivery.last_error or "")
