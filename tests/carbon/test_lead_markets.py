"""Lead-market definitions (data with legal sources) and label eligibility from a PCF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon.lead_markets import catalogue, check_label, definition
from critchem.cli.main import build_app
from critchem.core.errors import CarbonInputError, NotFoundError

DATA = Path(__file__).parent / "data"
runner = CliRunner()
# Declared by these tests (the definitions file does not carry them: not verified there).
COMPARATOR = (94.0, "declared by the test")
ENERGY = (120.0, "declared by the test")


def test_every_definition_has_a_legal_source() -> None:
    ids = {d.id for d in catalogue().definitions}
    assert {"low-carbon-hydrogen", "rfnbo-hydrogen"} <= ids
    for d in catalogue().definitions:
        assert d.legal_source and all(u.startswith("https://") for u in d.source_urls)
    assert definition("low-carbon-hydrogen").min_savings_pct == 70


def test_threshold_and_savings_by_hand() -> None:
    """T = 94 · (1 − 0.70) · 120 / 1000 = 3.384 kgCO2e/kg;
    PCF 3.0: savings = 1 − 3000 / (94 · 120) = 1 − 3000/11280 = 73.4043 %, eligible;
    PCF 3.5: savings = 1 − 3500/11280 = 68.9716 %, not eligible."""
    ok = check_label("low-carbon-hydrogen", "H2", 3.0, comparator=COMPARATOR, energy_content=ENERGY)
    assert ok.threshold_kgco2e_per_kg == pytest.approx(3.384)
    assert ok.savings_pct == pytest.approx(73.4043)
    assert ok.eligible and ok.cn_match is None
    no = check_label("low-carbon-hydrogen", "H2", 3.5, comparator=COMPARATOR, energy_content=ENERGY)
    assert not no.eligible and no.savings_pct == pytest.approx(68.9716)


def test_unverified_parameters_must_be_declared() -> None:
    with pytest.raises(CarbonInputError, match=r"fossil comparator .* declare it with its source"):
        check_label("low-carbon-hydrogen", "H2", 3.0, energy_content=ENERGY)
    with pytest.raises(NotFoundError):
        definition("green-ammonia")


def test_cli_label_json() -> None:
    result = runner.invoke(
        build_app(),
        [
            "pcf", "label", str(DATA / "footprints_v3.json"), "--market", "low-carbon-hydrogen",
            "--comparator", "94", "--comparator-source", "declared by the test",
            "--energy-content", "120", "--energy-source", "declared by the test",
            "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    checks = json.loads(result.stdout)
    # the ammonia footprint is classified CN 28141000, the cylinder has no classification
    assert [(c["product"], c["cn_match"], c["eligible"]) for c in checks] == [
        ("Example ammonia", False, False),
        ("Example hydrogen cylinder", None, True),
    ]
    assert checks[0]["reason"] == "not the product of the definition (CN 28041000)"
    assert checks[1]["pcf_kgco2e_per_kg"] == pytest.approx(2.0)  # 50 kgCO2e per 25 kg piece


def test_cli_label_needs_the_source() -> None:
    result = runner.invoke(
        build_app(),
        ["pcf", "label", str(DATA / "footprints_v3.json"), "--market", "low-carbon-hydrogen",
         "--comparator", "94"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--comparator needs its source" in " ".join(result.output.split())


def test_cli_markets() -> None:
    result = runner.invoke(build_app(), ["pcf", "markets", "--format", "json"])
    assert result.exit_code == 0
    assert any(d["id"] == "low-carbon-hydrogen" for d in json.loads(result.stdout))
