"""The lead-market demand scenario: projects serving the market, premium, quota demand.

Hand computation of ``data/lead_market_scenario.yaml`` on ``data/lead_market_pipeline.csv``
(ILLUSTRATIVE: invented projects, figures declared by the test):

- threshold T = 94 · (1 − 0.70) · 120 / 1000 = 3.384 kgCO2e/kg;
  EXH-1 declares 2.0 → low-carbon; EXH-2 declares 9.0 → above threshold; EXH-4 declares a
  technology only; EXH-3 makes ammonia (made from hydrogen) → downstream, not tagged;
  EXH-5 makes xylenes → not listed.
- ΔF = 11 − 2 = 9 tCO2e/t, G = 1500 €/t.
  EU production: P = 80 · 0.5 = 40 → premium = 1500 − 9 · 40 = 1140 €/t.
  Import under CBAM: P = 0.5 · (80 − 20) = 30 → premium = 1500 − 9 · 30 = 1230 €/t.
- Quota 0.4 from 2030, 4 years, linear: q = 0.1, 0.2, 0.3, 0.4; demand 100 000 t/yr →
  volume 10 000, 20 000, 30 000, 40 000 t; low-carbon capacity (EXH-1 from 2030) 10 000 t →
  gap 0, 10 000, 20 000, 30 000 t; cost 1140 × volume = 11.4, 22.8, 34.2, 45.6 M€,
  total 114 M€ for 100 000 t.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from critchem.carbon.lead_market_scenario import NOT_DECLARED
from critchem.carbon.quota import (
    effective_cbam_price,
    premium_per_tonne,
    quota_share,
)
from critchem.cli.main import build_app
from critchem.core.errors import CarbonInputError
from critchem.services.lead_markets import parse_scenario, scenario_file, scenario_result

DATA = Path(__file__).parent / "data"
SCENARIO = DATA / "lead_market_scenario.yaml"
PIPELINE = DATA / "lead_market_pipeline.csv"
runner = CliRunner()


def test_formulas_by_hand() -> None:
    assert [quota_share(y, 0.4, 2030, 2033, ramp="linear") for y in range(2029, 2035)] == (
        pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4, 0.0])
    )
    assert quota_share(2032, 0.25, 2030, 2033, ramp="step") == 0.25
    assert premium_per_tonne(1500.0, 9.0, 40.0) == 1140.0
    assert premium_per_tonne(100.0, 9.0, 40.0) == 0.0  # the carbon price closes the gap
    assert effective_cbam_price(80.0, 20.0, 0.5) == 30.0  # 0.5 · (80 − 20)
    assert effective_cbam_price(80.0, 90.0, 1.0) == 0.0  # origin price above the ETS price


def test_scenario_by_hand() -> None:
    r = scenario_file(SCENARIO, pipeline=PIPELINE)
    assert r.threshold_kgco2e_per_kg == pytest.approx(3.384)
    assert [(p.id, p.molecule, p.relation, p.tag) for p in r.projects] == [
        ("EXH-1", "hydrogen", "product", "low-carbon"),
        ("EXH-2", "hydrogen", "product", "above threshold"),
        ("EXH-4", "hydrogen", "product", "technology only"),
        ("EXH-3", "ammonia", "downstream", "n/a"),
    ]
    assert r.molecules[0].id == "hydrogen" and "28041000" in r.molecules[0].cn8
    assert "ammonia" in {m.id for m in r.molecules if m.relation == "downstream"}
    assert [(p.view, p.premium_eur_per_t) for p in r.premiums] == [
        ("EU production", 1140.0),
        ("import under CBAM", 1230.0),
    ]
    assert [y.low_carbon_volume_t for y in r.years] == [10000, 20000, 30000, 40000]
    assert [y.low_carbon_capacity_t for y in r.years] == [10000] * 4
    assert [y.gap_t for y in r.years] == [0, 10000, 20000, 30000]
    assert [y.premium_cost_eur for y in r.years] == [11.4e6, 22.8e6, 34.2e6, 45.6e6]
    assert r.years[-1].premium_cost_import_eur == 40000 * 1230
    assert r.total_low_carbon_volume_t == 100000 and r.total_premium_cost_eur == 114e6
    assert r.data_label.startswith("ILLUSTRATIVE") and r.demand_declared


def test_without_demand_per_tonne_figures_only() -> None:
    doc = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    del doc["demand"]
    r = scenario_result(parse_scenario(doc), pipeline=PIPELINE)
    assert r.demand_note == NOT_DECLARED and not r.demand_declared
    assert all(y.low_carbon_volume_t is None and y.premium_cost_eur is None for y in r.years)
    assert r.years[0].low_carbon_capacity_t == 10000 and r.total_premium_cost_eur is None
    assert r.premiums[0].premium_eur_per_t == 1140.0


def test_example_pipeline_is_labelled_illustrative() -> None:
    r = scenario_result(parse_scenario({"market": "low-carbon-hydrogen", "source": "a ref"}))
    assert r.data_label.startswith("ILLUSTRATIVE")
    assert {p.id for p in r.projects} >= {"EX-006", "EX-024"}  # ammonia: downstream
    assert all(p.tag == "n/a" for p in r.projects if p.relation == "downstream")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quota": {"share": 1.5, "start_year": 2030}}, "quota.share"),
        ({"demand": {"tonnes_per_year": 10}}, "demand.source"),
        ({"projects": [{"id": "EXH-1", "pcf_kgco2e_per_kg": -1, "source": "x"}]}, "projects[1]"),
        ({"market": "green-steel"}, "no lead-market definition 'green-steel'"),
        ({"projects": [{"id": "EXH-5", "source": "x"}]}, "EXH-5 make no molecule"),
        ({"comparator_gco2e_per_mj": None}, "fossil comparator"),
        (
            {"projects": [{"id": "EXH-1", "source": "x"}, {"id": "EXH-1", "source": "y"}]},
            "declared twice: EXH-1",
        ),
    ],
)
def test_bad_scenarios_name_the_field(change: dict[str, object], message: str) -> None:
    doc = {**yaml.safe_load(SCENARIO.read_text(encoding="utf-8")), **change}
    with pytest.raises((CarbonInputError, LookupError)) as err:
        scenario_result(parse_scenario(doc), pipeline=PIPELINE)
    assert message in str(err.value)


def test_cli_json_table_csv_and_errors(tmp_path: Path) -> None:
    app = build_app()
    args = ["lead-markets", "scenario", "--scenario", str(SCENARIO), "--pipeline", str(PIPELINE)]
    out = runner.invoke(app, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["total_premium_cost_eur"] == 114e6 and data["data_label"].startswith("ILLUSTRATIVE")
    table = runner.invoke(app, [*args, "--format", "table"])
    assert table.exit_code == 0 and "ILLUSTRATIVE" in table.stdout and "1140" in table.stdout
    csv = runner.invoke(app, [*args, "--format", "csv"])
    assert csv.exit_code == 0 and csv.stdout.splitlines()[0].startswith("year,quota_share")
    assert "ILLUSTRATIVE" in csv.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"market": "low-carbon-hydrogen", "quota": {"share": 0}}))
    out = runner.invoke(app, ["lead-markets", "scenario", "--scenario", str(bad)])
    assert out.exit_code != 0 and "quota.share" in out.output and "Traceback" not in out.output
