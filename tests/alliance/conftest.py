"""Fixtures of the Alliance tests: the service over a migrated database (SQLite, then PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from critchem.alliance import Alliance
from critchem.surveillance.alerts import AlertStore
from tests.surveillance.conftest import (  # noqa: F401  (shared fixtures)
    alert_db_url,
    alert_postgres_base,
)


class Clock:
    """A clock that moves one second per reading (ordered, reproducible timestamps)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 13, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def alliance(alert_db_url: str) -> Iterator[Alliance]:  # noqa: F811
    """The Alliance services over an empty, migrated database."""
    store = AlertStore(alert_db_url)
    try:
        yield Alliance(store.session, clock=Clock())
    finally:
        store.dispose()


def apply(alliance: Alliance, name: str, country: str = "FR", **extra: object) -> int:
    """Apply for ``name`` and return its id."""
    org = alliance.membership.apply(
        name=name,
        org_type=str(extra.pop("org_type", "company")),
        country=country,
        signatory=f"Signatory of {name}",
        email="contact@example.org",
        accept_declaration=True,
        **extra,
    )
    return org.id


def member(alliance: Alliance, name: str, country: str = "FR") -> int:
    """An approved member ``name``; its id."""
    org_id = apply(alliance, name, country)
    alliance.membership.review(org_id, decision="approve", actor="secretariat")
    return org_id
