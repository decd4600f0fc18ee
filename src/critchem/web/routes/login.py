"""``/login`` and ``/logout``: a session cookie holding an access token of the accounts service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from critchem.accounts.tokens import issue
from critchem.api.deps import SettingsDep
from critchem.api.security import AccountsDep, LimiterDep, client_ip
from critchem.exceptions import AuthenticationError, RateLimitedError
from critchem.web.render import page
from critchem.web.session import check_csrf, clear_session, local_path, set_session

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
    ip = client_ip(request)
    key = f"{ip}|{username.casefold()}"
    try:
        limiter.check(key)
        principal = accounts.authenticate_password(username, password)
    except (AuthenticationError, RateLimitedError) as exc:
        if isinstance(exc, AuthenticationError):
            limiter.record_failure(key)
            accounts.audit(username, "auth.failed", f"users/{username}", ip=ip)
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
    limiter.reset(key)
    assert principal.username is not None
    accounts.audit(principal.actor, "auth.session", f"users/{principal.username}", ip=ip)
    minutes = settings.access_token_minutes
    token = issue(
        principal.username,
        principal.role,
        principal.organisation,
        secret=settings.secret_key,
        minutes=minutes,
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
    response = RedirectResponse("/", status_code=303)
    clear_session(response)
    return response
