"""The alert store under concurrent use: first use from many threads, and the list memo."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

from critchem.services import alerts
from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event


def _event(partner: str, family: str = "volume") -> Event:
    return Event(
        detector=f"{family}_test",
        detector_version="1.0",
        family=family,  # type: ignore[arg-type]
        key={"product": "29012100", "reporter": "EU27", "partner": partner},
        period=date(2024, 3, 1),
        statistic=4.2,
        threshold=3.0,
        severity="amber",
        message=f"{family} at 2024-03",
        evidence={},
    )


def test_first_use_from_many_threads_migrates_once(tmp_path: Path) -> None:
    # A server's first requests arrive together: each opened the store and ran the
    # migrations at once, and Alembic's global context failed with KeyError: 'config'.
    store = AlertStore(f"sqlite:///{tmp_path / 'alerts.db'}")
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def first_request() -> None:
        start.wait()
        try:
            store.list()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.dispose()
    assert failures == []


def test_memoised_list_follows_every_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    store = AlertStore(url, other_writers_lag=0.2)
    store.upsert(fuse([_event("CN"), _event("US")]))
    first, total = alerts.page_alerts(store)
    assert total == 2 and {a.state for a in first} == {"new"}
    assert alerts.page_alerts(store) == (first, total)  # answered from the memo
    store.acknowledge(first[0].id, "ana")  # a write through this store
    assert alerts.page_alerts(store, state="acknowledged")[1] == 1
    assert [a.state for a in alerts.list_alerts(store)].count("acknowledged") == 1
    # A write through another store (another process, e.g. critchem monitor) on the same
    # database, with its own clock: the count and the latest updated_at change.
    other = AlertStore(url)
    other.upsert(fuse([_event("IN")]), now=datetime(2030, 1, 1, tzinfo=UTC))
    other.close(first[1].id, "bob", "resolved", now=datetime(2030, 1, 2, tzinfo=UTC))
    time.sleep(0.2)  # the lag allowed for writes from elsewhere
    items, total = alerts.page_alerts(store)
    assert total == 3 and alerts.count_alerts(store) == 3
    assert {a.id: a.state for a in items}[first[1].id] == "closed"
    other.dispose()
    store.dispose()
