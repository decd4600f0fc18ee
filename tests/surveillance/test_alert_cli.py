"""``critchem alerts`` over a SQLite file, in process."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.alerts import app
from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event

runner = CliRunner()


@pytest.fixture
def alert_cli_db(tmp_path: Path, alert_make_event: Callable[..., Event]) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = AlertStore(url)
    store.upsert(
        fuse(
            [
                alert_make_event("volume", "red"),
                alert_make_event("price", "amber"),
                alert_make_event("volume", "amber", partner="US"),
            ]
        )
    )
    store.dispose()
    return url


def invoke(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db])
    return result.exit_code, result.stdout, result.stderr


def test_list_json_and_filters(alert_cli_db: str) -> None:
    code, out, _ = invoke(alert_cli_db, "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["severity"] for r in rows] == ["amber", "red"]
    assert rows[1]["families"] == ["price", "volume"]
    code, out, _ = invoke(alert_cli_db, "list", "--severity", "red", "--format", "json")
    assert [r["partner"] for r in json.loads(out)] == ["CN"]
    code, out, _ = invoke(alert_cli_db, "list", "--limit", "1", "--offset", "1", "-f", "json")
    assert len(json.loads(out)) == 1
    code, out, _ = invoke(alert_cli_db, "list", "--since", "2024-04", "-f", "json")
    assert json.loads(out) == []


def test_list_csv_and_table(alert_cli_db: str) -> None:
    code, out, _ = invoke(alert_cli_db, "list", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["state"] for r in rows} == {"new"}
    assert rows[0].keys() >= {"id", "severity", "title", "families"}
    code, out, _ = invoke(alert_cli_db, "list")
    assert code == 0 and "Alerts" in out and "China" in out


def test_ack_close_and_show(alert_cli_db: str) -> None:
    code, out, _ = invoke(alert_cli_db, "list", "--severity", "red", "-f", "json")
    alert_id = str(json.loads(out)[0]["id"])
    code, out, _ = invoke(
        alert_cli_db, "ack", alert_id, "--by", "alice", "--note", "on it", "-f", "json"
    )
    assert code == 0
    assert json.loads(out)["state"] == "acknowledged"
    code, out, _ = invoke(
        alert_cli_db, "close", alert_id, "--by", "bob", "--reason", "known", "-f", "json"
    )
    assert code == 0
    assert json.loads(out)["close_reason"] == "known"
    code, out, _ = invoke(alert_cli_db, "show", alert_id, "--format", "json")
    detail = json.loads(out)
    assert [t["to_state"] for t in detail["transitions"]] == ["new", "acknowledged", "closed"]
    assert {e["family"] for e in detail["events"]} == {"price", "volume"}
    assert detail["provenance"]["code_version"]
    code, out, _ = invoke(alert_cli_db, "show", alert_id)
    assert code == 0 and "Events" in out and "volume_test" in out
    code, out, _ = invoke(alert_cli_db, "list", "--state", "closed", "-f", "json")
    assert [r["id"] for r in json.loads(out)] == [int(alert_id)]


def test_errors_are_clear_and_non_zero(alert_cli_db: str) -> None:
    code, _, err = invoke(alert_cli_db, "close", "1", "--by", "bob", "--reason", "done")
    assert code == 0
    code, _, err = invoke(alert_cli_db, "ack", "1", "--by", "alice")
    assert code == 2
    assert "alert 1 is closed: cannot acknowledge it" in err
    code, _, err = invoke(alert_cli_db, "show", "42")
    assert code == 3
    assert "no alert with id 42" in err
    code, _, err = invoke(alert_cli_db, "list", "--state", "open")
    assert code == 2 and "unknown state 'open'" in err
    code, _, _ = invoke(alert_cli_db, "ack", "1")
    assert code != 0  # --by is required
