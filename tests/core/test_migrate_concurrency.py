"""Migrations that start at the same moment take turns instead of failing.

Alembic keeps the running migration's context in module globals, so two migrations in one
process at once (even of two different databases) used to fail with ``KeyError('config')``;
two migrations of one SQLite file both found no version table and the second failed with
"table alembic_version already exists".
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from critchem.core.migrate import current, head, migrate


def _together(urls: list[str]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(urls))

    def run(url: str) -> None:
        start.wait()
        try:
            migrate(url)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _at_head(url: str) -> bool:
    engine = create_engine(url)
    try:
        return current(engine) == head()
    finally:
        engine.dispose()


def test_threads_migrating_different_databases(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / f'{i}.db'}" for i in range(4)]
    assert _together(urls) == []
    assert all(_at_head(url) for url in urls)


def test_threads_migrating_one_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    assert _together([url] * 4) == []
    assert _at_head(url)


@pytest.mark.slow
def test_processes_migrating_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    code = "import sys; from critchem.core.migrate import migrate; migrate(sys.argv[1])"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in procs]
    assert [rc for rc, _ in results] == [0, 0, 0], [err[-500:] for _, err in results]
    assert _at_head(url)
