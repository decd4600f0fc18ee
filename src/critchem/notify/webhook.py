"""Webhook delivery: a signed JSON ``POST``, retried with backoff on transient failures.

The receiver checks the body as GitHub webhooks are checked: ``X-Critchem-Signature`` is
``sha256=<hex HMAC-SHA256 of the raw request body, keyed with the subscription's secret>``,
``X-Critchem-Delivery`` the delivery id (the same on every retry, so receivers can drop
duplicates). The same request also carries the Standard Webhooks headers (``webhook-id``,
``webhook-timestamp``, ``webhook-signature``; see :mod:`.standard_webhooks`), with which a
receiver refuses forged, stale and replayed requests. Connection errors, 5xx and 429 replies
are retried (after the ``Retry-After`` the receiver asked for, when longer than the
backoff); other 4xx replies are not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from critchem.core.labels import data_source_of
from critchem.notify import standard_webhooks
from critchem.notify.attempts import Outcome
from critchem.surveillance.alerts.models import Alert

SIGNATURE_HEADER = "X-Critchem-Signature"
DELIVERY_HEADER = "X-Critchem-Delivery"


def payload(alert: Alert, delivery_id: int) -> dict[str, Any]:
    """The JSON document sent for ``alert`` (no links: receivers look the alert up by id)."""
    return {
        "event": "alert",
        "delivery_id": delivery_id,
        "alert": {
            "id": alert.id,
            "title": alert.title,
            "severity": alert.severity,
            "state": alert.state,
            "families": list(alert.families),
            "product": alert.product,
            "molecule_id": alert.molecule_id,
            "reporter": alert.reporter,
            "partner": alert.partner,
            "flow": alert.flow,
            "first_seen_period": alert.first_seen_period.isoformat(),
            "last_seen_period": alert.last_seen_period.isoformat(),
            "data_source": data_source_of(alert.provenance),
        },
    }


def body(alert: Alert, delivery_id: int) -> bytes:
    """The exact bytes posted (compact JSON, sorted keys, UTF-8)."""
    text = json.dumps(payload(alert, delivery_id), sort_keys=True, separators=(",", ":"))
    return text.encode()


def signature(secret: str, raw: bytes) -> str:
    """The ``X-Critchem-Signature`` value of ``raw`` under ``secret``.

    >>> signature("It's a Secret to Everybody", b"Hello, World!")
    'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'
    """
    digest = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post(client: httpx.Client, url: str, secret: str, alert: Alert, delivery_id: int) -> Outcome:
    """One signed ``POST`` of ``alert`` to ``url``; the outcome says whether to retry."""
    raw = body(alert, delivery_id)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "critchem-notify",
        SIGNATURE_HEADER: signature(secret, raw),
        DELIVERY_HEADER: str(delivery_id),
        **standard_webhooks.headers(secret, f"critchem-delivery-{delivery_id}", raw),
    }
    try:
        response = client.post(url, content=raw, headers=headers)
    except httpx.HTTPError as exc:
        return Outcome(ok=False, retry=True, error=f"POST {url}: {type(exc).__name__}: {exc}")
    status = response.status_code
    if status < 300:
        return Outcome(ok=True, http_status=status)
    reason = response.reason_phrase or "error"
    return Outcome(
        ok=False,
        retry=status >= 500 or status == 429,
        http_status=status,
        error=f"POST {url}: HTTP {status} {reason}",
        retry_after=retry_after(response.headers.get("Retry-After")),
    )


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delay-seconds or an HTTP date; RFC 9110 10.2.3).

    >>> retry_after("120"), retry_after(None), retry_after("soon")
    (120.0, None, None)
    >>> retry_after("Sun, 06 Dec 2026 20:00:30 GMT", datetime(2026, 12, 6, 20, 0, tzinfo=UTC))
    30.0
    """
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
