"""Specific embedded emissions (Regulation 2023/956 Annex IV): hand-computed cases.

``data/cbam_embedded_illustrative.json`` (ILLUSTRATIVE, a fictitious installation):

* ammonia, a simple good: SEE_dir = 2000 / 1000 = 2.0; SEE_indir = 100 x 0.4 / 1000 = 0.04;
* nitric acid, with 280 t of ammonia (declared SEE 2.0 direct, 0.1 indirect) as precursor:
  SEE_dir = (300 + 280 x 2.0) / 1000 = 0.86; SEE_indir = (50 x 0.5 + 280 x 0.1) / 1000 = 0.053;
  SEE = 0.913.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app

DATA = Path(__file__).parent / "data" / "cbam_embedded_illustrative.json"


def test_cbam_embedded_command_hand_computed() -> None:
    result = CliRunner().invoke(
        build_app(), ["cbam", "embedded", "--inputs", str(DATA), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    ammonia, nitric = json.loads(result.stdout)
    assert ammonia["simple_good"] and ammonia["see_direct"] == pytest.approx(2.0)
    assert ammonia["see_indirect"] == pytest.approx(0.04)
    assert not nitric["simple_good"]
    assert nitric["precursors_direct_tco2e"] == pytest.approx(560)
    assert nitric["see_direct"] == pytest.approx(0.86)
    assert nitric["see_indirect"] == pytest.approx(0.053)
    assert nitric["see_total"] == pytest.approx(0.913)


def test_bad_process_is_named(tmp_path: Path) -> None:
    bad = json.loads(DATA.read_text())
    bad[1]["activity_level_t"] = 0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = CliRunner().invoke(
        build_app(), ["cbam", "embedded", "--inputs", str(path), "--format", "json"]
    )
    assert result.exit_code != 0
    assert "process 2, activity_level_t" in result.output
