"""``SignInLimiter``: sign-in throttling that every worker shares, through the database.

Each password attempt is a row of ``signin_attempt`` (when, from which address, for which
user name, whether it succeeded), so every worker and process of the service counts the
same attempts. Four rules refuse an attempt with a 429 and the seconds to wait:

``pair``
    ``per_pair`` failures for one user name from one address within a minute (guessing one
    password). A success from that address for that name clears them.
``spraying``
    Failures for ``spray_accounts`` different user names from one address within
    ``window`` (one password tried over many accounts): the address waits, for every name.
``account``
    ``account_failures`` failures for one user name from any addresses within ``window``
    (guessing spread over many addresses). An address from which that user signed in within
    ``KNOWN_DAYS`` days is not held back, so an attacker cannot lock the user out.
``stuffing``
    ``global_failures`` failures over the whole service within ``window`` (leaked name and
    password pairs, one try each from many addresses): until the failures ebb, only
    addresses that signed someone in within ``KNOWN_DAYS`` days may try.

``admit`` checks the rules and records the attempt (as a failure until ``settle`` says it
succeeded) in one serialised transaction (``core.serial``: ``BEGIN IMMEDIATE`` on SQLite, an
advisory lock on PostgreSQL), so concurrent workers admit exactly the limit, never a few more.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Boolean, Index, Integer, String, delete, distinct, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from critchem.core.database import Base, UtcDateTime, utcnow
from critchem.core.errors import RateLimitedError
from critchem.core.serial import serialise

PAIR_WINDOW = timedelta(minutes=1)
"""The window of the ``pair`` rule."""
KNOWN_DAYS = 30
"""Days a successful sign-in makes its address known (for the account and stuffing rules)."""
LOCK_KEY = 4_217_000_117
"""PostgreSQL advisory lock that serialises the admission of sign-in attempts."""


class SignInAttempt(Base):
    """One password sign-in: when, from which address, for which user name (case-folded), ok."""

    __tablename__ = "signin_attempt"
    __table_args__ = (
        Index("ix_signin_attempt_ip_at", "ip", "at"),
        Index("ix_signin_attempt_username_at", "username", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ip: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(200))
    ok: Mapped[bool] = mapped_column(Boolean)


def seconds_to_wait(times: Sequence[datetime], limit: int, window: timedelta, now: datetime) -> int:
    """Seconds until fewer than ``limit`` of ``times`` (sorted, within ``window``) remain.

    With ``n >= limit`` times, the count falls below the limit when the ``n - limit + 1``
    oldest have left the window, i.e. at ``times[n - limit] + window``; at least 1 second.

    >>> t0 = datetime(2026, 1, 1)
    >>> seconds_to_wait([t0, t0 + timedelta(seconds=30)], 2, timedelta(minutes=1),
    ...                 t0 + timedelta(seconds=40))
    20
    """
    until = times[len(times) - limit] + window
    return max(1, math.ceil((until - now).total_seconds()))


@dataclass(frozen=True)
class Limits:
    """The thresholds of the four rules (see the module docstring)."""

    per_pair: int = 10
    spray_accounts: int = 10
    account_failures: int = 20
    global_failures: int = 200
    window: timedelta = timedelta(minutes=15)


class SignInLimiter:
    """The four sign-in rules over the ``signin_attempt`` table of ``sessions``' database."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        limits: Limits | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self.limits = limits or Limits()
        self._clock = clock

    @staticmethod
    def _refuse(rule: str, message: str, wait: int) -> RateLimitedError:
        return RateLimitedError(
            f"{message}: try again in {wait} seconds ({rule} rule)", retry_after=wait
        )

    def _failure_times(
        self, session: Session, since: datetime, *where: ColumnElement[bool]
    ) -> list[datetime]:
        query = select(SignInAttempt.at).where(
            SignInAttempt.ok.is_(False), SignInAttempt.at > since, *where
        )
        return list(session.scalars(query.order_by(SignInAttempt.at)))

    def _known(self, session: Session, ip: str, now: datetime, username: str | None) -> bool:
        query = select(SignInAttempt.id).where(
            SignInAttempt.ok.is_(True),
            SignInAttempt.ip == ip,
            SignInAttempt.at > now - timedelta(days=KNOWN_DAYS),
        )
        if username is not None:
            query = query.where(SignInAttempt.username == username)
        return session.scalar(query.limit(1)) is not None

    @staticmethod
    def _keys(ip: str | None, username: str) -> tuple[str, str]:
        return (ip or "-")[:64], username.casefold()[:200]

    def check(self, ip: str | None, username: str) -> None:
        """Raise ``RateLimitedError`` (with ``retry_after``) if a rule holds this attempt back.

        A check alone does not reserve anything: a sign-in uses ``admit``.
        """
        ip, name = self._keys(ip, username)
        with self._sessions() as session:
            self._check(session, ip, name, self._clock())

    def admit(self, ip: str | None, username: str) -> int:
        """Check the rules and record the attempt as a failure, atomically; its id.

        Raises ``RateLimitedError`` (nothing recorded) if a rule holds the attempt back. The
        check and the insert run in one transaction that holds the write lock from its first
        statement, so of concurrent attempts exactly as many as the limit allows get through.
        A success is reported with ``settle``.
        """
        ip, name, now = *self._keys(ip, username), self._clock()
        with self._sessions() as session, session.begin():
            serialise(session, LOCK_KEY)
            self._purge(session, now)
            self._check(session, ip, name, now)
            attempt = SignInAttempt(at=now, ip=ip, username=name, ok=False)
            session.add(attempt)
            session.flush()
            return attempt.id

    def settle(self, attempt: int, *, ok: bool) -> None:
        """Report the outcome of an admitted attempt; a success clears its pair's failures."""
        if not ok:  # admitted as a failure: it stays one
            return
        with self._sessions() as session, session.begin():
            row = session.get(SignInAttempt, attempt)
            if row is None:  # purged meanwhile
                return
            self._clear_pair(session, row.ip, row.username, keep=row.id)
            row.ok = True

    def _check(self, session: Session, ip: str, name: str, now: datetime) -> None:
        limits = self.limits
        since = now - limits.window
        pair = self._failure_times(
            session, now - PAIR_WINDOW, SignInAttempt.ip == ip, SignInAttempt.username == name
        )
        if len(pair) >= limits.per_pair:
            wait = seconds_to_wait(pair, limits.per_pair, PAIR_WINDOW, now)
            raise self._refuse("pair", "too many failed attempts", wait)
        self._check_spraying(session, ip, since, now)
        account = self._failure_times(session, since, SignInAttempt.username == name)
        if len(account) >= limits.account_failures and not self._known(session, ip, now, name):
            wait = seconds_to_wait(account, limits.account_failures, limits.window, now)
            raise self._refuse(
                "account", "too many failed attempts on this account from new addresses", wait
            )
        total = self._failure_times(session, since)
        if len(total) >= limits.global_failures and not self._known(session, ip, now, None):
            wait = seconds_to_wait(total, limits.global_failures, limits.window, now)
            raise self._refuse(
                "stuffing",
                "sign-in from new addresses is paused while many attempts fail",
                wait,
            )

    def _check_spraying(self, session: Session, ip: str, since: datetime, now: datetime) -> None:
        limit = self.limits.spray_accounts
        last_by_name = (
            select(func.max(SignInAttempt.at))
            .where(SignInAttempt.ok.is_(False), SignInAttempt.ip == ip, SignInAttempt.at > since)
            .group_by(SignInAttempt.username)
        )
        count = session.scalar(
            select(func.count(distinct(SignInAttempt.username))).where(
                SignInAttempt.ok.is_(False), SignInAttempt.ip == ip, SignInAttempt.at > since
            )
        )
        if (count or 0) >= limit:
            times = sorted(session.scalars(last_by_name))
            wait = seconds_to_wait(times, limit, self.limits.window, now)
            raise self._refuse("spraying", "too many accounts tried from this address", wait)

    def record(self, ip: str | None, username: str, *, ok: bool) -> None:
        """Record one attempt; a success clears that address's failures for that user name.

        Failures older than the window and successes older than ``KNOWN_DAYS`` are purged.
        (Not serialised with a check: a sign-in uses ``admit`` and ``settle``.)
        """
        ip, name, now = *self._keys(ip, username), self._clock()
        with self._sessions() as session, session.begin():
            self._purge(session, now)
            if ok:
                self._clear_pair(session, ip, name, keep=None)
            session.add(SignInAttempt(at=now, ip=ip, username=name, ok=ok))

    def _purge(self, session: Session, now: datetime) -> None:
        """Delete failures older than the windows and successes older than ``KNOWN_DAYS``."""
        session.execute(
            delete(SignInAttempt).where(
                SignInAttempt.ok.is_(False),
                SignInAttempt.at < now - max(self.limits.window, PAIR_WINDOW),
            )
        )
        session.execute(
            delete(SignInAttempt).where(SignInAttempt.at < now - timedelta(days=KNOWN_DAYS))
        )

    @staticmethod
    def _clear_pair(session: Session, ip: str, name: str, *, keep: int | None) -> None:
        """A success: drop the pair's failures and earlier success rows (one row is enough)."""
        query = delete(SignInAttempt).where(SignInAttempt.ip == ip, SignInAttempt.username == name)
        if keep is not None:
            query = query.where(SignInAttempt.id != keep)
        session.execute(query)
