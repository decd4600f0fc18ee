"""Real local receivers for the notification tests: an HTTP server and an SMTP server.

``WebhookReceiver`` is an ``http.server`` in a thread that records every request and can be
told to answer the first N requests with an error status (503 by default); ``MailReceiver``
is an aiosmtpd ``Controller`` on 127.0.0.1 keeping the messages it receives.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event


@dataclass
class Received:
    """One request as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class WebhookReceiver:
    """What the local webhook server received, and how it should answer."""

    fail_first: int = 0
    fail_status: int = 503
    status: int = 200
    retry_after: str | None = None
    requests: list[Received] = field(default_factory=list)
    url: str = ""

    def answer(self) -> int:
        if len(self.requests) <= self.fail_first:
            return self.fail_status
        return self.status


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(
                Received(self.path, dict(self.headers.items()), body, time.monotonic())
            )
            status = receiver.answer()
            self.send_response(status)
            if status >= 400 and receiver.retry_after is not None:
                self.send_header("Retry-After", receiver.retry_after)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def webhook_receiver(**options: Any) -> Iterator[WebhookReceiver]:
    """A running local webhook server; ``options`` set ``fail_first``, ``status``..."""
    receiver = WebhookReceiver(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@contextmanager
def mail_receiver() -> Iterator[tuple[int, list[tuple[list[str], EmailMessage]]]]:
    """A running local SMTP server: ``(port, messages)``, each ``(recipients, message)``."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox.messages
    finally:
        controller.stop()


def store_alerts(store: AlertStore, make_event: Callable[..., Event]) -> dict[str, int]:
    """Three alerts in ``store``: ids by label (``red``, ``amber``, ``molecule``)."""
    store.upsert(
        fuse(
            [
                make_event("volume", "red"),
                make_event("price", "amber"),
                make_event("volume", "amber", partner="US", product="28112200"),
                make_event("price", "amber", partner="IN", molecule_id="ethylene"),
            ]
        )
    )
    ids = {}
    for alert in store.list():
        if alert.molecule_id:
            ids["molecule"] = alert.id
        else:
            ids[alert.severity] = alert.id
    return ids
