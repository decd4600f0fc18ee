"""Schema migrations of the application database, run programmatically with Alembic.

One history covers every table of every domain (alerts, notifications, accounts, the project
pipeline, the Alliance). The scripts ship inside the package (``migrations/``); Alembic is
configured in code, so no ``alembic.ini`` is needed at run time. To draft a new revision
after changing a model, import every model module (so that their tables join
``Base.metadata``) and compare against a database at head::

    from alembic import command
    command.revision(alembic_config("sqlite:///dev.db"), message="...", autogenerate=True)
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, pool, text

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where it is used: importing the database core (every server start,
# most commands) should not cost Alembic's import before the first database use.

LOCK_KEY = 4_217_000_017
"""PostgreSQL advisory lock held while migrating (one migration at a time per database)."""
SQLITE_WAIT_SECONDS = 60.0
"""How long a migration waits for another one on the same SQLite file to finish."""
_ALEMBIC = threading.Lock()
"""Alembic keeps the running migration's context in module globals (``alembic.context``), so
two migrations in one process at the same moment, even of different databases, see each
other's; they take turns instead."""
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
"""The folder of the Alembic environment and its revisions."""


def alembic_config(url: str) -> Config:
    """An Alembic ``Config`` for the database at ``url``, pointing at the shipped scripts."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head() -> str:
    """The revision id the shipped migrations lead to."""
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if revision is None:  # pragma: no cover - the package ships revisions
        raise RuntimeError(f"no Alembic revision in {MIGRATIONS}")
    return revision


def current(engine: Engine) -> str | None:
    """The revision the database behind ``engine`` is at (``None``: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(url: str | Engine, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (a URL or an engine) to ``revision``.

    Running it on an up-to-date database is a no-op.

    Parameters
    ----------
    url
        SQLAlchemy URL (e.g. ``sqlite:///critchem.db`` or
        ``postgresql+psycopg://user:password@host/db``) or an engine.
    revision
        Target revision, ``head`` by default.
    """
    from alembic import command

    if isinstance(url, str):
        sqlite = url.startswith("sqlite")
        connect_args = {"timeout": SQLITE_WAIT_SECONDS} if sqlite else {}
        engine = create_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
    else:
        engine = url
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with _ALEMBIC, engine.begin() as connection:
            # several processes start at once: one migrates, the others wait, then find head
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            elif connection.dialect.name == "sqlite":
                # the write lock before Alembic reads the version (pysqlite begins lazily)
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if isinstance(url, str):
            engine.dispose()
