"""What the Alliance services share: the session factory, the audit trail and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from critchem.accounts.models import AuditEntry
from critchem.alliance.models import Body, Organisation
from critchem.core.database import utcnow
from critchem.core.errors import AllianceNotFoundError

MAX_ID = 2**63 - 1
"""Ids are 64-bit signed integers in every database: a larger number names nothing."""


def valid_id(value: int) -> bool:
    """Whether ``value`` can be a row id (1 to 2**63 - 1)."""
    return 1 <= value <= MAX_ID


class ServiceBase:
    """A service over the sessions made by ``sessions``; ``clock`` gives the current time."""

    def __init__(
        self, sessions: Callable[[], Session], *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    def _audit(
        self,
        session: Session,
        actor: str,
        action: str,
        resource: str,
        detail: dict[str, Any] | None = None,
        *,
        ip: str | None = None,
    ) -> None:
        """Record one state change in the audit log, in the same transaction as the change."""
        session.add(
            AuditEntry(
                at=self._clock(),
                actor=actor[:200],
                action=action,
                resource=resource[:200],
                detail=detail or {},
                ip=ip,
            )
        )

    @staticmethod
    def _organisation(session: Session, ref: int | str) -> Organisation:
        """The organisation with id ``ref`` (a number) or name ``ref`` (case-insensitive)."""
        org: Organisation | None
        if isinstance(ref, int) or str(ref).isdigit():
            org = session.get(Organisation, int(ref)) if valid_id(int(ref)) else None
        else:
            org = session.scalar(
                select(Organisation).where(Organisation.name.ilike(str(ref).strip()))
            )
        if org is None:
            names = session.scalars(select(Organisation.name).order_by(Organisation.name)).all()
            raise AllianceNotFoundError(f"no organisation {ref!r}", suggestions=list(names)[:10])
        return org

    @staticmethod
    def _body(session: Session, slug: str) -> Body:
        body = session.scalar(select(Body).where(Body.slug == slug))
        if body is None:
            slugs = session.scalars(select(Body.slug).order_by(Body.slug)).all()
            raise AllianceNotFoundError(f"no body {slug!r}", suggestions=list(slugs))
        return body
