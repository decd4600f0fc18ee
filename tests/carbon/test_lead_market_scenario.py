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

On the REAL funded projects register (``investment/data/funded_projects.csv``, the default
ground), low-carbon hydrogen counts the rows of hydrogen whose published product mentions
RFNBO, with their published capacities (10-year bid volumes / 10):

- Hydrogen Bank IF23: Catalina 48 000 + Grey2Green-II 21 600 + HYSENCIA 1 700 + MP2X 51 100
  + SKIGA 16 900 + eNRG Lahti 12 200 = 151 500 t/yr;
- Hydrogen Bank IF24: H2CRI 3 000 + Kristinestad PtX 25 800 = 28 800 t/yr;
- total 180 300 t/yr. Listed, not counted (no published savings, capacity not published):
  SHARC (green and blue hydrogen), Hydrogen Valley of Rome (hydrogen from waste).
- No counted row publishes a start year: started capacity 0 t in every year, 180 300 t/yr
  apart. Quota 0.5 (step) in 2030-2031 of a declared 300 000 t/yr → 150 000 t a year, gap
  150 000 t, gap if all counted capacity runs 150 000 − 180 300 = −30 300 t.
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
    r = scenario_result(
        parse_scenario({"market": "low-carbon-hydrogen", "source": "a ref"}), example=True
    )
    assert r.ground == "pipeline" and r.registered == []
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


REGISTER_DOC = {
    "market": "low-carbon-hydrogen",
    "source": "declared by the test",
    "quota": {"share": 0.5, "start_year": 2030, "years": 2, "ramp": "step"},
    "demand": {"tonnes_per_year": 300000, "source": "declared by the test"},
}


def test_register_ground_counts_the_real_rfnbo_projects_by_hand() -> None:
    r = scenario_result(parse_scenario(REGISTER_DOC))
    assert r.ground == "register" and r.projects == []
    assert r.data_label.startswith("REAL funded projects register")
    counted = {p.project: p.capacity_t_per_year for p in r.registered if p.counted}
    assert counted == {
        "Catalina": 48000,
        "Grey2Green-II": 21600,
        "HYSENCIA": 1700,
        "MP2X": 51100,
        "SKIGA": 16900,
        "eNRG Lahti": 12200,
        "H2CRI": 3000,
        "Kristinestad PtX": 25800,
    }
    by_instrument: dict[str, float] = {}
    for p in r.registered:
        if p.counted and p.capacity_t_per_year is not None:
            by_instrument[p.instrument_id] = (
                by_instrument.get(p.instrument_id, 0) + p.capacity_t_per_year
            )
    assert by_instrument == {"hydrogen-bank-if23": 151500, "hydrogen-bank-if24": 28800}
    assert r.registered_capacity_t_per_year == 180300
    listed = {p.project: p for p in r.registered if not p.counted}
    assert set(listed) == {
        "SHARC (Sustainable Hydrogen and Recovery of Carbon)",
        "Hydrogen Valley of Rome (waste-to-hydrogen)",
    }
    assert all(p.capacity_t_per_year is None for p in listed.values())
    assert all(p.source.startswith("http") and p.checked for p in r.registered)
    assert r.registered_capacity_not_published == []
    assert [
        (y.low_carbon_volume_t, y.low_carbon_capacity_t, y.capacity_start_not_published_t)
        for y in r.years
    ] == [(150000, 0, 180300)] * 2
    assert [(y.gap_t, y.gap_if_all_counted_run_t) for y in r.years] == [(150000, -30300)] * 2
    assert r.registered_basis is not None and "RFNBO" in r.registered_basis


def test_a_counted_row_without_a_published_capacity_adds_nothing() -> None:
    """A miniature register (fictitious rows): 100 t/yr counted from 2031; one RFNBO row
    without a capacity is "capacity not published"; a blue-hydrogen row is listed only."""
    from critchem.carbon.lead_market_scenario import run_scenario
    from critchem.investment.funded import COLUMNS, parse_funded
    from critchem.molecules import load_registry

    text = (
        ",".join(COLUMNS)
        + "\n"
        + "\n".join(
            [
                "Example H2 A,Example Chemicals A,,FI,hydrogen,renewable (RFNBO) hydrogen,100,,"
                "IF,x,,,2024,2031,https://example.org/a,2026-12-07",
                "Example H2 B,Example Chemicals B,,ES,hydrogen,renewable (RFNBO) hydrogen,,,"
                "IF,x,,,2024,,https://example.org/b,2026-12-07",
                "Example H2 C,Example Chemicals C,,NL,hydrogen,blue hydrogen,500,,"
                "IF,x,,,2024,2030,https://example.org/c,2026-12-07",
                "Example NH3 D,Example Chemicals D,,NL,ammonia,renewable (RFNBO) ammonia,900,,"
                "IF,x,,,2024,2030,https://example.org/d,2026-12-07",
            ]
        )
    )
    r = run_scenario(
        parse_scenario(REGISTER_DOC),
        [],
        load_registry(),
        pipeline_label="",
        register=parse_funded(text),
    )
    assert [(p.project, p.counted) for p in r.registered] == [
        ("Example H2 A", True),
        ("Example H2 B", True),
        ("Example H2 C", False),
    ]
    assert r.registered[1].capacity_note == "capacity not published"
    assert r.registered_capacity_t_per_year == 100
    assert r.registered_capacity_not_published == ["Example H2 B"]
    assert [(y.year, y.low_carbon_capacity_t, y.gap_t) for y in r.years] == [
        (2030, 0, 150000),
        (2031, 100, 149900),
    ]


def test_register_ground_in_the_cli_and_the_example_as_an_option(tmp_path: Path) -> None:
    doc = tmp_path / "scenario.json"
    doc.write_text(json.dumps(REGISTER_DOC), encoding="utf-8")
    app = build_app()
    out = runner.invoke(app, ["lead-markets", "scenario", "--scenario", str(doc), "-f", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["registered_capacity_t_per_year"] == 180300 and data["ground"] == "register"
    table = runner.invoke(app, ["lead-markets", "scenario", "--scenario", str(doc)])
    assert table.exit_code == 0 and "180300 t/yr counted" in " ".join(table.stdout.split())
    example = runner.invoke(
        app, ["lead-markets", "scenario", "--scenario", str(doc), "--example", "-f", "json"]
    )
    assert example.exit_code == 0, example.output
    assert json.loads(example.stdout)["data_label"].startswith("ILLUSTRATIVE")
