"""The deployment: the compose file, and several workers on one port against PostgreSQL.

No container engine is needed: the compose file is checked for what the deployment relies
on, and the same processes it starts (``critchem serve --workers N`` on a PostgreSQL
database) run here directly.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from critchem.accounts import Accounts
from critchem.surveillance.alerts import AlertStore
from tests.api.conftest import PASSWORD, free_port, wait_for_health
from tests.surveillance.conftest import alert_postgres_base, fresh_postgres_schema  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
V1 = "/api/v1"


def test_the_compose_file_runs_postgresql_and_several_workers() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    db, api = compose["services"]["db"], compose["services"]["api"]
    assert db["image"].startswith("postgres:") and "healthcheck" in db
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    env = api["environment"]
    assert env["CRITCHEM_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["CRITCHEM_ENVIRONMENT"] == "production" and "?" in env["CRITCHEM_SECRET_KEY"]
    command = api["command"]
    assert command[:2] == ["critchem", "serve"] and int(command[command.index("--workers") + 1]) > 1
    assert api["ports"] == ["8000:8000"]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert '"--workers"' in dockerfile and "/ready" in dockerfile and "USER critchem" in dockerfile


@pytest.fixture
def postgres_url(alert_postgres_base: str) -> Iterator[str]:  # noqa: F811
    with fresh_postgres_schema(alert_postgres_base, "deploy") as url:
        yield url


@pytest.mark.slow
def test_several_workers_share_postgresql_keys_and_the_deny_list(
    postgres_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "CRITCHEM_HOME": str(tmp_path),
        "CRITCHEM_DATABASE_URL": postgres_url,
        "CRITCHEM_ENVIRONMENT": "production",
        "CRITCHEM_SECRET_KEY": secrets.token_urlsafe(48),
    }
    command = [sys.executable, "-c", "from critchem.cli import run; run()"]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--workers", "3", "--log-json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(server, base, 150)
        assert httpx.get(f"{base}/ready", timeout=10).json()["database"] == "ok"
        store = AlertStore(postgres_url)
        Accounts(store.session).add_user(
            "ana", password=PASSWORD, role="analyst", organisation="Example Analysts"
        )
        store.dispose()
        with httpx.Client(base_url=base, timeout=10) as client:
            token = client.post(
                f"{V1}/auth/token", data={"username": "ana", "password": PASSWORD}
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            # every worker knows the key: twenty requests spread over them all pass
            assert {
                client.get(f"{V1}/auth/me", headers=headers).status_code for _ in range(20)
            } == {200}
            assert client.post(f"{V1}/auth/logout", headers=headers).status_code == 204
            # and every worker sees the revocation
            assert {
                client.get(f"{V1}/auth/me", headers=headers).status_code for _ in range(20)
            } == {401}
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    logs = server.stderr.read().decode() if server.stderr else ""
    assert '"level": "info"' in logs  # structured (JSON lines) logs
