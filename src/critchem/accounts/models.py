"""The account tables as typed SQLAlchemy ORM models.

``User`` is one person with a role and an organisation, ``ApiKey`` a key a user gives to a
script (only its SHA-256 is stored, never the key), ``AuditEntry`` one write made through the
service. They share the declarative ``Base`` of :mod:`critchem.core.database`, so one Alembic
history (``core/migrations``, revision 0003) covers them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from critchem.core.database import Base, UtcDateTime, utcnow


class User(Base):
    """A person who signs in: user name, contact, organisation, role and password hash."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="member")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    api_keys: Mapped[list[ApiKey]] = relationship(
        back_populates="user", order_by="ApiKey.id", cascade="all, delete-orphan"
    )


class ApiKey(Base):
    """A key of a user, ``ck_<prefix>_<secret>``: the prefix finds it, the SHA-256 checks it.

    ``scopes`` is a space-separated list (see ``critchem.accounts.scopes``); a key stops
    working at ``expires_at`` (migration 0008 gave the keys made before it 90 days and the
    ``read`` scope).
    """

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_sha256: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(200), default="read")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(back_populates="api_keys")


class AuditEntry(Base):
    """One write through the service: when, who, what, on which resource, from where."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    resource: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
