"""Scopes of API keys: what a key may do, on top of what its user's role allows.

A key carries one or more scopes; a request made with it needs the scope of its route:

==================  ==========================================================  ==============
scope               lets the key                                                 role at least
==================  ==========================================================  ==============
``read``            read (``GET``), and the computing ``POST`` routes that       member
                    change nothing (assessments, funding checks, eligibility)
``write:projects``  submit projects                                              member
``write:alerts``    acknowledge and resolve alerts                               analyst
``write:alliance``  apply to the Alliance, vote and comment on motions           member
``write:custody``   record chain-of-custody transfers of the user's organisation   member
``admin``           everything, the user and audit routes and key management     secretariat
==================  ==========================================================  ==============

The role still decides on its own: a key never does more than its user could (a ``write:alerts``
key of a member is refused by the alert routes), and a key cannot be given a scope its user's
role does not reach. Any route not listed needs ``admin``: a new write route is closed to keys
until it is given a scope here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from critchem.accounts.roles import at_least
from critchem.core.errors import AccountError

Scope = Literal[
    "read", "write:projects", "write:alerts", "write:alliance", "write:custody", "admin"
]
"""The name of a scope (the keys of ``SCOPE_ROLES``)."""

SCOPE_ROLES: dict[str, str] = {
    "read": "member",
    "write:projects": "member",
    "write:alerts": "analyst",
    "write:alliance": "member",
    "write:custody": "member",
    "admin": "secretariat",
}
"""Every scope and the least role that may hold it."""

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_COMPUTING_POSTS = ("/assessments", "/funding")
_COMPUTING_SUFFIXES = ("/eligibility",)
_WRITE_PREFIXES = (
    ("/projects", "write:projects"),
    ("/alerts", "write:alerts"),
    ("/alliance", "write:alliance"),
    ("/custody", "write:custody"),
)
_ADMIN_PREFIXES = ("/users", "/audit", "/keys")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def required_scope(method: str, path: str) -> str:
    """The scope a key needs for ``method`` on ``path`` (relative to the API prefix).

    >>> required_scope("GET", "/molecules/ethylene")
    'read'
    >>> required_scope("POST", "/projects"), required_scope("POST", "/projects/EX-1/eligibility")
    ('write:projects', 'read')
    >>> required_scope("GET", "/users"), required_scope("DELETE", "/somewhere/new")
    ('admin', 'admin')
    """
    if any(_under(path, prefix) for prefix in _ADMIN_PREFIXES):
        return "admin"
    if method.upper() in _READ_METHODS:
        return "read"
    if method.upper() == "POST" and (
        any(_under(path, p) for p in _COMPUTING_POSTS) or path.endswith(_COMPUTING_SUFFIXES)
    ):
        return "read"
    for prefix, scope in _WRITE_PREFIXES:
        if _under(path, prefix):
            return scope
    return "admin"


def allows(scopes: Iterable[str], needed: str) -> bool:
    """Whether a key with ``scopes`` may use a route that needs ``needed`` (``admin`` may all).

    >>> allows({"read"}, "read"), allows({"read"}, "write:projects"), allows({"admin"}, "read")
    (True, False, True)
    """
    held = set(scopes)
    return needed in held or "admin" in held


def check_scopes(scopes: Iterable[str], role: str) -> tuple[str, ...]:
    """The scopes, sorted and without repeats, if all are known and ``role`` may hold them.

    Raises
    ------
    AccountError
        No scope, an unknown scope (naming the known ones), or one above the role.

    >>> check_scopes(["write:projects", "read", "read"], "member")
    ('read', 'write:projects')
    """
    chosen = sorted({s.strip() for s in scopes if s.strip()})
    if not chosen:
        raise AccountError(f"give the key at least one scope: {', '.join(SCOPE_ROLES)}")
    for scope in chosen:
        if scope not in SCOPE_ROLES:
            raise AccountError(f"unknown scope {scope!r}: use one of {', '.join(SCOPE_ROLES)}")
        if not at_least(role, SCOPE_ROLES[scope]):
            raise AccountError(
                f"the scope {scope!r} needs the {SCOPE_ROLES[scope]} role or higher; "
                f"the user has the {role} role"
            )
    return tuple(chosen)
