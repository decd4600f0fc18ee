"""The sign-in limiter across workers: two app instances, then two real server processes,
on one database. Failures made through one count in the other; the answer is a 429 problem
with ``Retry-After``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from critchem.accounts import Accounts
from critchem.api import create_app
from critchem.core.settings import Settings
from critchem.surveillance.alerts import AlertStore
from tests.api.conftest import PASSWORD, Api, free_port, wait_for_health
from tests.surveillance.conftest import (  # noqa: F401  (shared fixtures)
    alert_db_url,
    alert_postgres_base,
)

TOKEN = "/api/v1/auth/token"
WRONG = "wrong password"


def _add_users(database_url: str, *names: str) -> None:
    store = AlertStore(database_url)
    try:
        for name in names:
            Accounts(store.session).add_user(name, password=PASSWORD, role="member")
    finally:
        store.dispose()


@pytest.fixture
def two_apps(tmp_path: Path, trade_store: Path) -> Iterator[tuple[FastAPI, FastAPI]]:
    """Two applications on one home (one database), as two workers."""
    settings = Settings(
        home=tmp_path, store_path=trade_store, auth_rate_limit_per_minute=3, auth_spray_accounts=3
    )
    apps = (create_app(settings), create_app(settings))
    try:
        yield apps
    finally:
        for app in apps:
            app.state.alert_store.dispose()


def test_two_app_instances_share_the_pair_and_spraying_rules(
    two_apps: tuple[FastAPI, FastAPI],
) -> None:
    a, b = Api(two_apps[0]), Api(two_apps[1])
    _add_users(two_apps[0].state.settings.database_url, "ana", "bob")
    ana = {"username": "ana", "password": WRONG}
    assert [api.post(TOKEN, data=ana).status_code for api in (a, b, a)] == [401] * 3
    limited = b.post(TOKEN, data=ana)
    assert limited.status_code == 429, limited.text
    assert limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert "pair rule" in limited.json()["detail"]
    # The right password waits too: it is not even checked.
    assert a.post(TOKEN, data={"username": "ana", "password": PASSWORD}).status_code == 429
    # Spraying: one wrong password over more accounts, alternating workers.
    for api, name in ((a, "bob"), (b, "nobody")):
        assert api.post(TOKEN, data={"username": name, "password": WRONG}).status_code == 401
    sprayed = a.post(TOKEN, data={"username": "cy", "password": WRONG})
    assert sprayed.status_code == 429 and "spraying rule" in sprayed.json()["detail"]
    assert int(sprayed.headers["retry-after"]) > 60


@contextmanager
def _two_servers(tmp_path: Path, database_url: str, per_minute: int) -> Iterator[list[str]]:
    """Two real server processes on one database; their base URLs."""
    env = {
        **os.environ,
        "CRITCHEM_HOME": str(tmp_path),
        "CRITCHEM_DATABASE_URL": database_url,
        "CRITCHEM_AUTH_RATE_LIMIT_PER_MINUTE": str(per_minute),
    }
    command = [sys.executable, "-m", "uvicorn", "critchem.api.app:create_app", "--factory"]
    ports = (free_port(), free_port())
    servers = [
        subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for server, base in zip(servers, bases, strict=True):
            wait_for_health(server, base, 60)
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)


def test_two_server_processes_share_the_limiter(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'critchem.db'}"
    _add_users(database_url, "ana")
    with _two_servers(tmp_path, database_url, 4) as bases:
        wrong = {"username": "ana", "password": WRONG}
        codes = [httpx.post(bases[i % 2] + TOKEN, data=wrong, timeout=30) for i in range(4)]
        assert [r.status_code for r in codes] == [401] * 4
        for base in bases:  # both processes refuse now
            limited = httpx.post(base + TOKEN, data=wrong, timeout=30)
            assert limited.status_code == 429, limited.text
            assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_concurrent_attempts_on_two_processes_admit_exactly_the_limit(
    tmp_path: Path,
    alert_db_url: str,  # noqa: F811
) -> None:
    """Twelve wrong passwords at once over two processes, limit 4: four 401, eight 429.

    Checking the limit and recording the attempt were two steps, so attempts that arrived
    together all passed the check while the first password was still being verified.
    """
    _add_users(alert_db_url, "ana")
    with _two_servers(tmp_path, alert_db_url, 4) as bases:
        for base in bases:  # each process opens its database before the burst
            assert httpx.get(base + "/ready", timeout=30).status_code == 200
        wrong = {"username": "ana", "password": WRONG}
        start = threading.Barrier(12)

        def attempt(i: int) -> int:
            start.wait()
            return httpx.post(bases[i % 2] + TOKEN, data=wrong, timeout=60).status_code

        with ThreadPoolExecutor(12) as pool:
            codes = sorted(pool.map(attempt, range(12)))
    assert codes == [401] * 4 + [429] * 8
