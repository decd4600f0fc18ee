"""The application database: one declarative ``Base``, aware UTC timestamps, and ``Database``.

Every table of every domain (alerts, notifications, accounts, the project pipeline, the
Alliance) derives from ``Base``, so one Alembic history (:mod:`critchem.core.migrate`) covers
the whole schema. ``Database`` opens its engine on first use only, migrating the schema to
the shipped head then; no connection is made at import time.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, Engine, MetaData, create_engine
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from critchem.core.migrate import migrate


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored in UTC and always read back as aware UTC.

    SQLite has no time zones: it returns naive values, which are UTC by construction here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()}: timestamps must be aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names of every table (the migrations name their constraints the same way)."""


class Base(DeclarativeBase):
    """Declarative base of every table (constraint names follow ``NAMING``)."""

    metadata = MetaData(naming_convention=NAMING)


class Database:
    """The SQL database (SQLite or PostgreSQL) at ``url``, opened and migrated on first use.

    Parameters
    ----------
    url
        SQLAlchemy URL, e.g. ``sqlite:///critchem.db`` or
        ``postgresql+psycopg://critchem:secret@localhost/critchem``. The folder of a SQLite
        file is created if needed.
    auto_migrate
        Upgrade the schema to the shipped head on first use (default ``True``).
    """

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.auto_migrate = auto_migrate
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._opening = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The engine, created (and the schema migrated) on first use, by one thread only.

        A server's first requests arrive together; Alembic's migration context is global,
        and two threads migrating at once failed with ``KeyError: 'config'``.
        """
        if self._engine is not None:
            return self._engine
        with self._opening:
            if self._engine is not None:
                return self._engine
            url = make_url(self.url)
            if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url)
            if self.auto_migrate:
                migrate(engine)
            self._sessions = sessionmaker(engine, expire_on_commit=False)
            self._engine = engine  # last: other threads take a set engine as ready
        return self._engine

    def session(self) -> Session:
        """A new ORM session (objects stay readable after commit)."""
        self.engine  # noqa: B018 - creates the engine and the session factory
        assert self._sessions is not None
        return self._sessions()

    def dispose(self) -> None:
        """Close the pooled connections (the database opens them again when used)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._sessions = None
