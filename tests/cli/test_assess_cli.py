"""``critchem assess`` and ``critchem compare`` over the shipped demo inputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.criticality import demo_files

runner = CliRunner()


def test_assess_json_reproduces_the_published_supply_risks(tmp_path: Path) -> None:
    result = runner.invoke(
        build_app(),
        [
            "assess",
            "--methodology",
            "eu-crm",
            "--inputs",
            str(demo_files().inputs),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    sr = {m["material"]: m["criteria"]["sr"]["value"] for m in data["materials"]}
    # 2017 study: antimony SR 4.3, cobalt SR 1.6 (from rounded published inputs: ±0.3).
    assert abs(sr["antimony"] - 4.3) <= 0.3
    assert abs(sr["cobalt"] - 1.6) <= 0.3
    saved = tmp_path / "a.json"
    saved.write_text(result.stdout)
    compared = runner.invoke(build_app(), ["compare", str(saved), str(saved), "--format", "json"])
    assert compared.exit_code == 0, compared.stderr
    assert json.loads(compared.stdout)["entered"] == []


def test_assess_csv_has_one_row_per_material() -> None:
    result = runner.invoke(
        build_app(), ["assess", "--inputs", str(demo_files().inputs), "--format", "csv"]
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["material"] for r in rows] == ["antimony", "cobalt"]


def test_assess_unknown_methodology_and_bad_file(tmp_path: Path) -> None:
    result = runner.invoke(
        build_app(), ["assess", "-m", "nope", "--inputs", str(demo_files().inputs)]
    )
    assert result.exit_code != 0 and "eu-crm" in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "material,stage,supply_basis,import_reliance,eol_rir,si_sr,si_ei,hhi_wgi_t_gs,hhi_wgi_t_eu\n"
        "x,extraction,GS+EU,lots,0,1,,3,1\n"
    )
    result = runner.invoke(build_app(), ["assess", "--inputs", str(bad)])
    assert result.exit_code != 0
    assert "line 2" in result.stderr and "import_reliance" in result.stderr
