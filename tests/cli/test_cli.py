"""The command line, in process and once as a real process."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.services.demo import PARTNER_EXTRACT_MOLECULES

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_molecules_show_json() -> None:
    code, out, _ = invoke("molecules", "show", "ethylene", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["cas"] == "74-85-1"
    assert data["name"] == "Ethylene"
    assert data["cn8"] == ["29012100"]
    assert data["hs6"] == ["290121"]


def test_molecules_show_by_cas_csv_and_table() -> None:
    code, out, _ = invoke("molecules", "show", "7664-41-7", "--format", "csv")
    assert code == 0
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["cas"] == "7664-41-7" and "28141000" in row["cn8"] and "28142000" in row["cn8"]
    code, out, _ = invoke("molecules", "show", "ammonia")
    assert code == 0 and "28141000" in out


def test_malformed_cas_exits_non_zero_naming_the_check_digit() -> None:
    code, _, err = invoke("molecules", "show", "74-85-2")
    assert code != 0
    assert "check digit" in err


def test_unknown_name_exits_non_zero_with_suggestions() -> None:
    code, _, err = invoke("molecules", "show", "ethylenn glycoll xyz")
    assert code != 0
    assert "closest matches" in err and "glycol" in err.lower()


def test_molecules_search_formats() -> None:
    code, out, _ = invoke("molecules", "search", "xylene", "--format", "json")
    assert code == 0
    hits = json.loads(out)
    assert any(h["cas"] == "1330-20-7" for h in hits)


def test_codes_show() -> None:
    code, out, _ = invoke("codes", "show", "29012100", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["label"].endswith("Ethylene")
    assert {p["code"] for p in data["parents"]} >= {"29", "2901", "290121"}
    assert {"nomenclature": "CN2026", "code": "29012100", "relationship": "1:1"} in data[
        "correspondences"
    ]
    assert [m["cas"] for m in data["molecules"]] == ["74-85-1"]
    code, _, err = invoke("codes", "show", "2901210")
    assert code != 0 and "expected 8 digits" in err


def test_codes_show_hs_heading_lists_children() -> None:
    code, out, _ = invoke("codes", "show", "2901", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert "290121" in data["children"]


@pytest.mark.slow
def _close(a: object, b: object) -> bool:
    """Equal, floats to 1e-9 relative (the order of a parallel sum is not fixed)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_demo_runs_as_a_real_process(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("critchem")
    assert exe.exists(), "the critchem script is installed with the package"
    env = {**os.environ, "CRITCHEM_HOME": str(tmp_path)}
    runs = [
        subprocess.run(
            [exe, "demo", "--format", "json"], capture_output=True, text=True, timeout=600, env=env
        )
        for _ in range(2)
    ]
    for done in runs:
        assert done.returncode == 0, done.stderr
    first, second = (json.loads(done.stdout) for done in runs)
    assert len(first["candidates"]) == 18
    assert {r["status"] for r in first["loads"]} == {"loaded"}
    assert {r["status"] for r in second["loads"]} == {"skipped"}  # re-ingest is a no-op
    for load in first["loads"]:
        assert load["rows_read"] == load["rows_stored"] + load["rows_quarantined"]
    assert {r["molecule_id"] for r in first["indicators"]} == {m["id"] for m in first["candidates"]}
    # Same figures on a re-run; DuckDB's parallel sums may differ in the last bits (1e-16).
    assert _close(first["indicators"], second["indicators"])
    assert first["comext_summary"], "the real Comext extract gives EU27 totals"
    built = {r["molecule"]: r for r in first["evidence"]["molecules"]}
    assert set(built) == {m["id"] for m in first["candidates"]} | set(PARTNER_EXTRACT_MOLECULES)
    # the molecules of the real partner-level extract get their trade evidence from it
    assert "hhi_extra_eu (comext_extract)" in built["helium"]["real_inputs"]
    assert built["helium"]["synthetic_inputs"] == [] and built["helium"]["label"] == ""
    assert "hhi_extra_eu" in built["ethylene"]["synthetic_inputs"]
    assert built["ethylene"]["label"] == "SYNTHETIC"
    assert first["monitor"]["created"] > 0 and second["monitor"]["new_loads"] == []
    assert first["ground_truth"] and all(c["found"] for c in first["ground_truth"])
    critical = {r["material"] for r in first["cca_critical"]}
    assert critical == {
        m["material"] for m in first["cca_assessment"]["materials"] if m["critical"]
    }
    report = Path(first["cca_report"]["html"]).read_text(encoding="utf-8")
    assert report.count('<g id="matrix-point-') == len(first["cca_assessment"]["materials"])
    investment = first["investment"]
    assert (
        investment["import"]["rows_read"]
        == investment["import"]["imported"] + investment["import"]["rejected"]
    )
    assert second["investment"]["import"]["unchanged"] == investment["import"]["imported"]
    assert investment["portfolios"][0]["status"] == "optimal"
