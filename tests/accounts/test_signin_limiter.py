"""The sign-in limiter over the shared database: two limiters (two workers) on one database.

Each rule is attacked through two ``SignInLimiter`` objects that share only the database, as
two worker processes do; the clock is set by hand so the waits are exact.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from critchem.accounts.throttle import Limits, SignInAttempt, SignInLimiter
from critchem.core.errors import RateLimitedError
from critchem.surveillance.alerts import AlertStore

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LIMITS = Limits(
    per_pair=3,
    spray_accounts=4,
    account_failures=5,
    global_failures=8,
    window=timedelta(minutes=15),
)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def workers(alert_db_url: str, clock: Clock) -> Iterator[tuple[SignInLimiter, SignInLimiter]]:
    """Two limiters on two engines of one database, as two workers have."""
    stores = (AlertStore(alert_db_url), AlertStore(alert_db_url))
    try:
        yield (
            SignInLimiter(stores[0].session, LIMITS, clock=clock),
            SignInLimiter(stores[1].session, LIMITS, clock=clock),
        )
    finally:
        for store in stores:
            store.dispose()


def _fail(limiter: SignInLimiter, ip: str, name: str) -> None:
    limiter.check(ip, name)
    limiter.record(ip, name, ok=False)


def test_pair_rule_is_shared_by_workers(
    workers: tuple[SignInLimiter, SignInLimiter], clock: Clock
) -> None:
    a, b = workers
    _fail(a, "10.0.0.1", "ana")
    clock.advance(10)
    _fail(b, "10.0.0.1", "Ana")  # user names count case-folded
    clock.advance(10)
    _fail(a, "10.0.0.1", "ana")
    for worker in workers:
        with pytest.raises(RateLimitedError, match=r"pair rule") as info:
            worker.check("10.0.0.1", "ana")
        assert info.value.retry_after == 40  # the first failure leaves the minute at 60 s
    b.check("10.0.0.2", "ana")  # another address may still try
    clock.advance(40)
    a.check("10.0.0.1", "ana")
    b.record("10.0.0.1", "ana", ok=True)  # a success clears the pair
    _fail(a, "10.0.0.1", "ana")
    a.check("10.0.0.1", "ana")


def test_spraying_from_one_address_is_caught(
    workers: tuple[SignInLimiter, SignInLimiter], clock: Clock
) -> None:
    a, b = workers
    for i, name in enumerate(["ana", "bob", "cy", "dee"]):
        _fail((a, b)[i % 2], "192.0.2.7", name)  # one password over four accounts
        clock.advance(60)
    with pytest.raises(RateLimitedError, match=r"too many accounts .*\(spraying rule\)") as info:
        b.check("192.0.2.7", "eve")  # an untried name waits too
    # 4 names, limit 4: the count drops when the first (at 0 s) leaves the 15 min window
    assert info.value.retry_after == 15 * 60 - 4 * 60
    a.check("198.51.100.1", "eve")  # other addresses are not held back
    clock.advance(info.value.retry_after)
    b.check("192.0.2.7", "eve")


def test_guessing_one_account_from_many_addresses(
    workers: tuple[SignInLimiter, SignInLimiter], clock: Clock
) -> None:
    a, b = workers
    a.record("203.0.113.9", "ana", ok=True)  # ana's own address, known from last week
    clock.advance(7 * 86400)
    for i in range(5):
        _fail((a, b)[i % 2], f"10.1.0.{i}", "ana")
        clock.advance(1)
    with pytest.raises(RateLimitedError, match=r"account rule"):
        b.check("10.1.0.99", "ana")
    a.check("203.0.113.9", "ana")  # the attacker cannot lock ana out of her known address
    b.check("10.1.0.99", "bob")  # other accounts are not held back


def test_credential_stuffing_pauses_new_addresses(
    workers: tuple[SignInLimiter, SignInLimiter], clock: Clock
) -> None:
    a, b = workers
    a.record("203.0.113.9", "ana", ok=True)
    # Leaked pairs, one try each, each from its own address: no other rule fires.
    for i in range(8):
        _fail((a, b)[i % 2], f"172.16.0.{i}", f"user{i}")
        clock.advance(2)
    with pytest.raises(RateLimitedError, match=r"stuffing rule") as info:
        b.check("172.16.9.9", "user99")
    assert info.value.retry_after == 15 * 60 - 16
    a.check("203.0.113.9", "ana")  # known addresses go on signing in


def test_old_attempts_are_purged(
    workers: tuple[SignInLimiter, SignInLimiter], clock: Clock, alert_db_url: str
) -> None:
    a, _ = workers
    for i in range(3):
        _fail(a, "10.0.0.1", f"u{i}")
    a.record("10.0.0.2", "ana", ok=True)
    a.record("10.0.0.2", "ana", ok=True)  # one success row per address and name
    clock.advance(16 * 60)
    a.record("10.0.0.3", "bob", ok=False)  # every write purges the expired failures
    store = AlertStore(alert_db_url)
    try:
        with store.session() as session:
            rows = session.execute(
                select(SignInAttempt.ok, func.count()).group_by(SignInAttempt.ok)
            ).all()
        assert dict(rows) == {True: 1, False: 1}
    finally:
        store.dispose()


def test_concurrent_admissions_stop_at_the_limit(
    workers: tuple[SignInLimiter, SignInLimiter],
) -> None:
    """Twelve attempts at once through two workers: exactly ``per_pair`` (3) are admitted."""
    for worker in workers:  # each opens (and migrates) its database first
        worker.check("10.0.0.9", "ana")
    start = threading.Barrier(12)
    outcomes: list[str] = []

    def attempt(i: int) -> None:
        start.wait()
        try:
            workers[i % 2].admit("10.0.0.9", "ana")
            outcomes.append("admitted")
        except RateLimitedError:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["admitted"] * 3 + ["refused"] * 9


def test_an_admitted_success_clears_its_pair(
    workers: tuple[SignInLimiter, SignInLimiter], clock: Clock
) -> None:
    a, b = workers
    first = a.admit("10.0.0.1", "ana")
    b.admit("10.0.0.1", "ana")
    a.settle(first, ok=False)  # a failure stays one
    last = b.admit("10.0.0.1", "ana")
    with pytest.raises(RateLimitedError, match=r"pair rule"):
        a.admit("10.0.0.1", "ana")  # refused: not recorded
    b.settle(last, ok=True)
    clock.advance(1)
    for _ in range(3):  # the success cleared the pair's failures: three tries again
        a.admit("10.0.0.1", "ana")
    with pytest.raises(RateLimitedError, match=r"pair rule"):
        b.check("10.0.0.1", "ana")
    a.check("10.0.0.1", "bob")
