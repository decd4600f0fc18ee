"""Signing in with a password: the one sequence the API's token route and the web's login share."""

from __future__ import annotations

from critchem.accounts.service import Accounts
from critchem.accounts.throttle import SignInLimiter
from critchem.accounts.tokens import issue
from critchem.core.errors import AuthenticationError


def sign_in(
    accounts: Accounts,
    limiter: SignInLimiter,
    username: str,
    password: str,
    *,
    secret: str,
    minutes: int,
    ip: str | None,
    action: str,
) -> str:
    """An access token for ``username``, valid ``minutes``; the attempt is rate-limited and audited.

    Every attempt is admitted and recorded in one step in the shared database (``limiter``,
    whose rules catch guessing, spraying over user names and credential stuffing); a failure is audited as
    ``auth.failed``, a success as ``action`` (e.g. ``auth.token``, ``auth.session``).

    Raises
    ------
    RateLimitedError
        A rule of the limiter holds the attempt back (not counted as one more failure).
    AuthenticationError
        Wrong user name or password, or a disabled account.
    """
    attempt = limiter.admit(ip, username)  # checked and counted as a failure in one step
    try:
        principal = accounts.authenticate_password(username, password)
    except AuthenticationError:
        accounts.audit(username, "auth.failed", f"users/{username}", ip=ip)
        raise
    limiter.settle(attempt, ok=True)
    assert principal.username is not None
    accounts.audit(principal.actor, action, f"users/{principal.username}", ip=ip)
    return issue(
        principal.username, principal.role, principal.organisation, secret=secret, minutes=minutes
    )
