"""Signing in with a password: the one sequence the API's token route and the web's login share."""

from __future__ import annotations

from critchem.accounts.ratelimit import FailureLimiter
from critchem.accounts.service import Accounts
from critchem.accounts.tokens import issue
from critchem.exceptions import AuthenticationError


def sign_in(
    accounts: Accounts,
    limiter: FailureLimiter,
    username: str,
    password: str,
    *,
    secret: str,
    minutes: int,
    ip: str | None,
    action: str,
) -> str:
    """An access token for ``username``, valid ``minutes``; the attempt is rate-limited and audited.

    Failures count per client address and user name (``limiter``); a failure is audited as
    ``auth.failed``, a success as ``action`` (e.g. ``auth.token``, ``auth.session``) and
    clears the count.

    Raises
    ------
    RateLimitedError
        Too many failures within the limiter's window (not counted as one more failure).
    AuthenticationError
        Wrong user name or password, or a disabled account.
    """
    key = f"{ip}|{username.casefold()}"
    limiter.check(key)
    try:
        principal = accounts.authenticate_password(username, password)
    except AuthenticationError:
        limiter.record_failure(key)
        accounts.audit(username, "auth.failed", f"users/{username}", ip=ip)
        raise
    limiter.reset(key)
    assert principal.username is not None
    accounts.audit(principal.actor, action, f"users/{principal.username}", ip=ip)
    return issue(
        principal.username, principal.role, principal.organisation, secret=secret, minutes=minutes
    )
