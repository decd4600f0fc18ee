"""Who views a page (the session cookie) and the CSRF tokens of the page forms.

Signing in (``/login``) stores an access token of the accounts service in an ``HttpOnly``,
``SameSite=Strict`` cookie; every page request reads it back and looks the user up, so a
disabled account or a lowered role takes effect at once. An expired or forged cookie counts as
anonymous.

Forms are protected by a signed double-submit token (OWASP CSRF cheat sheet): a random value
in the ``HttpOnly`` cookie ``critchem_csrf`` and, in each form, its HMAC-SHA256 under the
application's secret key. A cross-site request can neither read the cookie nor forge the
HMAC; ``SameSite=Strict`` keeps the cookies off cross-site requests in the first place.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from critchem.accounts import ANONYMOUS, Accounts, Principal
from critchem.accounts.tokens import decode
from critchem.core.errors import AuthenticationError, PermissionDeniedError, UserNotFoundError
from critchem.core.settings import Settings

SESSION_COOKIE = "critchem_session"
CSRF_COOKIE = "critchem_csrf"
CSRF_FIELD = "csrf_token"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def page_principal(request: Request) -> Principal:
    """The signed-in principal of the session cookie, or the anonymous one.

    Looked up once per request: the route and the page it renders both ask for it.
    """
    known: Principal | None = getattr(request.state, "principal", None)
    if known is None:
        known = request.state.principal = _cookie_principal(request)
    return known


def _cookie_principal(request: Request) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return ANONYMOUS
    accounts: Accounts = request.app.state.accounts
    try:
        claims = decode(token, secret=_settings(request).secret_key)
        return accounts.token_principal(claims)
    except (AuthenticationError, UserNotFoundError):
        return ANONYMOUS


def _sign(request: Request, value: str) -> str:
    key = _settings(request).secret_key.encode()
    return hmac.new(key, f"csrf:{value}".encode(), hashlib.sha256).hexdigest()


def _csrf_value(request: Request) -> str:
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not value:
        value = secrets.token_urlsafe(32)
        request.state.new_csrf = value
    return str(value)


def csrf_token(request: Request) -> str:
    """The token the forms of this page carry (creates the CSRF cookie value if needed)."""
    return _sign(request, _csrf_value(request))


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse a form whose token does not match the CSRF cookie.

    Raises
    ------
    PermissionDeniedError
        The cookie or the form field is missing, or they do not match.
    """
    value = request.cookies.get(CSRF_COOKIE)
    if not value or not token or not hmac.compare_digest(_sign(request, value), token):
        raise PermissionDeniedError(
            f"the form's {CSRF_FIELD} is missing or does not match this browser's "
            f"{CSRF_COOKIE} cookie: reload the page and submit the form again"
        )


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Send the CSRF cookie if this request created its value."""
    value = getattr(request.state, "new_csrf", None)
    if value:
        response.set_cookie(
            CSRF_COOKIE, value, httponly=True, samesite="strict", secure=_secure(request)
        )


def set_session(request: Request, response: Response, token: str, *, seconds: int) -> None:
    """Store the access token in the session cookie (``HttpOnly``, ``SameSite=Strict``)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=seconds,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )


def clear_session(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


def local_path(target: str, default: str = "/") -> str:
    """``target`` if it is a path of this site, else ``default`` (no open redirect).

    >>> local_path("/alerts?state=new"), local_path("//evil.example"), local_path("https://x")
    ('/alerts?state=new', '/', '/')
    """
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def revoke_session(request: Request) -> None:
    """Deny the session cookie's token (logout), so a copy of the cookie stops working."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return
    try:
        claims = decode(token, secret=_settings(request).secret_key)
    except AuthenticationError:
        return
    accounts: Accounts = request.app.state.accounts
    accounts.revoke_token(claims)
