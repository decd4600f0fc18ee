"""The demo's headline real event is held back by the data-quality gate as a misdeclaration.

EU27 imports of CN 39204990 (other plates, sheets, film of polymers of vinyl chloride) from
WORLD, summed over the 27 reporters of the extract, by hand (zcat | awk on the bundled file):

=========  ===========  ===============  ===========
month      mass (t)     value (EUR)      EUR / kg
=========  ===========  ===============  ===========
2025-09    7,691        25,915,108       3.37
2025-10    7,591        24,234,471       3.19
2025-11    23,537       23,226,066       0.99
=========  ===========  ===============  ===========

The mass triples while the value does not move. One reporter makes it: Italy declares
16,409,991 kg for EUR 1,530,400 in November (EUR 0.0933 / kg) after 388,714 / 507,499 /
594,801 kg for EUR 1,019,807 / 1,891,731 / 1,962,553 in August to October. Its baseline is
the median mass 507,499 kg and median value EUR 1,891,731 (EUR 3.73 / kg): the unit value
falls 40-fold while the value moves -19 %, and the other 26 reporters together add only a
few hundred tonnes. The gate flags Italy's November as a probable misdeclaration and counts
its mass at the baseline unit value, 1,530,400 / 3.7276 = 410,564 kg; without it the EU sum
would show a +92 % "surge". December 2025 has only 9 of 27 reporters and is left out as
incomplete.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.services.demo import REAL_EXTRACTS, bundled_extract, real_events
from critchem.services.monitor import MonitorReport, run_monitor
from critchem.services.trade import ingest_paths

CODE = "39204990"


@pytest.fixture(scope="module")
def monitored(tmp_path_factory: pytest.TempPathFactory) -> tuple[MonitorReport, str]:
    """The monitor run over the real extract, cut to one code (its rows as published)."""
    root = tmp_path_factory.mktemp("real")
    extract = root / "comext_DS-045409_39204990.csv.gz"
    with gzip.open(bundled_extract(REAL_EXTRACTS[0]), "rt", encoding="utf-8") as source:
        header, *lines = source.read().splitlines()
    kept = [line for line in lines if line.split(",")[3] == CODE]
    with gzip.open(extract, "wt", encoding="utf-8") as out:
        out.write("\n".join([header, *kept]) + "\n")
    ingest_paths([extract], store_root=root / "store", progress=False)
    db = f"sqlite:///{root / 'alerts.db'}"
    return run_monitor(store_root=root / "store", database_url=db, recent=24), db


def test_the_november_2025_jump_is_a_probable_misdeclaration(
    monitored: tuple[MonitorReport, str],
) -> None:
    report, _ = monitored
    (flag,) = [q for q in report.quality if q["product"] == CODE and q["period"] == "2025-11-01"]
    assert flag["reporter"] == "IT" and flag["flow"] == 1 and flag["partner"] == "WORLD"
    assert flag["verdict"] == "probable misdeclaration"
    assert flag["mass_kg"] == 16_409_991 and flag["value"] == 1_530_400
    assert flag["baseline_mass_kg"] == 507_499 and flag["baseline_value"] == 1_891_731
    assert flag["corrected_mass_kg"] == pytest.approx(410_564, abs=1)
    assert "IT 2025-11: unit value 0.0933 EUR/kg against 3.73 before" in flag["message"]
    surges = [
        a
        for a in report.alerts
        if a["product"] == CODE and a["period"].startswith("2025-11") and a["severity"] == "red"
    ]
    assert surges == []  # not a surge
    assert all(not a["period"].startswith("2025-12") for a in report.alerts)  # incomplete
    assert isinstance(real_events(report.alerts), list)


def test_bulletin_of_the_week_holds_no_false_surge(
    monitored: tuple[MonitorReport, str], tmp_path: Path
) -> None:
    _, db = monitored
    from datetime import UTC, datetime

    year, week, _ = datetime.now(UTC).isocalendar()
    result = CliRunner().invoke(
        build_app(),
        [
            "bulletin",
            "--week",
            f"{year}-W{week:02d}",
            "--db",
            db,
            "--out",
            str(tmp_path),
            "--min-severity",
            "info",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    assert written["alerts"] == 0 and written["red"] == 0  # the gate held the jump back
