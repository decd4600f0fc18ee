"""``/auth``: sign in with a password (OAuth2 password flow) and see who you are."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response, Security
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from critchem.accounts.schemas import UserOut
from critchem.accounts.signin import sign_in
from critchem.accounts.tokens import decode
from critchem.api.deps import SettingsDep
from critchem.api.problems import problem_responses
from critchem.api.security import AccountsDep, LimiterDep, PrincipalDep, bearer, client_ip
from critchem.core.errors import AuthenticationError

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenOut(BaseModel):
    """An access token to send as ``Authorization: Bearer <access_token>``."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds the token stays valid.")


class MeOut(BaseModel):
    """Who the request is from: the role is ``public`` without credentials."""

    username: str | None
    role: str
    organisation: str
    via: str
    user: UserOut | None = None


@router.post(
    "/token",
    response_model=TokenOut,
    summary="Sign in",
    responses=problem_responses(429),
)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    accounts: AccountsDep,
    settings: SettingsDep,
    limiter: LimiterDep,
) -> TokenOut:
    """An access token for a user name and password (form fields ``username``, ``password``).

    After too many failures within a minute from one address for one user name, further
    attempts get a 429 with ``Retry-After``.
    """
    minutes = settings.access_token_minutes
    access_token = sign_in(
        accounts,
        limiter,
        form.username,
        form.password,
        secret=settings.secret_key,
        minutes=minutes,
        ip=client_ip(request),
        action="auth.token",
    )
    return TokenOut(access_token=access_token, expires_in=minutes * 60)


@router.get("/me", response_model=MeOut, summary="Who am I")
def me(principal: PrincipalDep, accounts: AccountsDep) -> MeOut:
    """The principal of this request, with the account when signed in."""
    user = accounts.get_user(principal.username) if principal.username else None
    return MeOut(
        username=principal.username,
        role=principal.role,
        organisation=principal.organisation,
        via=principal.via,
        user=user,
    )


@router.post(
    "/logout",
    status_code=204,
    summary="Log out: revoke this access token",
    responses=problem_responses(401),
)
def logout(
    accounts: AccountsDep,
    settings: SettingsDep,
    token: Annotated[str | None, Security(bearer)],
) -> Response:
    """Revoke the bearer token of the request (its ``jti``); it stops working at once."""
    if not token:
        raise AuthenticationError("log out needs the bearer token to revoke")
    claims = decode(token, secret=settings.secret_key)
    accounts.token_principal(claims)  # a revoked or unknown token is refused
    accounts.revoke_token(claims)
    return Response(status_code=204)
