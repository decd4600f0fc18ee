"""Migration 0008: keys made before scopes existed become read-only and expire in 90 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, inspect, pool, text

from critchem.accounts import Accounts
from critchem.core.migrate import current, head, migrate
from critchem.surveillance.alerts import AlertStore


def test_legacy_keys_get_read_and_an_expiry(alert_db_url: str) -> None:
    migrate(alert_db_url, "0007")
    engine = create_engine(alert_db_url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO user_account (id, username, full_name, organisation, role, "
                    "password_hash, active, created_at) VALUES (1, 'ana', '', '', 'analyst', "
                    "'x', true, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO api_key (id, user_id, name, prefix, key_sha256, created_at) "
                    "VALUES (1, 1, 'old', 'abcd1234', 'f', CURRENT_TIMESTAMP)"
                )
            )
        migrate(alert_db_url)
        assert current(engine) == head()
        assert {"scopes", "expires_at"} <= {
            c["name"] for c in inspect(engine).get_columns("api_key")
        }
    finally:
        engine.dispose()
    store = AlertStore(alert_db_url)
    try:
        (key,) = Accounts(store.session).list_keys()
        assert key.scopes == ["read"]
        assert key.expires_at is not None
        left = key.expires_at - datetime.now(UTC)
        assert timedelta(days=89) < left <= timedelta(days=90)
    finally:
        store.dispose()
