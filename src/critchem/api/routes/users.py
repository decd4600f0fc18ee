"""``/users`` (admin) and ``/audit`` (secretariat and admin): accounts and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from critchem.accounts.roles import Role
from critchem.accounts.schemas import AuditOut, UserOut
from critchem.api.problems import problem_responses
from critchem.api.schemas import MAX_PAGE, Page
from critchem.api.security import AccountsDep, Admin, Secretariat, client_ip

router = APIRouter(tags=["accounts"], responses=problem_responses(403))


class UserIn(BaseModel):
    """A new user account."""

    username: str = Field(
        min_length=1,
        max_length=100,
        # No white space, spelt out: ECMAScript's \s and Python's str.isspace differ (Python
        # adds \x1c-\x1f and \x85; ECMAScript adds \ufeff), and the schema must refuse both.
        pattern=(
            r"^[^\x09-\x0d\x20\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f"
            r"\u3000\ufeff]+$"
        ),
        description="1-100 characters, no white space.",
    )
    password: str = Field(min_length=8, max_length=1000)
    role: Role = "member"
    organisation: str = Field(default="", max_length=200)
    full_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320)


@router.get("/users", response_model=list[UserOut], summary="List users (admin)")
def list_users(accounts: AccountsDep, _admin: Admin) -> list[UserOut]:
    """Every user account, by name."""
    return accounts.list_users()


@router.post(
    "/users",
    response_model=UserOut,
    status_code=201,
    summary="Add a user (admin)",
    responses=problem_responses(409),
)
def add_user(body: UserIn, request: Request, accounts: AccountsDep, admin: Admin) -> UserOut:
    """Create a user account; the write is audited (without the password)."""
    user = accounts.add_user(
        body.username,
        password=body.password,
        role=body.role,
        organisation=body.organisation,
        full_name=body.full_name,
        email=body.email,
    )
    accounts.audit(
        admin.actor,
        "user.add",
        f"users/{user.username}",
        {"role": user.role, "organisation": user.organisation},
        ip=client_ip(request),
    )
    return user


@router.get("/audit", response_model=Page[AuditOut], summary="Audit log (secretariat)")
def audit(
    accounts: AccountsDep,
    _reader: Secretariat,
    action: Annotated[str | None, Query(max_length=64)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> Page[AuditOut]:
    """Audited writes, newest first."""
    items, total = accounts.list_audit(action=action, actor=actor, limit=limit, offset=offset)
    return Page[AuditOut](items=items, total=total, limit=limit, offset=offset)
