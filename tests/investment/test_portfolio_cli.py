"""The portfolio from projects and the catalogue, the service and ``critchem funding``."""

from __future__ import annotations

import csv
import io
import json
import os
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.core.errors import PortfolioError
from critchem.investment import load_catalogue, parse_project
from critchem.investment.portfolio import build_problem, load_config
from critchem.services import investment as service
from tests.investment.conftest import base_data

runner = CliRunner()
EXAMPLE = Path(str(resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")))


def test_offers_are_the_eligibility_headroom_and_budgets_are_left_to_the_optimiser() -> None:
    """Capex 100, gap 80, status feasibility, DE.

    Innovation Fund grant: min(gap 80, 60 % × 100) = 60; Horizon Europe: min(80, 70 %) = 70;
    IPCEI needs its label: no offer. The example scheme's budget (1000) is not a per-project
    cap; without a budget, the other instruments are left out and said so.
    """
    project = parse_project(
        base_data(status="feasibility", capex_meur=100, funding_gap_meur=80, trl=6)
    )
    budgets = {"innovation-fund-grant": 500.0, "horizon-europe": 50.0, "ipcei": 100.0}
    prob = build_problem(
        [project], load_catalogue(), budgets_meur=budgets, weights={"ammonia": 2.0}
    )
    offers = {o.instrument_id: o.max_meur for o in prob.offers}
    assert offers == {"innovation-fund-grant": 60.0, "horizon-europe": 70.0}
    assert {f.id for f in prob.funds} == {*budgets, "example-national-scheme"}
    assert prob.fund("innovation-fund-grant").exclusive_group == "eu-direct-grant"
    assert prob.fund("example-national-scheme").public_support_cap == 0.5
    assert prob.candidates[0].capacity_value == 200_000  # 100,000 t/yr × weight 2
    assert any("'investeu' has no budget" in n for n in prob.notes)
    with pytest.raises(PortfolioError, match=r"unknown instrument.*: nope"):
        build_problem([project], load_catalogue(), budgets_meur={"nope": 1.0})


def test_shipped_settings_are_labelled_example() -> None:
    config = load_config()
    assert config.example and "example" in config.version
    assert set(config.budgets_meur) <= {i.id for i in load_catalogue().instruments}


@pytest.fixture
def pipeline(tmp_path: Path) -> Path:
    path = tmp_path / "pipeline.jsonl"
    report = service.import_projects(EXAMPLE, pipeline=path)
    assert report.imported == 30
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_funding_optimise_json_with_a_what_if(pipeline: Path) -> None:
    code, out, err = invoke(
        "funding", "optimise", "--pipeline", str(pipeline), "--time-limit", "20",
        "--drop", "EX-005", "--budget-scale", "*=0.8", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    best, heur, what = data["optimum"], data["greedy"], data["what-if"]
    assert data["example"] is True and data["candidates"] == 14  # selected by the two stages
    assert best["status"] == "optimal" and best["gap"] <= 1e-4
    assert best["pid"] != os.getpid()
    assert heur["objective"] <= best["objective"] * (1 + 1e-4)
    assert "EX-005" not in what["selected"]
    cmp = data["comparison"]
    assert set(cmp["left"]) == set(best["selected"]) - set(what["selected"])
    assert cmp["objective_change"] == pytest.approx(what["objective"] - best["objective"])
    for sol in (best, heur, what):
        by_project: dict[str, float] = {}
        for a in sol["allocations"]:
            by_project[a["project_id"]] = by_project.get(a["project_id"], 0) + a["amount_meur"]
        assert set(by_project) == set(sol["selected"])


def test_funding_optimise_csv_and_bad_option(pipeline: Path) -> None:
    code, out, _ = invoke(
        "funding", "optimise", "--pipeline", str(pipeline), "--objective", "ghg", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and set(rows[0]) == {"portfolio", "project_id", "instrument", "amount_meur"}
    assert {r["portfolio"] for r in rows} == {"optimum", "greedy"}
    code, _, err = invoke("funding", "optimise", "--pipeline", str(pipeline), "--budget-scale", "x")
    assert code == 2 and "--budget-scale 'x': expected NAME=NUMBER" in err


def test_funding_match_lists_fits_and_refusals(pipeline: Path) -> None:
    """EX-005: capex 40, gap 12, IT, fid, no label. Innovation Fund grant up to
    min(12, 60 % × 40 = 24) = 12; IPCEI refused by the labels rule."""
    code, out, _ = invoke("funding", "match", "EX-005", "--pipeline", str(pipeline), "-f", "json")
    assert code == 0
    verdicts = {v["instrument_id"]: v for v in json.loads(out)}
    assert verdicts["innovation-fund-grant"]["max_amount_meur"] == 12
    assert [r["rule"] for r in verdicts["ipcei"]["refusals"]] == ["labels"]
    code, _, err = invoke("funding", "match", "EX-999", "--pipeline", str(pipeline))
    assert code == 3 and "EX-999" in err
