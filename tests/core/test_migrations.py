"""The one Alembic history of the application database, after its move into ``critchem.core``.

A fresh SQLite file migrates to head; a database written at the old head (``0007``, before
the move) is recognised as such, keeps its rows and upgrades like any other.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, pool, select

from critchem.accounts.models import User
from critchem.core.migrate import MIGRATIONS, alembic_config, current, head, migrate
from critchem.surveillance.alerts import AlertStore

DATA = Path(__file__).parent / "data"
OLD_HEAD = "0007"
"""The head when the migrations lived in ``surveillance/alerts`` (the dump's revision)."""


def _database_at_old_head(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        connection.executescript((DATA / "database_at_0007.sql").read_text(encoding="utf-8"))
    finally:
        connection.close()
    return f"sqlite:///{path}"


def test_the_history_has_one_head_and_keeps_its_revision_ids() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert scripts.get_heads() == [head()]
    ids = [s.revision for s in scripts.walk_revisions(base="base", head="heads")]
    # revision ids are what databases record: the move must not have changed them
    for old in ("0001", "0002", "0003", "0004", "0005", "0006", "0007"):
        assert old in ids
    assert MIGRATIONS.parent.name == "core"


def test_a_fresh_sqlite_file_migrates_to_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate(url)
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        assert current(engine) == head()
        assert {"alert", "subscription", "user_account", "project_version"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_a_database_at_the_old_head_migrates_and_keeps_its_rows(tmp_path: Path) -> None:
    url = _database_at_old_head(tmp_path / "old.db")
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        assert current(engine) == OLD_HEAD
        migrate(url)
        assert current(engine) == head()
    finally:
        engine.dispose()
    store = AlertStore(url)
    try:
        (listed,) = store.list()
        alert = store.get(listed.id)
        assert alert.title == "Example alert"
        assert alert.provenance == {"source": "synthetic"}
        with store.session() as session:
            assert session.scalars(select(User.username)).all() == ["example.analyst"]
    finally:
        store.dispose()
