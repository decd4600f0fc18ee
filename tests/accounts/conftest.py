"""Fixtures of the account tests: the alert databases (SQLite and PostgreSQL) of the store tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from critchem.accounts import Accounts
from critchem.surveillance.alerts import AlertStore
from tests.surveillance.conftest import (  # noqa: F401  (shared fixtures)
    alert_db_url,
    alert_postgres_base,
)


@pytest.fixture
def accounts(alert_db_url: str) -> Iterator[Accounts]:  # noqa: F811
    """The account service over an empty, migrated database (SQLite, then PostgreSQL)."""
    store = AlertStore(alert_db_url)
    try:
        yield Accounts(store.session)
    finally:
        store.dispose()
