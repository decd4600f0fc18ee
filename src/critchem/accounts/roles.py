"""Roles, their order, and who is making a request (``Principal``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["public", "member", "analyst", "secretariat", "admin"]

ROLES: tuple[Role, ...] = ("public", "member", "analyst", "secretariat", "admin")
"""Every role, from least to most trusted: each may do what the ones before it may."""


def check_role(role: str) -> Role:
    """``role`` if it is a known role; ``ValueError`` naming the known roles otherwise.

    >>> check_role("analyst")
    'analyst'
    """
    for known in ROLES:
        if role == known:
            return known
    raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def at_least(role: str, minimum: str) -> bool:
    """Whether ``role`` ranks at or above ``minimum`` (public < member < analyst < ... < admin).

    >>> at_least("secretariat", "analyst"), at_least("member", "analyst")
    (True, False)
    """
    return ROLES.index(check_role(role)) >= ROLES.index(check_role(minimum))


@dataclass(frozen=True)
class Principal:
    """Who makes a request: a user (by password token or API key) or nobody (``public``)."""

    username: str | None
    role: Role
    organisation: str = ""
    via: Literal["anonymous", "token", "api-key"] = "anonymous"
    key_name: str | None = None
    scopes: tuple[str, ...] | None = None
    """The scopes of the API key; ``None`` (a password token) is bounded by the role alone."""

    @property
    def actor(self) -> str:
        """The name written to the audit log: the user name, with the key name if any."""
        if self.username is None:
            return "anonymous"
        return f"{self.username} (key {self.key_name})" if self.key_name else self.username


ANONYMOUS = Principal(username=None, role="public")
"""The principal of a request without credentials."""
