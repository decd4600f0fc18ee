"""Password hashing with Argon2id (argon2-cffi): hash, verify, and tell when to rehash.

Hashes carry their parameters (``$argon2id$v=19$m=...,t=...,p=...$salt$hash``), so a hash
made with weaker parameters still verifies and ``needs_rehash`` says to upgrade it at the
next successful sign-in.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()
"""The hasher with the argon2-cffi defaults (RFC 9106 low-memory profile)."""

MIN_LENGTH = 8
"""The shortest password accepted."""


def hash_password(password: str, hasher: PasswordHasher = HASHER) -> str:
    """The Argon2id hash of ``password``, salted at random (so two hashes of it differ)."""
    return hasher.hash(password)


def verify_password(stored_hash: str, password: str, hasher: PasswordHasher = HASHER) -> bool:
    """Whether ``password`` matches ``stored_hash``; a malformed hash never matches."""
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, hasher: PasswordHasher = HASHER) -> bool:
    """Whether ``stored_hash`` was made with other parameters than ``hasher`` uses now."""
    try:
        return hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@cache
def dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so the answer takes as long."""
    return hash_password("not the password of anyone")
