"""``/login`` and ``/logout``: a session cookie holding an access token of the accounts service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from critchem.accounts.signin import sign_in
from critchem.api.deps import SettingsDep
from critchem.api.security import AccountsDep, LimiterDep, client_ip
from critchem.core.errors import AuthenticationError, RateLimitedError
from critchem.web.render import page
from critchem.web.session import (
    check_csrf,
    clear_session,
    local_path,
    revoke_session,
    set_session,
)

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return page(
        request, "login.html.j2", title="Sign in", twin=None, next=local_path(next), error=None
    )


@router.post("/login", response_model=None)
def login(
    request: Request,
    accounts: AccountsDep,
    settings: SettingsDep,
    limiter: LimiterDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (rate-limited as the API's), set the session cookie, go to ``next``."""
    check_csrf(request, csrf_token)
    minutes = settings.access_token_minutes
    try:
        token = sign_in(
            accounts,
            limiter,
            username,
            password,
            secret=settings.secret_key,
            minutes=minutes,
            ip=client_ip(request),
            action="auth.session",
        )
    except (AuthenticationError, RateLimitedError) as exc:
        status = 429 if isinstance(exc, RateLimitedError) else 401
        return page(
            request,
            "login.html.j2",
            title="Sign in",
            twin=None,
            status=status,
            next=local_path(next),
            error=str(exc),
            username=username,
        )
    response = RedirectResponse(local_path(next), status_code=303)
    set_session(request, response, token, seconds=minutes * 60)
    return response


@router.post("/logout")
def logout(
    request: Request, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> RedirectResponse:
    """End the session."""
    check_csrf(request, csrf_token)
    revoke_session(request)
    response = RedirectResponse("/", status_code=303)
    clear_session(response)
    return response
