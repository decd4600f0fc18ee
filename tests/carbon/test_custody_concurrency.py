"""Two additions drawing on one batch at once: exactly one passes the check (3).

Two books on two engines of one database (two workers of the service), each adding a record
that draws 60 t from the 100 t batch ``r-nap-bio`` (hand computation: 60 + 60 = 120 t > 100 t,
so only one of the two may be kept). Each addition is held, after it has read the draws
already recorded, until the other one has read them too or a second has passed: without
serialisation both read "nothing drawn yet" and both are kept (the over-draw the test
catches); serialised, the second waits for the first's commit, reads its 60 t and is refused.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from critchem.carbon.custody import AddReport, CustodyBook, RecordIn, Viewer
from critchem.core.database import Database
from tests.carbon.test_custody import SECRETARIAT, _records
from tests.surveillance.conftest import alert_postgres_base, fresh_postgres_schema  # noqa: F401

B = Viewer(organisation="Example Chemicals B", actor="b")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """One SQLite file, or a fresh PostgreSQL schema (skipped when no server is up)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'custody.db'}"
        return
    base: str = request.getfixturevalue("alert_postgres_base")
    with fresh_postgres_schema(base, "custody_race") as url:
        yield url


def _draw(label: str) -> RecordIn:
    return RecordIn(
        id=label,
        batch=f"B-{label}",
        supplier="Example Chemicals B",
        recipient="Example Polymers C",
        molecule="ethylene",
        quantity=18,
        unit="t",
        custody_model="mass-balance",
        conversion_factor=0.3,
        inputs=[{"record": "r-nap-bio", "quantity": 60}],  # type: ignore[list-item]
        transferred_on=date(2026, 3, 15),
    )


def test_two_simultaneous_draws_on_one_batch_do_not_both_pass(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    databases = (Database(db_url), Database(db_url))
    try:
        books = tuple(CustodyBook(d.session) for d in databases)
        origin = [(1, RecordIn.model_validate(_records("custody_mass_balance.json")[0]))]
        assert books[0].add(origin, SECRETARIAT).kept == 1
        books[1].records(SECRETARIAT)  # each opens (and migrates) its database first

        both_read = threading.Barrier(2, timeout=1.0)
        read_draws = CustodyBook._draws

        def held(
            self: CustodyBook, session: Session, ids: Iterable[str]
        ) -> dict[str, list[tuple[str, float]]]:
            draws = read_draws(self, session, ids)
            # a broken barrier: the other addition waits for this one's commit
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait()
            return draws

        monkeypatch.setattr(CustodyBook, "_draws", held)
        reports: dict[str, AddReport] = {}
        failures: list[BaseException] = []

        def add(n: int) -> None:
            label = f"race-{n}"
            try:
                reports[label] = books[n].add([(1, _draw(label))], B)
            except BaseException as exc:  # reported below
                failures.append(exc)

        threads = [threading.Thread(target=add, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert failures == []
        assert sorted(r.kept for r in reports.values()) == [0, 1]
        refused = next(r for r in reports.values() if r.kept == 0)
        assert len(refused.errors) == 1
        assert refused.errors[0].message.startswith(
            "record 'r-nap-bio' delivered 100 t but 120 t is drawn from it, by records "
        )
        monkeypatch.undo()
        kept = [r for r in books[0].records(SECRETARIAT) if r.inputs]
        assert len(kept) == 1 and kept[0].inputs[0].quantity == 60
    finally:
        for database in databases:
            database.dispose()
