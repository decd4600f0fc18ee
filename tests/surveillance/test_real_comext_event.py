"""A real event in the bundled Comext extract is found, and its bulletin is written.

EU27 imports of CN 39204990 (other plates, sheets, film of polymers of vinyl chloride) from
WORLD, summed over the 27 reporters of the extract, by hand (zcat | awk on the bundled file):

=========  ===========  ===============  ===========
month      mass (t)     value (EUR)      EUR / kg
=========  ===========  ===============  ===========
2025-09    7,691        25,915,108       3.37
2025-10    7,591        24,234,471       3.19
2025-11    23,537       23,226,066       0.99
=========  ===========  ===============  ===========

The mass triples while the value does not move (Italy declares 16,410 t for EUR 1.53 M in
November, after 595 t for EUR 1.96 M in October): the unit value falls to a third. The last
three months (Sep-Nov 2025) hold 38,819 t against 20,167 t for the same months of 2023 and
2024 on average (+92 %). December 2025 has only 9 of 27 reporters and is left out as
incomplete. Expected: an alert on 39204990, EU27 <- WORLD, imports, 2025-11, with volume and
unit-value anomalies and an import surge, red (two families agree).
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


def test_the_real_surge_of_november_2025_is_found(monitored: tuple[MonitorReport, str]) -> None:
    report, _ = monitored
    (alert,) = [
        a
        for a in report.alerts
        if a["product"] == CODE and a["partner"] == "WORLD" and a["flow"] == "1"
        if a["period"].startswith("2025-11")
    ]
    assert alert["severity"] == "red"
    assert set(alert["families"]) == {"price", "volume"}
    evidence = " | ".join(alert["evidence"])
    assert "import_surge: last 3 months 38,819,029 vs baseline 20,167,197 (+92%)" in evidence
    assert "seasonal_anomaly: unit value -" in evidence and "off its seasonal pattern" in evidence
    assert "seasonal_anomaly: volume +263% against the same month of earlier years" in evidence
    shown = [r for r in real_events(report.alerts) if r["month"] == "2025-11"]
    assert shown[0]["severity"] == "red" and shown[0]["flow"] == "imports"
    assert all(not a["period"].startswith("2025-12") for a in report.alerts)  # incomplete


def test_bulletin_command_charts_the_real_alert(
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
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    assert written["red"] >= 1 and written["charts"] == written["alerts"]
    assert Path(written["pdf"]).read_bytes().startswith(b"%PDF")
    twin = json.loads(Path(written["json_path"]).read_text(encoding="utf-8"))
    red = [a for a in twin["alerts"] if a["severity"] == "red"]
    assert any(a["product"] == CODE and a["chart"] for a in red)
    html = Path(written["html"]).read_text(encoding="utf-8")
    assert "<svg" in html and "2025-11" in html
