"""``Alliance``: the membership, governance and motions services over one database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from critchem.alliance.governance import Governance
from critchem.alliance.membership import Membership
from critchem.alliance.motions import Motions
from critchem.core.database import utcnow


class Alliance:
    """The Alliance's workings: ``membership``, ``governance`` and ``motions``.

    The tables live in the application database (Alembic revision ``0006``), so
    ``Alliance`` takes the session factory of a :class:`~critchem.core.database.Database`,
    which migrates on first use.
    """

    def __init__(
        self, sessions: Callable[[], Session], *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.membership = Membership(sessions, clock=clock)
        self.governance = Governance(sessions, clock=clock)
        self.motions = Motions(sessions, clock=clock)
