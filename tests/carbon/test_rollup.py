"""PCF roll-ups checked against hand computation (written beside each case)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon.rollup import (
    Allocation,
    CoProduct,
    Input,
    Process,
    RollupInput,
    allocation_factor,
    rollup,
)
from critchem.cli.main import build_app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_ammonia_by_hand() -> None:
    """``rollup_ammonia.json`` (illustrative figures), computed by hand:

    hydrogen    0.18 kg × 10.0 = 1.800   primary 100 %   DQR (1, 2, 1)
    nitrogen    0.82 kg × 0.10 = 0.082   primary   0 %   DQR (3, 3, 3)
    direct                       0.050   primary 100 %   DQR (1, 1, 1)
    electricity 0.5 kWh × 0.40 = 0.200   primary   0 %   DQR (2, 2, 2)
    E = 2.132, no co-product so a = 1 and PCF = 2.132 kgCO2e/kg
    shares: 1.8/2.132 = 0.844278, 0.2/2.132 = 0.093809 (below 10 %: not a hotspot)
    PDS = (1.8·100 + 0.05·100) / 2.132 = 86.772983 %
    inputs, mass-weighted: (0.18·100 + 0.82·0) / 1.00 = 18 %
    DQR tech = (1.8·1 + 0.082·3 + 0.05·1 + 0.2·2) / 2.132 = 2.496/2.132 = 1.171
    DQR geo  = (1.8·2 + 0.082·3 + 0.05·1 + 0.2·2) / 2.132 = 4.296/2.132 = 2.015
    """
    result = rollup(RollupInput.model_validate_json((DATA / "rollup_ammonia.json").read_text()))
    assert result.pcf_kgco2e_per_kg == pytest.approx(2.132)
    assert result.allocation_factor == 1.0
    assert result.primary_data_share_pct == pytest.approx(86.772983, abs=1e-6)
    assert result.inputs_primary_data_share_mass_weighted_pct == pytest.approx(18.0)
    assert result.dqi is not None
    assert (result.dqi.technological, result.dqi.geographical, result.dqi.temporal) == (
        1.171, 2.015, 1.171,
    )  # fmt: skip
    assert result.hotspots == ["hydrogen"]
    shares = {c.name: c.share for c in result.contributions}
    assert shares["hydrogen"] == pytest.approx(0.844278)
    assert shares["electricity"] == pytest.approx(0.093809)
    assert result.contributions[0].name == "hydrogen"


def _two_outputs(method: Allocation) -> RollupInput:
    return RollupInput(
        product="P",
        inputs=[Input(name="A", quantity_kg_per_kg=1.5, pcf_kgco2e_per_kg=2.0)],
        process=Process(direct_emissions_kgco2e_per_kg=1.0),
        coproducts=[CoProduct(name="B", mass_kg_per_kg=0.5, price_eur_per_kg=0.4)],
        allocation=method,
        product_price_eur_per_kg=1.0,
    )


def test_mass_allocation_by_hand() -> None:
    """E = 1.5·2.0 + 1.0 = 4.0; a = 1/(1 + 0.5) = 0.666667; PCF = 2.666667."""
    result = rollup(_two_outputs(Allocation.mass))
    assert result.burden_before_allocation_kgco2e_per_kg == pytest.approx(4.0)
    assert result.allocation_factor == pytest.approx(2 / 3)
    assert result.pcf_kgco2e_per_kg == pytest.approx(8 / 3)


def test_economic_allocation_by_hand() -> None:
    """a = 1.0/(1.0 + 0.5·0.4) = 1/1.2 = 0.833333; PCF = 4.0/1.2 = 3.333333."""
    result = rollup(_two_outputs(Allocation.economic))
    assert result.allocation_factor == pytest.approx(1 / 1.2)
    assert result.pcf_kgco2e_per_kg == pytest.approx(4.0 / 1.2)


def test_economic_allocation_needs_every_price() -> None:
    with pytest.raises(ValueError, match="missing: P, B"):
        RollupInput(
            product="P",
            coproducts=[CoProduct(name="B", mass_kg_per_kg=0.5)],
            allocation=Allocation.economic,
        )
    assert allocation_factor([], Allocation.economic) == 1.0


def test_electricity_needs_a_sourced_grid_factor() -> None:
    with pytest.raises(ValueError, match="grid_factor_source is required"):
        Process(electricity_kwh_per_kg=1.0, grid_factor_kgco2e_per_kwh=0.3)


def test_missing_quality_is_named() -> None:
    result = rollup(_two_outputs(Allocation.mass))
    assert result.dqi is None
    assert result.dqi_missing_for == ["A", "direct emissions"]


def test_cli_rollup_json() -> None:
    result = runner.invoke(
        build_app(), ["pcf", "rollup", str(DATA / "rollup_ammonia.json"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["pcf_kgco2e_per_kg"] == pytest.approx(2.132)
    assert payload["hotspots"] == ["hydrogen"]
    assert payload["source"] == "illustrative"


def test_cli_rollup_bad_field_is_named(tmp_path: Path) -> None:
    spec = json.loads((DATA / "rollup_ammonia.json").read_text())
    spec["inputs"][1]["quantity_kg_per_kg"] = -1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec))
    result = runner.invoke(build_app(), ["pcf", "rollup", str(bad), "--format", "json"])
    assert result.exit_code == 2
    assert "inputs[2].quantity_kg_per_kg" in " ".join(result.output.split())


def _with_supplier_footprint(footprint_id: str) -> dict[str, object]:
    footprints = json.loads((DATA / "footprints_v3.json").read_text())["data"][:2]
    return {
        "product": "Example ammonia",
        "footprints": footprints,
        "inputs": [{"name": "hydrogen", "quantity_kg_per_kg": 0.18, "footprint_id": footprint_id}],
        "process": {"direct_emissions_kgco2e_per_kg": 0.05},
    }


def test_an_input_from_a_supplier_pact_footprint() -> None:
    """The cylinder footprint: 50 kgCO2e per piece of 25 kg = 2.0 kgCO2e/kg, no primary share
    given (0 %), no DQR.  E = 0.18 · 2.0 + 0.05 = 0.41; PDS = 0.05 · 100 / 0.41 = 12.195122 %."""
    spec = RollupInput.model_validate(
        _with_supplier_footprint("8d2e5a90-1c3b-4f7e-8a6d-5b9c0e1f2a33")
    )
    result = rollup(spec)
    assert result.pcf_kgco2e_per_kg == pytest.approx(0.41)
    assert result.primary_data_share_pct == pytest.approx(12.195122)
    assert result.inputs_primary_data_share_mass_weighted_pct == 0.0
    assert result.dqi is None and result.dqi_missing_for == ["hydrogen", "direct emissions"]


def test_an_unknown_footprint_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "rollup.json"
    bad.write_text(json.dumps(_with_supplier_footprint("00000000-0000-4000-8000-000000000000")))
    result = runner.invoke(build_app(), ["pcf", "rollup", str(bad)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())  # the terminal may wrap the message
    assert "input 'hydrogen': footprint 00000000-0000-4000-8000-000000000000 is not in" in text


def test_an_input_needs_exactly_one_footprint() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Input(name="x", quantity_kg_per_kg=1.0)


def test_grid_factor_of_the_country_when_none_is_declared() -> None:
    """``rollup_grid_country.json`` (illustrative) names TR and declares no grid factor.

    Shipped factor TR 2022 (``grid_intensity_ember.csv``): 413.628 gCO2/kWh = 0.413628 kgCO2/kWh.
    hydrogen    0.18 kg × 10.0      = 1.800000
    direct                            0.050000
    electricity 0.5 kWh × 0.413628  = 0.206814
    E = 2.056814, no co-product: PCF = 2.056814 kgCO2e/kg
    """
    spec = RollupInput.model_validate_json((DATA / "rollup_grid_country.json").read_text())
    result = rollup(spec)
    assert result.grid_factor_kgco2e_per_kwh == pytest.approx(0.413628)
    assert result.grid_factor_source is not None
    assert result.grid_factor_source.startswith("grid factor TR 2022: 413.628 gCO2/kWh")
    assert "not a CBAM default value" in result.grid_factor_source
    electricity = next(c for c in result.contributions if c.name == "electricity")
    assert electricity.kgco2e_per_kg == pytest.approx(0.206814)
    assert result.pcf_kgco2e_per_kg == pytest.approx(2.056814)


def test_a_declared_grid_factor_wins_over_the_country() -> None:
    """Declared 0.1 kgCO2e/kWh: electricity 0.5 × 0.1 = 0.05; PCF = 1.8 + 0.05 + 0.05 = 1.9."""
    spec = json.loads((DATA / "rollup_grid_country.json").read_text())
    spec["process"] |= {"grid_factor_kgco2e_per_kwh": 0.1, "grid_factor_source": "supplier PPA"}
    result = rollup(RollupInput.model_validate(spec))
    assert result.pcf_kgco2e_per_kg == pytest.approx(1.9)
    assert result.grid_factor_source == "declared: supplier PPA"


def test_no_factor_and_no_country_or_unknown_country_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="name the country"):
        Process(electricity_kwh_per_kg=1.0)
    spec = json.loads((DATA / "rollup_grid_country.json").read_text())
    spec["process"]["country"] = "ZZ"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec))
    result = runner.invoke(build_app(), ["pcf", "rollup", str(bad), "--format", "json"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "process" in text and "no shipped grid factor for country 'ZZ'" in text
    assert "Traceback" not in result.output
