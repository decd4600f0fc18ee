"""``critchem subscriptions`` over a SQLite file and a local webhook server, in process."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.subscriptions import app
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.base import Event
from tests.surveillance.notify_helpers import store_alerts, webhook_receiver

runner = CliRunner()
SECRET = "correct-horse-battery-staple"


@pytest.fixture
def notify_cli_db(tmp_path: Path, alert_make_event: Callable[..., Event]) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = AlertStore(url)
    store_alerts(store, alert_make_event)
    store.dispose()
    return url


def invoke(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db])
    return result.exit_code, result.stdout, result.stderr


def test_add_list_deliver_remove(notify_cli_db: str) -> None:
    with webhook_receiver() as receiver:
        code, out, err = invoke(
            notify_cli_db, "add", "--name", "ops", "--webhook", receiver.url, "--secret", SECRET,
            "--min-severity", "red", "-f", "json",
        )  # fmt: skip
        assert code == 0, err
        added = json.loads(out)
        assert added["channel"] == "webhook" and added["secret"] == "****le"
        code, out, _ = invoke(
            notify_cli_db, "add", "--name", "desk", "--email", "desk@example.org",
            "--product", "2811", "--molecule", "ethylene", "-f", "json",
        )  # fmt: skip
        assert code == 0
        assert json.loads(out)["secret"] is None

        for fmt in ("table", "json", "csv"):
            code, out, _ = invoke(notify_cli_db, "list", "--format", fmt)
            assert code == 0
            assert SECRET not in out
        code, out, _ = invoke(notify_cli_db, "list", "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [(r["name"], r["min_severity"], r["secret"]) for r in rows] == [
            ("ops", "red", "****le"),
            ("desk", "amber", ""),
        ]
        code, out, _ = invoke(notify_cli_db, "list")
        assert "Subscriptions" in out and "ops" in out

        code, out, err = invoke(notify_cli_db, "deliver", "--format", "json")
        assert code == 0, err
    [delivery] = json.loads(out)  # the e-mail filters (2811 and ethylene) match nothing
    assert delivery["status"] == "delivered" and delivery["http_status"] == 200
    [request] = receiver.requests
    digest = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Critchem-Signature"] == f"sha256={digest}"

    code, out, err = invoke(notify_cli_db, "deliver")
    assert code == 0 and "No results (Deliveries)." in out + err  # nothing left to deliver

    code, out, _ = invoke(notify_cli_db, "remove", str(added["id"]), "-f", "json")
    assert code == 0 and json.loads(out)["name"] == "ops"
    code, out, _ = invoke(notify_cli_db, "list", "-f", "json")
    assert [r["name"] for r in json.loads(out)] == ["desk"]


def test_errors_are_clear_and_non_zero(notify_cli_db: str) -> None:
    code, _, err = invoke(notify_cli_db, "remove", "42")
    assert code == 3 and "no subscription with id 42" in err
    code, _, err = invoke(notify_cli_db, "add", "--name", "x")
    assert code == 2 and "either --webhook" in err
    code, _, err = invoke(notify_cli_db, "add", "--name", "x", "--webhook", "http://h/x")
    assert code == 2 and "a secret is needed" in err
    code, _, err = invoke(
        notify_cli_db, "add", "--name", "x", "--webhook", "ftp://h", "--secret", "s"
    )
    assert code == 2 and "http:// or https://" in err
    code, _, err = invoke(notify_cli_db, "add", "--name", "x", "--email", "nobody")
    assert code == 2 and "expected name@domain" in err
    code, _, err = invoke(
        notify_cli_db, "add", "--name", "x", "--email", "a@b.org", "--min-severity", "high"
    )
    assert code == 2 and "unknown severity 'high'" in err
    code, _, err = invoke(
        notify_cli_db, "add", "--name", "x", "--email", "a@b.org", "--product", "29x"
    )
    assert code == 2 and "product prefix '29x'" in err
