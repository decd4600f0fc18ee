"""``critchem prodcom load``: counts reconcile, missing years and uncovered codes are reported."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.production.prodcom import load_parses

runner = CliRunner()
DATA = Path(__file__).parents[1] / "production" / "data"


def test_prodcom_load_reports_years_codes_and_rejections(tmp_path: Path) -> None:
    store = tmp_path / "store"
    args = ["prodcom", "load", str(DATA / "prodcom_api_DS-059358_miniature.csv"),
            "--store", str(store), "--year", "2023", "--year", "2021",
            "--correspondence", str(DATA / "prodcom_cn8_eurostat_style.csv"), "-o", "json"]  # fmt: skip
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert (report["rows_read"], report["rows_used"], report["rows_ignored"]) == (18, 11, 1)
    assert report["rows_rejected"] == 6 and report["reconciles"] is True
    assert report["years"] == [2023] and report["years_missing"] == [2021]
    # the test correspondence covers 20141130 and 20141140 only
    assert report["codes_outside_listed"] == ["20141150"]
    assert report["confidential"] == 2
    assert [r["line"] for r in report["rejected"]] == [14, 15, 16, 17, 18, 19]
    assert len(load_parses(store)) == 1


def test_prodcom_load_refuses_other_layouts(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(build_app(), ["prodcom", "load", str(other), "--store", str(tmp_path)])
    assert result.exit_code != 0
    assert "is not a PRODCOM layout" in result.output
    assert "Traceback" not in result.output
