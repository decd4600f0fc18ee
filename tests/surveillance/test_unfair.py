"""The unfair-competition signal: hand-computed windows, and the bundled real Comext extract."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.services.demo import REAL_EXTRACTS, bundled_extract
from critchem.services.trade import ingest_paths
from critchem.surveillance.unfair import assess

PERIODS = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]


def test_all_five_criteria_with_prodcom_figures() -> None:
    # imports 1,000 t then 1,300 t (+30 %) at EUR 2 then 1.8 / kg; EU producer price EUR 3.0
    # then 2.7 / kg (-10 %); consumption 10,000 t then 10,500 t: imports 10.0 % then 12.4 %
    # (+2.4 points), EU industry 90.0 % then 87.6 % (-2.4 points). Undercutting (2.7 - 1.8)/2.7.
    im = np.array([1_000_000 / 12] * 12 + [1_300_000 / 12] * 12)
    iv = np.array([2_000_000 / 12] * 12 + [2_340_000 / 12] * 12)
    zeros = np.zeros(24)
    r = assess(
        PERIODS,
        im,
        iv,
        zeros,
        zeros,
        consumption_kg=(10_000_000, 10_500_000),
        producer_price=(3.0, 2.7),
    )
    by = {c.name: c for c in r.criteria}
    assert r.suspicion and r.reference_price == "EU producer price (PRODCOM)"
    assert by["volume increase"].value == pytest.approx(0.30)
    assert by["volume increase relative to consumption"].value == pytest.approx(
        1_300_000 / 10_500_000 - 0.10
    )
    assert by["undercutting"].value == pytest.approx((2.7 - 1.8) / 2.7)
    assert by["price depression"].value == pytest.approx(-0.10)
    assert by["loss of EU market share"].status == "met"
    assert r.window == ("2025-01", "2025-12")


def test_no_suspicion_without_undercutting() -> None:
    im = np.array([100.0] * 12 + [150.0] * 12)
    iv = im * 5.0  # EUR 5 / kg, above the EU export unit value of 4
    r = assess(PERIODS, im, iv, np.full(24, 10.0), np.full(24, 40.0))
    assert not r.suspicion
    assert {c.name: c.status for c in r.criteria}["undercutting"] == "not met"


def test_too_short_a_series_is_refused() -> None:
    with pytest.raises(ValueError, match="need 24 months, got 3"):
        assess(PERIODS[:3], np.ones(3), np.ones(3), np.ones(3), np.ones(3))


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unfair")
    extract = root / "comext_DS-045409_39204990.csv.gz"
    with gzip.open(bundled_extract(REAL_EXTRACTS[0]), "rt", encoding="utf-8") as source:
        header, *lines = source.read().splitlines()
    kept = [line for line in lines if line.split(",")[3] == "39204990"]
    with gzip.open(extract, "wt", encoding="utf-8") as out:
        out.write("\n".join([header, *kept]) + "\n")
    ingest_paths([extract], store_root=root / "store", progress=False)
    return root / "store"


def test_cli_on_the_real_extract_names_its_proxy_and_the_gate(real_store: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["unfair", "39204990", "--store", str(real_store), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["synthetic"] is False and data["sources"] == ["comext_sdmx"]
    assert data["reference_price"].startswith("unit value of EU27 exports")
    statuses = {c["name"]: c["status"] for c in data["criteria"]}
    assert statuses["loss of EU market share"] == "undetermined"  # no PRODCOM in the store
    assert [q["reporter"] for q in data["quality"] if q["period"] == "2025-11-01"] == ["IT"]
    assert data["window"] == ["2024-12", "2025-11"]  # December 2025 is incomplete


def test_cli_unknown_code_is_a_clear_error(real_store: Path) -> None:
    result = CliRunner().invoke(build_app(), ["unfair", "29012100", "--store", str(real_store)])
    assert result.exit_code != 0 and "holds no monthly rows of CN 29012100" in result.output
