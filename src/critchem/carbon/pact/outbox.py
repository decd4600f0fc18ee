"""The durable outbox of answers to PACT requests, retried with exponential backoff.

PACT Technical Specifications v3, "Asynchronous request and retrieval of Product
Footprints" (``#api-action-events-case-2``): if the requester's host "is not available or
does not accept the response with a HTTP success code (2xx), the data owner's host system
SHOULD retry sending the response event using exponential backoff", and "SHOULD NOT retry
sending a response event for more than 3 days".

So an answer is written to ``pact_outbox`` first and sent after: a restart loses nothing.
Any answer other than 2xx, and any transport or token failure, is retried; the n-th failed
attempt is followed by a wait of :func:`backoff` (``first`` × 2^(n-1), at most ``cap``),
and no attempt is made later than 72 hours after the answer was written (the last one is
due exactly then). ``critchem pact deliver`` sends the answers that are due; the server
makes the first attempt at once.

The clock is a parameter, so the schedule is tested without waiting.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from critchem.carbon.pact import events
from critchem.carbon.pact.callbacks import Credentials, auth_base, host_of
from critchem.carbon.pact.client import PactRemote
from critchem.carbon.pact.models import PactOutbox
from critchem.core.errors import PactError

log = logging.getLogger(__name__)

RETRY_PERIOD = timedelta(hours=72)
"""No retry later than this after the answer was written (the specification's 3 days)."""
FIRST_DELAY = timedelta(seconds=60)
"""Wait after the first failed attempt."""
MAX_DELAY = timedelta(hours=6)
"""Longest wait between two attempts."""
LEASE = timedelta(minutes=5)
"""An answer being sent is not due for others (another process) for this long."""

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(UTC)


def backoff(
    failures: int, *, first: timedelta = FIRST_DELAY, cap: timedelta = MAX_DELAY
) -> timedelta:
    """The wait after the ``failures``-th failed attempt: ``first`` × 2^(failures-1), capped.

    delay(n) = min(first · 2^(n−1), cap), n ≥ 1 (exponential backoff, PACT v3
    ``#api-action-events-case-2``).

    >>> [str(backoff(n)) for n in (1, 2, 3, 9, 10)]
    ['0:01:00', '0:02:00', '0:04:00', '4:16:00', '6:00:00']
    """
    if failures < 1:
        raise ValueError("failures counts from 1")
    if failures > 40:  # 2**40 minutes is far past any cap
        return cap
    delay: timedelta = first * (2 ** (failures - 1))
    return min(delay, cap)


def schedule(
    created: datetime,
    failures: int,
    now: datetime,
    *,
    first: timedelta = FIRST_DELAY,
    cap: timedelta = MAX_DELAY,
    period: timedelta = RETRY_PERIOD,
) -> datetime | None:
    """When to try again after the ``failures``-th failure at ``now``; ``None``: give up.

    The next attempt is at ``now + backoff(failures)``, brought forward to
    ``created + period`` when later; an attempt made at or after ``created + period`` is
    the last.

    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> schedule(t0, 1, t0)
    datetime.datetime(2026, 1, 1, 0, 1, tzinfo=datetime.timezone.utc)
    >>> schedule(t0, 30, t0 + timedelta(hours=70))
    datetime.datetime(2026, 1, 4, 0, 0, tzinfo=datetime.timezone.utc)
    >>> schedule(t0, 31, t0 + timedelta(hours=72)) is None
    True
    """
    deadline = created + period
    if now >= deadline:
        return None
    return min(now + backoff(failures, first=first, cap=cap), deadline)


@dataclass
class Report:
    """What one run of deliveries did."""

    delivered: int = 0
    retrying: int = 0
    expired: int = 0
    attempts: list[dict[str, Any]] = field(default_factory=list)


class Outbox:
    """Answers waiting for their requester's host, on one database.

    Parameters
    ----------
    session
        Session factory of the application database.
    credentials
        ``(client_id, target URL) -> Credentials | None``: how to authenticate at the
        requester's host (``None``: none stored; the attempt fails and is retried).
    clock
        The current time (injectable for tests).
    verify
        TLS verification for the requester's hosts (``True``: the system's CAs, honouring
        ``SSL_CERT_FILE``; or an ``ssl.SSLContext``).
    first, cap
        The backoff's first wait and longest wait.
    """

    def __init__(
        self,
        session: Callable[[], Session],
        credentials: Callable[[str | None, str], Credentials | None],
        *,
        clock: Clock = utc_now,
        verify: bool | ssl.SSLContext = True,
        timeout: float = 10.0,
        first: timedelta = FIRST_DELAY,
        cap: timedelta = MAX_DELAY,
    ) -> None:
        self._session = session
        self._credentials = credentials
        self.clock = clock
        self._verify = verify
        self._timeout = timeout
        self._first = first
        self._cap = cap

    def put(self, answer: dict[str, Any], *, target: str, client_id: str | None) -> int:
        """Write ``answer`` for ``target``, due now; its outbox id."""
        now = self.clock()
        row = PactOutbox(
            event_id=str(answer["id"]),
            request_event_id=str(answer.get("data", {}).get("requestEventId", "")),
            client_id=client_id,
            target=target,
            body=answer,
            status="pending",
            attempts=0,
            created_at=now,
            next_attempt_at=now,
            last_outcome="",
        )
        with self._session() as session, session.begin():
            session.add(row)
            session.flush()
            return int(row.id)

    def entries(self, status: str | None = None) -> list[dict[str, Any]]:
        """The answers kept, oldest first (optionally of one ``status``)."""
        query = select(PactOutbox).order_by(PactOutbox.id)
        if status is not None:
            query = query.where(PactOutbox.status == status)
        with self._session() as session:
            return [
                {
                    "id": r.id,
                    "event_id": r.event_id,
                    "request_event_id": r.request_event_id,
                    "client_id": r.client_id,
                    "target": r.target,
                    "status": r.status,
                    "attempts": r.attempts,
                    "created": r.created_at.isoformat(),
                    "next_attempt": r.next_attempt_at.isoformat(),
                    "last_outcome": r.last_outcome,
                }
                for r in session.scalars(query)
            ]

    def deliver_due(self, *, only: int | None = None) -> Report:
        """Send every answer due now (or only the answer ``only``, if due); what came of it."""
        now = self.clock()
        query = select(PactOutbox.id, PactOutbox.next_attempt_at).where(
            PactOutbox.status == "pending", PactOutbox.next_attempt_at <= now
        )
        if only is not None:
            query = query.where(PactOutbox.id == only)
        with self._session() as session:
            due = session.execute(query.order_by(PactOutbox.next_attempt_at)).all()
        report = Report()
        with self._remotes() as remotes:
            for entry_id, due_at in due:
                if self._claim(entry_id, due_at, now):
                    self._attempt(entry_id, now, remotes, report)
        return report

    def _claim(self, entry_id: int, due_at: datetime, now: datetime) -> bool:
        """Take the answer for this run; ``False`` if another process took it first."""
        with self._session() as session, session.begin():
            taken = session.execute(
                update(PactOutbox)
                .where(
                    PactOutbox.id == entry_id,
                    PactOutbox.status == "pending",
                    PactOutbox.next_attempt_at == due_at,
                )
                .values(next_attempt_at=now + LEASE)
            )
            return bool(getattr(taken, "rowcount", 0) == 1)

    @contextmanager
    def _remotes(self) -> Iterator[dict[tuple[str | None, str], PactRemote]]:
        remotes: dict[tuple[str | None, str], PactRemote] = {}
        try:
            yield remotes
        finally:
            for remote in remotes.values():
                remote.close()

    def _remote(
        self, client_id: str | None, target: str, remotes: dict[tuple[str | None, str], PactRemote]
    ) -> PactRemote:
        key = (client_id, host_of(target))
        if key not in remotes:
            found = self._credentials(client_id, target)
            if found is None:
                raise PactError(
                    401,
                    "AccessDenied",
                    f"no credentials stored for {host_of(target)}: set them with "
                    "critchem pact clients allow NAME --callback-host HOST --remote-client-id ID",
                )
            remotes[key] = PactRemote(
                found.auth_url or auth_base(target),
                found.client_id,
                found.client_secret,
                verify=self._verify,
                timeout=self._timeout,
            )
        return remotes[key]

    def _send(self, remote: PactRemote, target: str, body: dict[str, Any]) -> httpx.Response:
        """POST with a Bearer token; a 401 gets a fresh token and one more try."""
        for fresh in (False, True):
            if fresh:
                remote.forget_token()
            headers = {
                "Authorization": f"Bearer {remote.token()}",
                "Content-Type": f"{events.MEDIA_TYPE}; charset=UTF-8",
            }
            response = remote.post(target, body, headers)
            if response.status_code != 401:
                return response
        return response

    def _attempt(
        self,
        entry_id: int,
        now: datetime,
        remotes: dict[tuple[str | None, str], PactRemote],
        report: Report,
    ) -> None:
        with self._session() as session:
            row = session.get(PactOutbox, entry_id)
            assert row is not None
            target, body, client_id = row.target, dict(row.body), row.client_id
            created, failures = row.created_at, row.attempts
        try:
            response = self._send(self._remote(client_id, target, remotes), target, body)
            delivered = 200 <= response.status_code < 300
            outcome = f"HTTP {response.status_code}"
        except (httpx.HTTPError, PactError) as exc:
            delivered, outcome = False, f"failed ({type(exc).__name__}: {exc})"
        failures += 0 if delivered else 1
        next_at = (
            None
            if delivered
            else schedule(created, failures, now, first=self._first, cap=self._cap)
        )
        status = "delivered" if delivered else ("pending" if next_at is not None else "expired")
        with self._session() as session, session.begin():
            session.execute(
                update(PactOutbox)
                .where(PactOutbox.id == entry_id)
                .values(
                    status=status,
                    attempts=failures + (1 if delivered else 0),
                    last_attempt_at=now,
                    next_attempt_at=next_at or now,
                    last_outcome=f"{now.isoformat()} POST {target}: {outcome}",
                )
            )
        if delivered:
            report.delivered += 1
        elif status == "expired":
            report.expired += 1
        else:
            report.retrying += 1
        report.attempts.append(
            {"id": entry_id, "target": target, "outcome": outcome, "status": status}
        )
        log.info("PACT answer %s to %s: %s (%s)", body.get("id"), target, outcome, status)
