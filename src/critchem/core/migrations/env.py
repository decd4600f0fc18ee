"""Alembic environment of the application database.

``migrate`` passes an open connection in ``config.attributes["connection"]``; otherwise the
URL in the ``sqlalchemy.url`` option is used. The revisions are explicit operations, so
upgrading needs no model; ``target_metadata`` is ``Base.metadata`` with the tables of the
model modules imported so far (import them all before drafting a revision with
``autogenerate``, as ``tests/core/test_migrations.py`` does). Importing this module outside
Alembic (as the doctest collector does) does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from critchem.core.database import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Run the migrations offline (SQL script) or online (against the database)."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if url is None:
        raise RuntimeError("set the sqlalchemy.url option or pass a connection")
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if hasattr(context, "config"):
    run()
