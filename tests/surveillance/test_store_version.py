"""``AlertStore.version`` under many threads: one of them reads the database when it is due."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from critchem.surveillance.alerts import AlertStore


def _count_queries(store: AlertStore) -> list[str]:
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", before)
    return seen


def test_a_stale_version_is_read_again_by_one_thread(tmp_path: Path) -> None:
    store = AlertStore(f"sqlite:///{tmp_path / 'alerts.db'}", other_writers_lag=0.2)
    first = store.version()
    seen = _count_queries(store)
    time.sleep(0.25)  # the look at the database is now due
    start = threading.Barrier(16)
    tokens: list[object] = []
    slow = threading.Event()
    original = store._look

    def look() -> tuple[Any, ...]:
        slow.wait(1.0)  # hold the look open until every other thread has asked
        return original()

    store._look = look  # type: ignore[method-assign]

    def request() -> None:
        start.wait()
        tokens.append(store.version())

    threads = [threading.Thread(target=request) for _ in range(16)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    slow.set()
    for thread in threads:
        thread.join()
    store.dispose()
    # Fifteen threads answered with the last look while one looked again; nothing changed.
    assert len(tokens) == 16 and set(tokens) == {first}
    assert sum("count" in s.lower() for s in seen) == 1


def test_without_lag_every_call_looks(tmp_path: Path) -> None:
    store = AlertStore(f"sqlite:///{tmp_path / 'alerts.db'}", other_writers_lag=0)
    store.version()
    seen = _count_queries(store)
    for _ in range(3):
        store.version()
    store.dispose()
    assert sum("count" in s.lower() for s in seen) == 3
