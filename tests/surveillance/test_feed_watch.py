"""The surveillance feed watched weekly and daily; every detector declares its frequencies.

The feed written here has the SURV3-like layout of ``critchem.trade.sources.surveillance``:
one import declaration of CN 28046100 from CN by NL every Monday from 2024-01-01 for 104
weeks, 10,000 kg (EUR 30,000) for the first 60 weeks, then 30,000 kg (EUR 90,000): the
weekly level triples from the week of 2025-02-24 (week index 60).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.services.trade import ingest_paths
from critchem.surveillance.feed import aggregate
from critchem.surveillance.registry import builtin_detectors, detectors_for
from critchem.trade.store import TradeStore

HEADER = (
    "declaration_id,member_state,flow,cn_code,partner,declared_value_eur,net_mass_kg,"
    "suppl_quantity,suppl_unit,procedure,release_date"
)
START = date(2024, 1, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feed")
    lines = [HEADER]
    for week in range(104):
        mass = 10_000 if week < 60 else 30_000
        day = START + timedelta(weeks=week)
        lines.append(f"24NL{week:014d}-001,NL,1,28046100,CN,{mass * 3}.00,{mass}.0,,,4000,{day}")
    feed = root / "surveillance_feed.csv"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_paths([feed], store_root=root / "store", progress=False)
    return root / "store"


def test_every_detector_declares_its_frequencies() -> None:
    for name, cls in builtin_detectors().items():
        assert cls.frequencies and set(cls.frequencies) <= {"M", "W", "D"}, name
    assert "seasonal_anomaly" not in detectors_for("W")  # same month of earlier years
    assert "structural_break" in detectors_for("D")


def test_weekly_and_daily_aggregates(store: Path) -> None:
    with TradeStore(store) as s:
        table = s.connection.sql("SELECT * FROM flows WHERE freq = 'D'").to_arrow_table()
    (weekly,) = aggregate(table, "W")
    assert len(weekly.periods) == 104 and weekly.periods[0] == START
    assert weekly.values[59] == 10_000 and weekly.values[60] == 30_000
    assert weekly.key["freq"] == "W" and weekly.extra["value"][60] == 90_000
    (daily,) = aggregate(table, "D")
    assert len(daily.periods) == 103 * 7 + 1  # every day, zero without declarations
    assert daily.values[1] == 0 and daily.values[7] == 10_000
    with pytest.raises(ValueError, match="watched daily"):
        aggregate(table, "M")  # type: ignore[arg-type]


def test_watch_weekly_finds_the_tripling(store: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'alerts.db'}"
    result = CliRunner().invoke(
        build_app(), ["watch", "--freq", "W", "--store", str(store), "--db", db, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["detectors"] == ["structural_break"] and report["series"] == 1
    (alert,) = report["alerts"]
    assert alert["title"].startswith(
        "EU27 imports of CN 28046100 from China up 200 %: lasting change"
    )
    assert "2025-02" in alert["title"]  # the week of 2025-02-24


def test_watch_without_a_feed_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(),
        ["watch", "--store", str(tmp_path / "empty"), "--db", f"sqlite:///{tmp_path / 'a.db'}"],
    )
    assert result.exit_code != 0
