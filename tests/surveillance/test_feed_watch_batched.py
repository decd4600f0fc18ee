"""The feed watch's batched path stores the alerts of the detectors run series by series.

The weekly and daily aggregates of a real-layout feed (two origins, one of which triples its
weekly mass from week 60, the other steady with one gap) are watched both ways into two
fresh alert databases; the reports and the stored alerts must be the same.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from critchem.services.feed_monitor import watch_feed
from critchem.services.trade import ingest_paths
from critchem.surveillance.alerts import AlertStore
from tests.surveillance.test_monitor_batched import _same, _stored

HEADER = (
    "declaration_id,member_state,flow,cn_code,partner,declared_value_eur,net_mass_kg,"
    "suppl_quantity,suppl_unit,procedure,release_date"
)
START = date(2024, 1, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feed_batched")
    lines = [HEADER]
    for week in range(104):
        day = START + timedelta(weeks=week)
        mass = 10_000 if week < 60 else 30_000
        lines.append(f"24NL{week:014d}-001,NL,1,28046100,CN,{mass * 3}.00,{mass}.0,,,4000,{day}")
        if week != 30:
            steady = 5_000 + 100 * (week % 5)
            lines.append(
                f"24DE{week:014d}-001,DE,1,28046100,US,{steady * 2}.00,{steady}.0,,,4000,{day}"
            )
    feed = root / "surveillance_feed.csv"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_paths([feed], store_root=root / "store", progress=False)
    return root / "store"


@pytest.mark.parametrize("freq", ["W", "D"])
def test_the_batched_watch_stores_the_alerts_of_the_series_by_series_watch(
    store: Path, tmp_path: Path, freq: Any
) -> None:
    rows, reports = {}, {}
    for batched in (False, True):
        url = f"sqlite:///{tmp_path / f'alerts_{batched}.db'}"
        AlertStore(url).dispose()
        reports[batched] = watch_feed(
            store_root=store, database_url=url, freq=freq, batched=batched
        )
        rows[batched] = _stored(url)
    assert reports[True]["series"] == 2
    assert reports[True]["events"] >= (1 if freq == "W" else 0)  # daily: zeros, no lasting break
    _same(reports[True], reports[False], "report")
    _same(rows[True], rows[False], "stored")
