"""Who makes a request, and what their role lets them do.

Credentials, in this order: a bearer access token (``Authorization: Bearer ...``, from
``POST /api/v1/auth/token``), an API key (``X-API-Key: ck_...``), or none: the anonymous
principal with the ``public`` role. Wrong credentials are a 401 even on open routes, so a
client never silently falls back to public access. A request with an API key also needs the
key's scope for the route (``critchem.accounts.scopes``): a 403 names the scope missing.

``CHECK_CREDENTIALS`` applies this to every route of the API router, including the open ones
that never ask who calls: any credentials a request presents are verified (once per request,
then shared with ``current_principal``), and a request without credentials stays anonymous.
The session cookie of the web pages is not a credential of the API (the API never reads it),
and the PACT routes check their own client tokens.

``require_role(minimum)`` guards a route: anonymous callers get a 401, authenticated callers
below ``minimum`` a 403 (roles: public < member < analyst < secretariat < admin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends as DependsParam
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from fastapi.security.utils import get_authorization_scheme_param

from critchem.accounts import ANONYMOUS, Accounts, Principal, Role, at_least
from critchem.accounts.scopes import allows, required_scope
from critchem.accounts.throttle import SignInLimiter
from critchem.accounts.tokens import decode
from critchem.api.deps import SettingsDep
from critchem.core.errors import AuthenticationError, PermissionDeniedError
from critchem.core.settings import Settings

API_PREFIX = "/api/v1"
"""Where the versioned routes are mounted (the scopes of keys are declared below it)."""

TOKEN_URL = f"{API_PREFIX}/auth/token"
"""Where the OAuth2 password flow gets its token (``API_PREFIX`` + ``/auth/token``)."""

bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)
api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key, ck_<prefix>_<secret>."
)


async def get_accounts(request: Request) -> Accounts:
    """The application's account service."""
    accounts: Accounts = request.app.state.accounts
    return accounts


AccountsDep = Annotated[Accounts, Depends(get_accounts)]


async def get_limiter(request: Request) -> SignInLimiter:
    """The application's sign-in limiter (shared by all workers through the database)."""
    limiter: SignInLimiter = request.app.state.auth_limiter
    return limiter


LimiterDep = Annotated[SignInLimiter, Depends(get_limiter)]


def client_ip(request: Request) -> str | None:
    """The address of the client (as the server saw it, after trusted proxy headers)."""
    return request.client.host if request.client else None


def check_key_scope(principal: Principal, method: str, path: str) -> None:
    """Refuse (``PermissionDeniedError``) a key request whose route needs a scope it lacks."""
    if principal.scopes is None:
        return
    needed = required_scope(method, path.removeprefix(API_PREFIX) or "/")
    if not allows(principal.scopes, needed):
        raise PermissionDeniedError(
            f"the API key {principal.key_name!r} has the scopes {' '.join(principal.scopes)}; "
            f"{method} {path} needs the {needed!r} scope"
        )


def authenticate(
    request: Request, accounts: Accounts, settings: Settings, token: str | None, key: str | None
) -> Principal:
    """The principal of the request's credentials, verified once per request.

    ``AuthenticationError`` (401) for a wrong, expired or revoked token or key, or one whose
    account is disabled or removed; ``PermissionDeniedError`` (403) for a key without the route's scope.
    """
    known: Principal | None = getattr(request.state, "api_principal", None)
    if known is not None:
        return known
    principal = ANONYMOUS
    if token:
        claims = decode(token, secret=settings.secret_key)
        principal = accounts.token_principal(claims)
    elif key:
        principal = accounts.authenticate_key(key)
        check_key_scope(principal, request.method, request.url.path)
    request.state.api_principal = principal
    return principal


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header (``None`` for other schemes)."""
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    return token if scheme.lower() == "bearer" and token else None


def current_principal(
    request: Request,
    accounts: AccountsDep,
    settings: SettingsDep,
    token: Annotated[str | None, Security(bearer)],
    key: Annotated[str | None, Security(api_key_header)],
) -> Principal:
    """The principal of the request: from its token, its API key, or anonymous."""
    return authenticate(request, accounts, settings, token, key)


async def check_credentials(request: Request, accounts: AccountsDep, settings: SettingsDep) -> None:
    """Verify whatever credentials the request presents, on every route of the API router.

    A request without a bearer token or an API key passes at once (no thread hop); the
    others are checked as in ``current_principal`` (401 or 403 as problem+json).
    """
    token, key = bearer_token(request), request.headers.get("X-API-Key")
    if token or key:
        await run_in_threadpool(authenticate, request, accounts, settings, token, key)


CHECK_CREDENTIALS: list[DependsParam] = [Depends(check_credentials)]
"""The router-wide dependency list: ``app.include_router(..., dependencies=CHECK_CREDENTIALS)``."""


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_role(minimum: Role) -> Callable[[Principal], Principal]:
    """A dependency that gives the principal if its role is at least ``minimum``."""

    def dependency(principal: PrincipalDep) -> Principal:
        if at_least(principal.role, minimum):
            return principal
        if principal.username is None:
            raise AuthenticationError(f"sign in: this needs the {minimum} role or higher")
        raise PermissionDeniedError(
            f"user {principal.username!r} has the {principal.role} role; "
            f"this needs {minimum} or higher"
        )

    return dependency


Analyst = Annotated[Principal, Depends(require_role("analyst"))]
Secretariat = Annotated[Principal, Depends(require_role("secretariat"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
