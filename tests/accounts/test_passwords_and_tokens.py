"""Argon2id password hashes and HS256 access tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from critchem.accounts.passwords import hash_password, needs_rehash, verify_password
from critchem.accounts.tokens import decode, issue
from critchem.core.errors import AuthenticationError

SECRET = "a test secret that is long enough for HS256"


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first, second = hash_password("s3cret pass"), hash_password("s3cret pass")
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, "s3cret pass")
    assert not verify_password(first, "s3cret pasS")
    assert not verify_password("not a hash", "s3cret pass")
    assert not needs_rehash(first)


def test_weaker_hash_still_verifies_and_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    old = hash_password("s3cret pass", weak)
    assert verify_password(old, "s3cret pass")
    assert needs_rehash(old)
    assert not needs_rehash(old, weak)
    assert needs_rehash("garbage")


def test_token_round_trip() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    claims = decode(
        issue("ana", "analyst", "Acme", secret=SECRET, minutes=30, now=now), secret=SECRET
    )
    assert (claims.username, claims.role, claims.organisation) == ("ana", "analyst", "Acme")
    assert claims.expires == now + timedelta(minutes=30)


def test_expired_forged_and_malformed_tokens_are_refused() -> None:
    past = datetime.now(UTC) - timedelta(minutes=61)
    expired = issue("ana", "analyst", "Acme", secret=SECRET, minutes=60, now=past)
    with pytest.raises(AuthenticationError, match="expired"):
        decode(expired, secret=SECRET)
    forged = issue("ana", "admin", "Acme", secret=SECRET + "!", minutes=60)
    with pytest.raises(AuthenticationError, match="invalid"):
        decode(forged, secret=SECRET)
    with pytest.raises(AuthenticationError):
        decode("a.b.c", secret=SECRET)
