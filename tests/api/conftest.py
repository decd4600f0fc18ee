"""Fixtures of the API tests: an in-process HTTP client over an app on a temporary home.

The trade store is built once per test session (per worker) from a synthetic dataset of two
codes (ethylene 29012100 and benzene 29022000, 2022-01 to 2024-12, reporters DE and FR);
every test gets its own home folder and so its own empty alert database.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from critchem.api import create_app
from critchem.core.settings import Settings
from critchem.services.trade import ingest_paths
from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event
from critchem.trade import synthetic

CODES = ["29012100", "29022000"]


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(server: subprocess.Popen[bytes], base: str, seconds: float) -> None:
    """Wait until ``base/health`` answers 200; fail if ``server`` exits or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        assert time.monotonic() < deadline, f"the server did not answer in {seconds:g} s"
        time.sleep(0.1)


class Api:
    """A blocking HTTP client of an ASGI app, in process (``httpx`` over ``ASGITransport``)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@pytest.fixture(scope="session")
def trade_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trade store holding the synthetic flows of ``CODES``."""
    root = tmp_path_factory.mktemp("trade")
    dataset = synthetic.generate(CODES, start="2022-01", end="2024-12", reporters=["DE", "FR"])
    folder = synthetic.write(dataset, root / "synthetic")
    ingest_paths([folder / "synthetic_flows.parquet"], store_root=root / "store", progress=False)
    return root / "store"


@pytest.fixture
def settings(tmp_path: Path, trade_store: Path) -> Settings:
    """Settings on a fresh home folder, with the shared trade store."""
    return Settings(home=tmp_path, store_path=trade_store)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    try:
        yield application
    finally:
        application.state.alert_store.dispose()


@pytest.fixture
def api(app: FastAPI) -> Api:
    return Api(app)


@pytest.fixture(scope="module")
def shared_api(tmp_path_factory: pytest.TempPathFactory, trade_store: Path) -> Iterator[Api]:
    """One app for the read-only tests of a module."""
    home = tmp_path_factory.mktemp("home")
    application = create_app(Settings(home=home, store_path=trade_store))
    try:
        yield Api(application)
    finally:
        application.state.alert_store.dispose()


def make_event(
    family: str,
    severity: str,
    *,
    product: str = "29012100",
    partner: str = "CN",
    period: date = date(2024, 3, 1),
) -> Event:
    """A hand-made detector event on the EU27 imports of ``product`` from ``partner``."""
    return Event(
        detector=f"{family}_test",
        detector_version="1.0",
        family=family,  # type: ignore[arg-type]
        key={"product": product, "reporter": "EU27", "partner": partner},
        period=period,
        statistic=4.2,
        threshold=3.0,
        severity=severity,  # type: ignore[arg-type]
        message=f"{family} {severity} at {period:%Y-%m}",
        evidence={"series": [1.0, 2.0, 9.0], "baseline": 2.0},
    )


@pytest.fixture
def alerts_db(settings: Settings) -> AlertStore:
    """The app's alert database with five alerts: three on ethylene, two on benzene.

    Ethylene/CN is red (two families), ethylene/US and ethylene/IN amber, benzene/CN and
    benzene/KR amber; the benzene ones are a month later.
    """
    store = AlertStore(settings.database_url)
    events = [
        make_event("volume", "red"),
        make_event("price", "red"),
        make_event("volume", "amber", partner="US"),
        make_event("price", "amber", partner="IN"),
        make_event("volume", "amber", product="29022000", period=date(2024, 4, 1)),
        make_event("price", "amber", product="29022000", partner="KR", period=date(2024, 4, 1)),
    ]
    assert store.upsert(fuse(events), provenance={"source": "synthetic"}) == (5, 0)
    store.dispose()
    return store


PASSWORD = "correct horse battery"


def add_user(app: FastAPI, username: str, role: str, org: str = "Acme") -> None:
    """A user of the app's database with ``PASSWORD``."""
    app.state.accounts.add_user(username, password=PASSWORD, role=role, organisation=org)


def sign_in(api: Api, username: str, password: str = PASSWORD) -> dict[str, str]:
    """The headers of a request signed in as ``username`` (through ``POST /auth/token``)."""
    response = api.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def analyst(app: FastAPI, api: Api) -> dict[str, str]:
    """Headers of a signed-in analyst, ``ana``."""
    add_user(app, "ana", "analyst")
    return sign_in(api, "ana")
