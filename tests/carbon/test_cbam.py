"""CBAM certificate cost, hand-computed on illustrative shipments (the CBAM share is declared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon.cbam import CbamInputs, calculate, cbam_good, chemical_goods
from critchem.cli.main import build_app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_two_shipments_by_hand() -> None:
    """ETS 80 EUR/t, declared share s = 0.025.

    S1 ammonia: E = 1000 t × 2.5 = 2500 t; cost = 2500 · 0.025 · (80 − 0) = 5000 EUR;
                N = 5000 / 80 = 62.5 certificates
    S2 urea:    E = 500 t × 1.8 = 900 t;   cost = 900 · 0.025 · (80 − 20) = 1350 EUR;
                N = 1350 / 80 = 16.875 certificates
    totals: 3400 t embedded, 79.375 certificates, 6350 EUR
    """
    result = calculate(CbamInputs.model_validate_json((DATA / "cbam_inputs.json").read_text()))
    s1, s2 = result.shipments
    assert (s1.embedded_tco2e, s1.cost_eur, s1.certificates) == (2500.0, 5000.0, 62.5)
    assert (s2.embedded_tco2e, s2.cost_eur, s2.certificates) == (900.0, 1350.0, 16.875)
    assert s1.good == "Ammonia" and s2.good == "Urea"
    assert s2.cost_eur_per_t == pytest.approx(2.7)
    assert (result.total_embedded_tco2e, result.total_certificates, result.total_cost_eur) == (
        3400.0, 79.375, 6350.0,
    )  # fmt: skip


def test_chemical_chain_goods_list() -> None:
    codes = {g.cn_code for g in chemical_goods()}
    assert {"28041000", "28080000", "2814", "3102", "3105"} <= codes
    assert cbam_good("31059080") is not None
    assert cbam_good("28470000") is None  # hydrogen peroxide is not an Annex I good


def test_a_non_cbam_good_is_named(tmp_path: Path) -> None:
    spec = json.loads((DATA / "cbam_inputs.json").read_text())
    spec["shipments"][1]["cn_code"] = "29051100"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec))
    result = runner.invoke(build_app(), ["cbam", "calc", "--inputs", str(bad)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())  # the terminal may wrap the message
    assert "shipments[2].cn_code" in text
    assert "Traceback" not in result.output


def test_a_share_without_its_source_is_refused(tmp_path: Path) -> None:
    spec = json.loads((DATA / "cbam_inputs.json").read_text())
    del spec["cbam_share_source"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec))
    result = runner.invoke(build_app(), ["cbam", "calc", "--inputs", str(bad)])
    assert result.exit_code == 2
    assert "cbam_share_source is required with cbam_share" in " ".join(result.output.split())
    del spec["cbam_share"]
    bad.write_text(json.dumps(spec))
    result = runner.invoke(build_app(), ["cbam", "calc", "--inputs", str(bad)])
    text = " ".join(result.output.split())
    assert "required for the shipments without free_allocation: S1, S2" in text


def test_cli_cbam_json() -> None:
    result = runner.invoke(
        build_app(),
        ["cbam", "calc", "--inputs", str(DATA / "cbam_inputs.json"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["total_cost_eur"] == 6350.0
    assert payload["cbam_share_source"] == "illustrative, declared by the user"
    assert payload["source"] == "illustrative"
