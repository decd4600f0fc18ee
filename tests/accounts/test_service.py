"""The account service and its migration, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from argon2 import PasswordHasher
from sqlalchemy import create_engine, inspect, pool, select, text

from critchem.accounts import Accounts
from critchem.accounts.models import ApiKey, User
from critchem.accounts.passwords import hash_password
from critchem.accounts.service import key_digest
from critchem.core.errors import AccountError, AuthenticationError, UserNotFoundError
from critchem.core.migrate import alembic_config, current, migrate
from critchem.surveillance.alerts import AlertStore

PASSWORD = "correct horse battery"


def test_r0003_creates_the_account_tables(alert_db_url: str) -> None:
    migrate(alert_db_url, "0002")
    engine = create_engine(alert_db_url, poolclass=pool.NullPool)
    try:
        assert "user_account" not in inspect(engine).get_table_names()
        migrate(alert_db_url, "0003")
        assert current(engine) == "0003"
        tables = set(inspect(engine).get_table_names())
        assert {"user_account", "api_key", "audit_entry"} <= tables
        assert {c["name"] for c in inspect(engine).get_columns("api_key")} == {
            "id",
            "user_id",
            "name",
            "prefix",
            "key_sha256",
            "created_at",
            "last_used_at",
            "revoked_at",
        }
        command.downgrade(alembic_config(alert_db_url), "0002")  # drops them again
        assert "user_account" not in set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_users_roles_and_passwords(accounts: Accounts) -> None:
    ana = accounts.add_user("ana", password=PASSWORD, role="analyst", organisation="Acme")
    assert (ana.role, ana.organisation, ana.active) == ("analyst", "Acme", True)
    with pytest.raises(AccountError, match="already taken"):
        accounts.add_user("ana", password=PASSWORD)
    with pytest.raises(AccountError, match="unknown role"):
        accounts.add_user("bob", password=PASSWORD, role="boss")
    with pytest.raises(AccountError, match="too short"):
        accounts.add_user("bob", password="short")
    principal = accounts.authenticate_password("ana", PASSWORD)
    assert (principal.username, principal.role, principal.organisation) == (
        "ana",
        "analyst",
        "Acme",
    )
    with pytest.raises(AuthenticationError):
        accounts.authenticate_password("ana", "wrong password")
    with pytest.raises(AuthenticationError):
        accounts.authenticate_password("nobody", PASSWORD)
    assert accounts.set_role("ana", "secretariat").role == "secretariat"
    accounts.reset_password("ana", "a new password")
    assert accounts.authenticate_password("ana", "a new password").role == "secretariat"
    accounts.disable_user("ana")
    with pytest.raises(AuthenticationError):
        accounts.authenticate_password("ana", "a new password")
    with pytest.raises(UserNotFoundError):
        accounts.set_role("nobody", "member")
    assert [u.username for u in accounts.list_users()] == ["ana"]


def test_old_hash_is_upgraded_on_sign_in(alert_db_url: str) -> None:
    store = AlertStore(alert_db_url)
    try:
        accounts = Accounts(store.session)
        accounts.add_user("ana", password=PASSWORD)
        weak = hash_password(PASSWORD, PasswordHasher(time_cost=1, memory_cost=8 * 1024))
        with store.session() as session, session.begin():
            session.execute(
                text("UPDATE user_account SET password_hash = :h WHERE username = 'ana'"),
                {"h": weak},
            )
        accounts.authenticate_password("ana", PASSWORD)
        with store.session() as session:
            upgraded = session.scalar(select(User.password_hash).where(User.username == "ana"))
        assert upgraded != weak and upgraded is not None and upgraded.startswith("$argon2id$")
    finally:
        store.dispose()


def test_api_keys_are_stored_as_hashes(alert_db_url: str) -> None:
    store = AlertStore(alert_db_url)
    try:
        accounts = Accounts(store.session)
        accounts.add_user("ana", password=PASSWORD, role="analyst")
        created = accounts.create_key("ana", "script")
        assert created.key.startswith(f"ck_{created.prefix}_")
        with store.session() as session:
            row = session.scalars(select(ApiKey)).one()
            assert row.key_sha256 == key_digest(created.key)
            assert created.key not in (row.prefix, row.key_sha256, row.name)
        principal = accounts.authenticate_key(created.key)
        assert (principal.username, principal.via, principal.key_name) == (
            "ana",
            "api-key",
            "script",
        )
        for bad in ("ck_nothing", "xx_a_b", f"ck_{created.prefix}_wrong"):
            with pytest.raises(AuthenticationError):
                accounts.authenticate_key(bad)
        revoked = accounts.revoke_key(created.id)
        assert revoked.revoked_at is not None
        assert accounts.revoke_key(created.id).revoked_at == revoked.revoked_at
        with pytest.raises(AuthenticationError, match="revoked"):
            accounts.authenticate_key(created.key)
        with pytest.raises(UserNotFoundError):
            accounts.revoke_key(999)
    finally:
        store.dispose()


def test_audit_log(accounts: Accounts) -> None:
    accounts.audit("ana", "alert.ack", "alerts/1", {"note": "looking"}, ip="10.0.0.1")
    accounts.audit("bob", "alert.close", "alerts/1", {"reason": "noise"})
    entries, total = accounts.list_audit()
    assert total == 2
    assert [e.action for e in entries] == ["alert.close", "alert.ack"]
    (ack,), one = accounts.list_audit(actor="ana")
    assert one == 1 and ack.detail == {"note": "looking"} and ack.ip == "10.0.0.1"
