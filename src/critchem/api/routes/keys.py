"""``/keys``: a signed-in user makes, lists and revokes their own API keys.

A key is shown once, in the answer that creates it; only its SHA-256 is stored. A
secretariat or admin may list (``?user=``) and revoke the keys of others. With a key, these
routes need its ``admin`` scope (a key cannot make keys otherwise).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from critchem.accounts import Principal, at_least
from critchem.accounts.schemas import ApiKeyOut, NewApiKeyOut
from critchem.accounts.scopes import SCOPE_ROLES, Scope
from critchem.accounts.service import DEFAULT_KEY_DAYS, MAX_KEY_DAYS
from critchem.api.problems import problem_responses
from critchem.api.security import AccountsDep, client_ip, require_role
from critchem.core.errors import PermissionDeniedError

router = APIRouter(prefix="/keys", tags=["accounts"], responses=problem_responses(401, 403))

Member = Annotated[Principal, Depends(require_role("member"))]


class KeyIn(BaseModel):
    """A new API key of the signed-in user."""

    name: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"[^ \t\r\n]",
        description="What or who uses the key (not only spaces).",
    )
    scopes: list[Scope] = Field(
        default_factory=lambda: list[Scope](["read"]),
        min_length=1,
        max_length=len(SCOPE_ROLES),
        description=f"One or more of: {', '.join(SCOPE_ROLES)}.",
    )
    expires_days: int = Field(
        default=DEFAULT_KEY_DAYS,
        ge=1,
        le=MAX_KEY_DAYS,
        description="Days the key stays valid (every key expires).",
    )


@router.post(
    "",
    response_model=NewApiKeyOut,
    status_code=201,
    summary="Create an API key (shown once)",
    responses=problem_responses(400),
)
def create_key(
    body: KeyIn, request: Request, accounts: AccountsDep, principal: Member
) -> NewApiKeyOut:
    """A key for the signed-in user; ``key`` is in this answer only. The write is audited."""
    assert principal.username is not None
    created = accounts.create_key(
        principal.username, body.name, scopes=body.scopes, days=body.expires_days
    )
    accounts.audit(
        principal.actor,
        "key.create",
        f"keys/{created.id}",
        {"prefix": created.prefix, "scopes": created.scopes, "expires_at": str(created.expires_at)},
        ip=client_ip(request),
    )
    return created


@router.get("", response_model=list[ApiKeyOut], summary="List API keys")
def list_keys(
    accounts: AccountsDep,
    principal: Member,
    user: Annotated[str | None, Query(max_length=100, description="Another user's keys.")] = None,
) -> list[ApiKeyOut]:
    """The signed-in user's keys (never the keys themselves); the secretariat may ask for any."""
    if user is not None and user != principal.username:
        if not at_least(principal.role, "secretariat"):
            raise PermissionDeniedError("only the secretariat or an admin may list others' keys")
        return accounts.list_keys(user)
    return accounts.list_keys(principal.username)


@router.delete("/{key_id}", response_model=ApiKeyOut, summary="Revoke an API key")
def revoke_key(
    key_id: Annotated[int, Path(ge=1, le=2**62)],
    request: Request,
    accounts: AccountsDep,
    principal: Member,
) -> ApiKeyOut:
    """Revoke a key at once (one's own; the secretariat any). The write is audited."""
    revoked = accounts.revoke_key(key_id, by=principal)
    accounts.audit(
        principal.actor,
        "key.revoke",
        f"keys/{key_id}",
        {"prefix": revoked.prefix},
        ip=client_ip(request),
    )
    return revoked
