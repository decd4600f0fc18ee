"""Shipped grid factors (Ember, CC BY 4.0) and their use by ``cbam embedded``.

Hand-computed cases of ``data/cbam_embedded_grid.json`` (ILLUSTRATIVE, fictitious
installations), with the shipped factors DE 2022 = 385.467 gCO2/kWh and TR 2022 =
413.628 gCO2/kWh (EF = I / 1000 tCO2/MWh):

* ammonia in DE, no declared factor: SEE_indir = 100 MWh x 0.385467 / 1000 t = 0.0385467;
  SEE_dir = 2000 / 1000 = 2.0; SEE = 2.0385467;
* nitric acid in TR (given as ``tur``): SEE_indir = 50 x 0.413628 / 500 = 0.0413628;
  SEE_dir = 150 / 500 = 0.3;
* fertiliser in PL with a declared factor 0.5: the declared factor wins,
  SEE_indir = 10 x 0.5 / 100 = 0.05.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon import grid
from critchem.carbon.grid import grid_factor, grid_factors
from critchem.cli.main import build_app
from critchem.core.errors import CarbonInputError

DATA = Path(__file__).parent / "data" / "cbam_embedded_grid.json"
PACKAGE_DATA = Path(grid.__file__).parent / "data"
EU27 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"} | {
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
}


def test_shipped_file_covers_the_eu27_with_provenance_on_every_row() -> None:
    path = PACKAGE_DATA / grid.DATA_FILE
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["country"] for r in rows if r["eu_member"] == "yes"} == EU27
    assert len({r["country"] for r in rows}) == len(rows)
    for row in rows:
        assert float(row["gco2_per_kwh"]) > 0
        assert 2021 <= int(row["year"]) <= 2022
        assert "7dcef7b6ea720d7f6f49e3a0b000d50251effe48" in row["source"]
        assert f"country_code={row['iso3']} year={row['year']}" in row["source"]
        assert row["licence"] == "CC BY 4.0" and row["checked"] == "2026-12-07"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest in (PACKAGE_DATA / "SOURCES.md").read_text(encoding="utf-8")


def test_lookup_by_alpha2_or_alpha3_and_unit_conversion() -> None:
    assert grid_factor("fr") is grid_factor("FRA")
    assert grid_factor("FR").gco2_per_kwh == pytest.approx(84.817)
    assert grid_factor("SE").tco2_per_mwh == pytest.approx(0.045084)
    assert grid_factor("TT").year == 2021
    assert "not a CBAM default value" in grid_factor("PL").label
    assert len({f.country for f in grid_factors().values()}) == 36
    with pytest.raises(CarbonInputError, match="no shipped grid factor for country 'ZZ'"):
        grid_factor("ZZ")


def _run(path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        build_app(), ["cbam", "embedded", "--inputs", str(path), "--format", "json"]
    )
    return result.exit_code, result.stdout, result.output


def test_cbam_embedded_uses_the_grid_factor_when_none_is_declared() -> None:
    code, stdout, output = _run(DATA)
    assert code == 0, output
    ammonia, nitric, fertiliser = json.loads(stdout)
    assert ammonia["electricity_factor_tco2e_per_mwh"] == pytest.approx(0.385467)
    assert ammonia["see_indirect"] == pytest.approx(0.0385467)
    assert ammonia["see_total"] == pytest.approx(2.0385467)
    assert ammonia["electricity_factor_source"].startswith("grid factor DE 2022: 385.467")
    assert "not a CBAM default value" in ammonia["electricity_factor_source"]
    assert nitric["see_direct"] == pytest.approx(0.3)
    assert nitric["see_indirect"] == pytest.approx(0.0413628)
    assert nitric["electricity_factor_source"].startswith("grid factor TR 2022")
    assert fertiliser["see_indirect"] == pytest.approx(0.05)
    assert fertiliser["electricity_factor_source"] == (
        "declared: ILLUSTRATIVE: declared for the test"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "ZZ"}, "process 1: no shipped grid factor for country 'ZZ'"),
        ({"country": None}, "process 1: electricity_mwh > 0 needs electricity_factor"),
    ],
)
def test_missing_factor_is_named(tmp_path: Path, change: dict[str, object], message: str) -> None:
    processes = json.loads(DATA.read_text())
    processes[0].update(change)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(processes))
    code, _, output = _run(path)
    assert code != 0
    assert message in " ".join(output.split())
