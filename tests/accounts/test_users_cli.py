"""``critchem users`` through Typer's CliRunner, on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from critchem.accounts import Accounts
from critchem.cli.users import app
from critchem.surveillance.alerts import AlertStore

runner = CliRunner()
PASSWORD = "correct horse battery"


def _run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def test_users_cli_round_trip(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'critchem.db'}"
    code, out = _run(
        "add", "ana", "--role", "analyst", "--org", "Acme", "--password-stdin", "--db", db,
        "--format", "json", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, out
    assert json.loads(out)["role"] == "analyst"
    code, out = _run("add", "bob", "--db", db, stdin=f"{PASSWORD}\n{PASSWORD}\n")  # prompt
    assert code == 0, out
    code, out = _run("add", "ana", "--password-stdin", "--db", db, stdin=PASSWORD + "\n")
    assert code == 2 and "already taken" in out
    code, out = _run("list", "--db", db, "--format", "json")
    assert [(u["username"], u["role"]) for u in json.loads(out)] == [
        ("ana", "analyst"),
        ("bob", "member"),
    ]
    assert "hash" not in out
    code, out = _run("set-role", "bob", "secretariat", "--db", db, "--format", "json")
    assert json.loads(out)["role"] == "secretariat"
    code, out = _run("set-role", "bob", "boss", "--db", db)
    assert code == 2 and "unknown role" in out
    code, out = _run(
        "reset-password", "bob", "--password-stdin", "--db", db, stdin="new pass 123\n"
    )
    assert code == 0, out
    code, out = _run("disable", "nobody", "--db", db)
    assert code == 3

    code, out = _run("key", "create", "ana", "--name", "nightly", "--db", db, "--format", "json")
    assert code == 0, out
    created = json.loads(out)
    assert created["key"].startswith("ck_")
    assert created["scopes"] == ["read"] and created["expires_at"]
    code, out = _run("key", "list", "--db", db, "--format", "json")
    assert "key" not in json.loads(out)[0] and created["key"] not in out
    code, out = _run(
        "key", "create", "ana", "--name", "w", "--scope", "read", "--scope", "write:alerts",
        "--expires-days", "7", "--db", db, "--format", "json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["scopes"] == ["read", "write:alerts"], out
    code, out = _run("key", "create", "ana", "--name", "x", "--scope", "admin", "--db", db)
    assert code == 2 and "needs the secretariat role" in out
    code, out = _run("key", "create", "ana", "--name", "x", "--expires-days", "0", "--db", db)
    assert code == 2 and "1 to 365 days" in out

    store = AlertStore(db)
    try:
        accounts = Accounts(store.session)
        assert accounts.authenticate_key(created["key"]).username == "ana"
        assert accounts.authenticate_password("bob", "new pass 123").role == "secretariat"
        code, out = _run("key", "revoke", str(created["id"]), "--db", db, "--format", "json")
        assert code == 0 and json.loads(out)["revoked_at"] is not None
        code, out = _run("disable", "ana", "--db", db, "--format", "json")
        assert json.loads(out)["active"] is False
    finally:
        store.dispose()
