"""Fixtures of the alert tests (all prefixed ``alert_``): databases, stores and events.

The store tests run on SQLite (a file in ``tmp_path``) and on PostgreSQL, whose URL comes
from ``CRITCHEM_TEST_POSTGRES_URL`` (``.ci/run`` sets it up); every PostgreSQL test gets a
schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.base import Event
from tests.conftest import require_service

POSTGRES_ENV = "CRITCHEM_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def alert_postgres_base() -> str:
    """The PostgreSQL test database URL; skips (locally) or fails (CI) when unavailable."""
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        require_service(
            "PostgreSQL", False, f"{POSTGRES_ENV} is not set (e.g. postgresql+psycopg://...)"
        )
    engine = create_engine(url, poolclass=pool.NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(exc).splitlines()[0]
        require_service("PostgreSQL", False, f"cannot connect to {POSTGRES_ENV}: {reason}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def alert_db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema (via ``search_path``)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'alerts.db'}"
        return
    base: str = request.getfixturevalue("alert_postgres_base")
    with fresh_postgres_schema(base, "alert_test") as url:
        yield url


@contextmanager
def fresh_postgres_schema(base: str, prefix: str) -> Iterator[str]:
    """A URL of ``base`` whose ``search_path`` is a new schema, dropped with its tables after."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, poolclass=pool.NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def alert_store(alert_db_url: str) -> Iterator[AlertStore]:
    """An ``AlertStore`` on the empty database (migrated on first use)."""
    store = AlertStore(alert_db_url)
    try:
        yield store
    finally:
        store.dispose()


def _event(
    family: str = "volume",
    severity: str = "amber",
    *,
    period: date = date(2024, 3, 1),
    detector: str | None = None,
    product: str = "29012100",
    reporter: str = "EU27",
    partner: str = "CN",
    statistic: float = 4.2,
    **key: str,
) -> Event:
    return Event(
        detector=detector or f"{family}_test",
        detector_version="1.0",
        family=family,  # type: ignore[arg-type]
        key={"product": product, "reporter": reporter, "partner": partner, **key},
        period=period,
        statistic=statistic,
        threshold=3.0,
        severity=severity,  # type: ignore[arg-type]
        message=f"{family} {severity} at {period:%Y-%m}",
        evidence={"series": [1.0, 2.0, 9.0], "baseline": 2.0, "statistic": statistic},
    )


@pytest.fixture
def alert_make_event() -> Callable[..., Event]:
    """A factory of hand-made events: ``alert_make_event("price", "red", period=...)``."""
    return _event
