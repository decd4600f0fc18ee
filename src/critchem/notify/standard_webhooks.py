"""Signing and verifying webhooks per the Standard Webhooks specification (v1, symmetric).

Three headers travel with each request:

- ``webhook-id``: the delivery id, the same on every retry, so a receiver drops duplicates;
- ``webhook-timestamp``: seconds since the Unix epoch when this attempt was sent;
- ``webhook-signature``: ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``.

The key is the secret's bytes after base64-decoding when it has the ``whsec_`` prefix of the
specification, else its UTF-8 bytes. A receiver refuses a signature that does not match and
a timestamp more than ``tolerance`` seconds from its clock (a replayed request), and keeps
the ids it has seen within that window (a request replayed within it).
Source: Standard Webhooks specification, https://github.com/standard-webhooks/standard-webhooks
(``spec/standard-webhooks.md``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping, MutableSet

from critchem.core.errors import CritchemError

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
TOLERANCE_SECONDS = 300
"""How far a timestamp may be from the receiver's clock (five minutes, as the spec advises)."""


class WebhookVerificationError(CritchemError):
    """A webhook whose signature, timestamp or id does not pass (say which)."""


def key(secret: str) -> bytes:
    """The HMAC key of ``secret`` (``whsec_`` + base64, or any text)."""
    if secret.startswith("whsec_"):
        return base64.b64decode(secret.removeprefix("whsec_"))
    return secret.encode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value of one request.

    >>> sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
    ...      1614265330, b'{"test": 2432232314}')
    'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
    """
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, msg_id: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """The three Standard Webhooks headers of a request sent now."""
    stamp = int(time.time() if now is None else now)
    return {
        ID_HEADER: msg_id,
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: sign(secret, msg_id, stamp, body),
    }


def verify(
    secret: str,
    request_headers: Mapping[str, str],
    body: bytes,
    *,
    seen: MutableSet[str] | None = None,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> str:
    """Check one received request; its ``webhook-id``. ``seen``: ids already accepted.

    Raises
    ------
    WebhookVerificationError
        Missing header, timestamp too old or too new, signature that does not match, or an
        id already in ``seen`` (a replay).
    """
    lowered = {k.lower(): v for k, v in request_headers.items()}
    try:
        msg_id = lowered[ID_HEADER]
        stamp = int(lowered[TIMESTAMP_HEADER])
        signatures = lowered[SIGNATURE_HEADER].split()
    except (KeyError, ValueError) as exc:
        raise WebhookVerificationError(f"missing or malformed webhook header: {exc}") from None
    clock = time.time() if now is None else now
    if abs(clock - stamp) > tolerance:
        raise WebhookVerificationError(
            f"webhook-timestamp {stamp} is {clock - stamp:+.0f} s from now (tolerance {tolerance} s)"
        )
    expected = sign(secret, msg_id, stamp, body)
    if not any(hmac.compare_digest(expected, s) for s in signatures if s.startswith("v1,")):
        raise WebhookVerificationError("webhook-signature does not match the body")
    if seen is not None:
        if msg_id in seen:
            raise WebhookVerificationError(f"webhook-id {msg_id} was already received (replay)")
        seen.add(msg_id)
    return msg_id
