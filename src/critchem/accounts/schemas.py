"""Public schemas of accounts, API keys and audit entries (never a hash, never a stored key)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from critchem.accounts.roles import Role


class UserOut(BaseModel):
    """A user account, without its password hash."""

    id: int
    username: str
    full_name: str
    email: str | None
    organisation: str
    role: Role
    active: bool
    created_at: datetime


class ApiKeyOut(BaseModel):
    """An API key as stored: its prefix identifies it; the key itself is never kept."""

    id: int
    username: str
    name: str
    prefix: str
    scopes: list[str] = Field(description="What the key may do (see the scopes table).")
    created_at: datetime
    expires_at: datetime | None = Field(description="When the key stops working.")
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewApiKeyOut(ApiKeyOut):
    """A key just created: ``key`` is shown this once and cannot be read back."""

    key: str = Field(description="The key, ck_<prefix>_<secret>; store it now.")


class AuditOut(BaseModel):
    """One audited write."""

    id: int
    at: datetime
    actor: str
    action: str
    resource: str
    detail: dict[str, Any]
    ip: str | None


USER_COLUMNS = ("id", "username", "full_name", "organisation", "role", "active", "created_at")
"""The columns of a user table in the CLI."""
