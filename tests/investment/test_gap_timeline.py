"""The ammonia timeline from the public capacities, the closure register and the funded register.

Hand check (production/data/ammonia_plants_pypsa-eur.csv, EU-27 rows with a capacity, kt/a):
NL 1700 + 550, BE 420 + 650, FR 400, DE 880 + 1300 + 750, ES 400 + 200, IT 600, BG 450,
RO 1600, HU 497, SK 530, PL 524, LT 1100, EE 180, GR 165 = 12,896 kt. The closure register
has Yara Tertre's 400 kt ammonia unit announced 2024-10-14 without an effective date (counted
from 2024) and BASF Ludwigshafen without a published capacity (listed, not counted).
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.investment import parse_project
from critchem.services.investment_ground import gap_timeline
from tests.investment.conftest import base_data


def test_ammonia_timeline_from_the_registers() -> None:
    out = gap_timeline("ammonia")
    by_year = {r.year: r for r in out.rows}
    assert list(by_year) == list(range(2022, 2031))
    assert by_year[2023].base_t == 12_896_000
    assert by_year[2023].shortfall_t == 0
    assert by_year[2024].announced_t == 400_000
    assert by_year[2030].capacity_t == 12_496_000
    assert all(r.gap_t is None for r in out.rows) and "demand not sourced" in out.demand_note
    kinds = {e.kind for e in out.events}
    assert {"closure_announced", "not_counted"} <= kinds
    assert all(e.source for e in out.events)


def test_candidates_are_ranked_by_the_share_of_the_2030_shortfall_they_close() -> None:
    small = parse_project(base_data(id="EX-A", start_year=2027))  # 100,000 t
    big = parse_project(
        base_data(
            id="EX-B",
            start_year=2028,
            molecules=[{"molecule": "ammonia", "capacity_t_per_year": 500000}],
        )
    )
    late = parse_project(base_data(id="EX-C", start_year=2031))
    ranked = gap_timeline("ammonia", candidates=[small, big, late]).candidates
    assert [(r.project_id, r.closes_share) for r in ranked] == [
        ("EX-B", 1.0),
        ("EX-A", 0.25),
        ("EX-C", 0.0),
    ]


def test_cli_timeline_json() -> None:
    result = CliRunner().invoke(build_app(), ["funding", "timeline", "ammonia", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["molecule"] == "ammonia" and len(doc["rows"]) == 9


def test_the_portfolio_targets_the_shortfall() -> None:
    """Ammonia's 2030 shortfall is 400,000 t: a 100,000 t project closes 25 % of it."""
    from critchem.investment import load_catalogue
    from critchem.investment.portfolio import Objective, build_problem

    project = parse_project(base_data(status="feasibility", capex_meur=100, funding_gap_meur=80))
    problem = build_problem(
        [project],
        load_catalogue(),
        objective=Objective.shortfall,
        budgets_meur={"innovation-fund-grant": 500.0},
        shortfalls={"ammonia": 400_000.0},
    )
    assert problem.candidates[0].value(Objective.shortfall) == 0.25
