"""The shipped Alembic migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool

import critchem.accounts.models
import critchem.accounts.revoked
import critchem.accounts.throttle
import critchem.alliance.models
import critchem.carbon.pact.models
import critchem.investment.pipeline_models
import critchem.notify.models
import critchem.surveillance.alerts.models  # noqa: F401  (every model module: all tables join Base.metadata)
from critchem.core.database import Base
from critchem.core.migrate import current, head, migrate
from critchem.surveillance.alerts import AlertStore

TABLES = {
    "alert",
    "alert_event",
    "alert_transition",
    "monitor_run",
    "subscription",
    "delivery",
    "user_account",
    "api_key",
    "audit_entry",
    "project_version",
    "pipeline_release",
    "revoked_token",
    "signin_attempt",
    "alembic_version",
    "alliance_organisation",
    "alliance_signature",
    "alliance_body",
    "alliance_body_member",
    "alliance_seat",
    "alliance_meeting",
    "alliance_document",
    "alliance_motion",
    "alliance_motion_version",
    "alliance_comment",
    "alliance_vote",
    "alliance_deliverable",
    "pact_client",
    "pact_footprint",
    "pact_event",
    "pact_callback_host",
    "pact_outbox",
    "custody_record",
    "custody_input",
    "custody_account",
}


def test_upgrade_creates_the_tables_and_twice_is_a_no_op(alert_db_url: str) -> None:
    engine = create_engine(alert_db_url, poolclass=pool.NullPool)
    try:
        assert set(inspect(engine).get_table_names()) == set()
        assert current(engine) is None
        migrate(alert_db_url)
        assert set(inspect(engine).get_table_names()) == TABLES
        assert current(engine) == head()
        columns = {c["name"] for c in inspect(engine).get_columns("alert")}
        migrate(alert_db_url)
        assert set(inspect(engine).get_table_names()) == TABLES
        assert {c["name"] for c in inspect(engine).get_columns("alert")} == columns
        assert current(engine) == head()
    finally:
        engine.dispose()


def test_migrations_match_the_models(alert_db_url: str) -> None:
    migrate(alert_db_url)
    engine = create_engine(alert_db_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_store_migrates_on_first_use_only(alert_db_url: str) -> None:
    store = AlertStore(alert_db_url)
    assert store._engine is None  # nothing connects before first use
    try:
        assert store.list() == []
        assert current(store.engine) == head()
    finally:
        store.dispose()


def test_sqlite_store_creates_its_folder(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path)) / "new" / "folder"
    store = AlertStore(f"sqlite:///{folder / 'critchem.db'}")
    try:
        assert store.count() == 0
        assert (folder / "critchem.db").exists()
    finally:
        store.dispose()
