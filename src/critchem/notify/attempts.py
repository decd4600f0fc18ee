"""Attempts at a delivery: the outcome of one try, the log, and retrying with backoff.

The delay before attempt ``n`` (``n >= 2``) is ``base_delay * 2 ** (n - 2)``: with the
default one second, 1 s, 2 s, 4 s, 8 s between five attempts. Only outcomes marked
``retry`` (connection errors, HTTP 5xx and 429, transient SMTP replies) are tried again; after
a 429 or 503 with ``Retry-After`` the wait is the longer of the backoff and what was asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from critchem.core.database import utcnow
from critchem.notify.models import Delivery

MAX_ATTEMPTS = 5
"""How many times one delivery is tried in all, across dispatch runs."""
BASE_DELAY = 1.0
"""Seconds before the first retry; doubled before each further one."""
MAX_RETRY_AFTER = 300.0
"""The longest ``Retry-After`` waited for within one run (longer: the next run retries)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt did: delivered or not, whether to retry, the HTTP status, the error."""

    ok: bool
    retry: bool = False
    http_status: int | None = None
    error: str | None = None
    retry_after: float | None = None
    """Seconds the receiver asked to wait (``Retry-After``), if it did."""


def backoff(attempt: int, base_delay: float = BASE_DELAY) -> float:
    """Seconds to wait before ``attempt`` (1-based; none before the first).

    >>> [backoff(n, 1.0) for n in range(1, 6)]
    [0.0, 1.0, 2.0, 4.0, 8.0]
    """
    return 0.0 if attempt <= 1 else base_delay * 2 ** (attempt - 2)


def record(delivery: Delivery, outcome: Outcome, now: datetime | None = None) -> None:
    """Add ``outcome`` to the log of ``delivery`` and update its status."""
    stamp = now or utcnow()
    delivery.attempts = (delivery.attempts or 0) + 1
    delivery.http_status = outcome.http_status
    delivery.last_error = outcome.error
    delivery.updated_at = stamp
    delivery.log = [
        *(delivery.log or []),
        {
            "attempt": delivery.attempts,
            "at": stamp.isoformat(),
            "ok": outcome.ok,
            "http_status": outcome.http_status,
            "error": outcome.error,
        },
    ]
    if outcome.ok:
        delivery.status = "delivered"
        delivery.delivered_at = stamp
    else:
        delivery.status = "failed"


def attempt_until_done(
    delivery: Delivery,
    once: Callable[[], Outcome],
    *,
    max_attempts: int = MAX_ATTEMPTS,
    base_delay: float = BASE_DELAY,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Call ``once`` until it delivers, says not to retry, or ``max_attempts`` are used.

    Attempts already in the log (from earlier runs) count towards ``max_attempts``; the
    backoff restarts with each run, so a run never waits before its first attempt.
    """
    tried = 0
    asked: float | None = None
    while (delivery.attempts or 0) < max_attempts:
        tried += 1
        if tried > 1:
            sleep(max(backoff(tried, base_delay), min(asked or 0.0, MAX_RETRY_AFTER)))
        outcome = once()
        record(delivery, outcome)
        if outcome.ok or not outcome.retry:
            return
        asked = outcome.retry_after
