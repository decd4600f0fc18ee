"""Revoked access tokens (a ``jti`` deny-list): logout ends a token before it expires.

Every access token carries a random ``jti``. Logging out records it here until the token
would have expired anyway; every request checks the list, so a copied token stops working
at logout, in every worker (the list is in the shared database).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from critchem.core.database import Base, UtcDateTime, utcnow


class RevokedToken(Base):
    """One revoked token: its ``jti`` and when it expires (then the row may go)."""

    __tablename__ = "revoked_token"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


def revoke(sessions: Callable[[], Session], jti: str, expires_at: datetime) -> None:
    """Deny the token ``jti`` until ``expires_at``; expired entries are purged."""
    if not jti:
        return
    with sessions() as session, session.begin():
        session.execute(delete(RevokedToken).where(RevokedToken.expires_at < utcnow()))
        if session.get(RevokedToken, jti) is None:
            session.add(RevokedToken(jti=jti, expires_at=expires_at))


def is_revoked(sessions: Callable[[], Session], jti: str) -> bool:
    """Whether the token ``jti`` was revoked."""
    if not jti:
        return False
    with sessions() as session:
        return session.scalar(select(RevokedToken.jti).where(RevokedToken.jti == jti)) is not None
