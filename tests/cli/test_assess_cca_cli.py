"""``critchem assess --methodology cca`` with Monte Carlo and a report, then ``compare``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.criticality import demo_files

runner = CliRunner()


def _assess(inputs: Path, report: Path) -> dict[str, object]:
    args = ["assess", "-m", "cca", "--inputs", str(inputs), "--draws", "100", "--seed", "2"]
    result = runner.invoke(build_app(), [*args, "--report", str(report), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "Report written" in result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_cca_assess_report_and_compare(tmp_path: Path) -> None:
    text = demo_files("cca").inputs.read_text(encoding="utf-8")
    before = _assess(demo_files("cca").inputs, tmp_path / "before.html")
    materials = before["materials"]
    assert isinstance(materials, list) and len(materials) == 18
    assert all(0.0 <= m["sensitivity"]["p_critical"] <= 1.0 for m in materials)
    assert (tmp_path / "before.html").exists() and (tmp_path / "before.json").exists()
    # HHI_x of ethylene 2.0 → 10.0: SR 0.558 → [1.0 + 0.405]·0.9·1.025 = 1.296, it enters.
    changed = tmp_path / "after.csv"
    changed.write_text(text.replace("ethylene,2.0,", "ethylene,10.0,"), encoding="utf-8")
    _assess(changed, tmp_path / "after.html")
    result = runner.invoke(
        build_app(),
        ["compare", str(tmp_path / "before.json"), str(tmp_path / "after.json"), "-f", "json"],
    )
    assert result.exit_code == 0, result.stderr
    diff = json.loads(result.stdout)
    assert diff["entered"] == ["ethylene"] and diff["left"] == []


def test_cca_table_shows_production_and_rank_interval() -> None:
    args = ["assess", "-m", "cca", "--inputs", str(demo_files("cca").inputs), "--draws", "20"]
    result = runner.invoke(build_app(), args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.stderr
    header = result.stdout.split("\n")[:6]
    assert any("Critical produc" in line and "Rank p95" in line for line in header)
