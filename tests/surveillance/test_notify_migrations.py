"""Revision 0002 (subscription and delivery tables), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool

import critchem.investment.pipeline_models  # noqa: F401  (its table joins Base.metadata)
from critchem.core.database import Base
from critchem.core.migrate import alembic_config, current, head, migrate
from critchem.notify.models import Delivery, Subscription

NOTIFY_TABLES = {Subscription.__tablename__, Delivery.__tablename__}


def test_revision_0002_creates_the_notification_tables(alert_db_url: str) -> None:
    engine = create_engine(alert_db_url, poolclass=pool.NullPool)
    try:
        migrate(alert_db_url, "0001")
        assert not NOTIFY_TABLES & set(inspect(engine).get_table_names())
        migrate(alert_db_url)
        assert current(engine) == head()
        assert set(inspect(engine).get_table_names()) >= NOTIFY_TABLES | {"alert"}
        uniques = inspect(engine).get_unique_constraints("delivery")
        assert [u["column_names"] for u in uniques] == [["subscription_id", "alert_id"]]
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        migrate(alert_db_url)  # a no-op at head
        assert current(engine) == head()
    finally:
        engine.dispose()


def test_revision_0002_downgrades(alert_db_url: str) -> None:
    migrate(alert_db_url)
    engine = create_engine(alert_db_url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            config = alembic_config(alert_db_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        assert current(engine) == "0001"
        assert not NOTIFY_TABLES & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
