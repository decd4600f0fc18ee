"""Project financials are confidential: who sees them, and aggregates with suppression."""

from __future__ import annotations

from importlib import resources

import pytest

from critchem.accounts.roles import ANONYMOUS, Principal
from critchem.investment import Pipeline, import_file, parse_project
from critchem.services.investment import pipeline_aggregates, project_out
from tests.investment.conftest import base_data

OWNER = Principal("ann", "member", "Org A")
PARTNER = Principal("pat", "member", "Partner B")
OTHER = Principal("oli", "analyst", "Org C")
SECRETARIAT = Principal("sue", "secretariat", "Alliance")

PROJECT = parse_project(
    base_data(
        promoters=[{"name": "Org A", "country": "DE"}, {"name": "Partner B", "country": "FR"}]
    )
)


@pytest.mark.parametrize(
    ("principal", "shown"),
    [(OWNER, True), (PARTNER, True), (SECRETARIAT, True), (OTHER, False), (ANONYMOUS, False)],
)
def test_financials_only_for_promoters_and_secretariat(principal: Principal, shown: bool) -> None:
    out = project_out(PROJECT, principal)
    assert out.financials_visible is shown
    assert (out.capex_meur, out.funding_gap_meur) == ((100.0, 60.0) if shown else (None, None))
    # public fields are the same for everyone
    assert (out.title, out.molecules[0].capacity_t_per_year, out.trl) == (
        "Green ammonia plant",
        100000.0,
        7,
    )


@pytest.fixture(scope="module")
def example() -> Pipeline:
    pipeline = Pipeline()
    with resources.as_file(
        resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    ) as path:
        report = import_file(pipeline, path)
    assert report.rejected == 0
    return pipeline


def test_country_aggregates_of_one_or_two_companies_are_suppressed(example: Pipeline) -> None:
    rows = {a.group: a for a in pipeline_aggregates(example.current(), ANONYMOUS)}
    # Germany: EX-001 (Example Chem B, 180 M€) and EX-019 (Example Chem T, 25 M€)
    assert (rows["DE"].projects, rows["DE"].companies) == (2, 2)
    assert rows["DE"].suppressed and rows["DE"].capex_meur is None
    assert all(a.suppressed for a in rows.values())  # no country has three promoters
    full = {a.group: a for a in pipeline_aggregates(example.current(), SECRETARIAT)}
    assert full["DE"].capex_meur == 205.0 and full["DE"].funding_gap_meur == 66.5


def test_molecule_aggregates_split_money_by_capacity(example: Pipeline) -> None:
    rows = {a.group: a for a in pipeline_aggregates(example.current(), ANONYMOUS, by="molecule")}
    phenol = rows["phenol"]
    # EX-005 (F) 500 kt, 40 M€ / 12 M€; EX-023 (X) 500 kt, 60 / 30;
    # EX-016 (Q) methanol 250 kt + phenol 30 kt, 180 / 72 -> phenol share 30/280.
    assert (phenol.projects, phenol.companies, phenol.suppressed) == (3, 3, False)
    assert phenol.capacity_t == 1_030_000.0
    assert phenol.capex_meur == pytest.approx(40 + 60 + 180 * 30 / 280)
    assert phenol.funding_gap_meur == pytest.approx(12 + 30 + 72 * 30 / 280)
    assert rows["lysine"].suppressed and rows["lysine"].capex_meur is None
    assert rows["lysine"].capacity_t == 100_000.0  # capacities are public
    total = sum(p.capex_meur for p in example.current())
    shown = pipeline_aggregates(example.current(), SECRETARIAT, by="molecule")
    assert sum(a.capex_meur or 0.0 for a in shown) == pytest.approx(total)


def test_a_member_sees_a_small_aggregate_only_when_all_of_it_is_its_own() -> None:
    mine = [
        parse_project(base_data(id="P-1")),
        parse_project(base_data(id="P-2", capex_meur=50, funding_gap_meur=10)),
    ]
    (row,) = pipeline_aggregates(mine, OWNER)
    assert (row.capex_meur, row.funding_gap_meur, row.suppressed) == (150.0, 70.0, False)
    (hidden,) = pipeline_aggregates(mine, OTHER)
    assert hidden.suppressed and hidden.capex_meur is None
