"""The 2026 catalogue: sources and check dates, what is open on a date, the funded register."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.core.errors import ReferenceDataError
from critchem.investment import Award, Context, load_catalogue, parse_project
from critchem.investment.eligibility import judge
from critchem.investment.funded import COLUMNS, load_funded, parse_funded
from critchem.investment.instruments import FIGURES
from tests.investment.conftest import base_data

runner = CliRunner()

NAMED_IN_THE_ISSUE = {
    "eib-own-resources",
    "rrf",
    "modernisation-fund",
    "gber",
    "ceeag",
    "ets-indirect-costs",
    "industrial-decarbonisation-bank",
    "hydrogen-bank-if23",
    "ipcei-hy2use",
    "ipcei-hy2infra",
    "de-klimaschutzvertraege-round1",
    "cisaf-national",
}


def test_every_real_instrument_has_a_check_date_and_every_figure_a_source() -> None:
    catalogue = load_catalogue()
    assert {i.id for i in catalogue.instruments} >= NAMED_IN_THE_ISSUE
    for inst in catalogue.instruments:
        if inst.example:
            continue
        assert inst.checked is not None, inst.id
        for name in FIGURES:
            holder, field = (inst, name)
            if name.startswith("eligibility."):
                holder, field = inst.eligibility, name.split(".", 1)[1]  # type: ignore[assignment]
            if getattr(holder, field) is not None:
                assert inst.sources.get(name), (inst.id, name)


@pytest.mark.parametrize(
    ("day", "instrument", "expected"),
    [
        ("2024-01-15", "hydrogen-bank-if23", "open"),  # 23 Nov 2023 - 8 Feb 2024
        ("2024-02-09", "hydrogen-bank-if23", "closed"),
        ("2024-05-01", "de-klimaschutzvertraege-round1", "open"),  # 12 Mar - 11 Jul 2024
        ("2026-09-01", "rrf", "closed"),  # milestones by 31 August 2026
        ("2026-08-31", "rrf", "open"),
        ("2025-06-24", "cisaf-national", "not_yet_open"),  # adopted 25 June 2025
        ("2026-12-06", "industrial-decarbonisation-bank", "announced"),
        ("2026-01-10", "hydrogen-bank-if25", "opening_unknown"),  # deadline 19 Feb 2026
    ],
)
def test_availability_on_a_date(day: str, instrument: str, expected: str) -> None:
    assert load_catalogue().get(instrument).availability(date.fromisoformat(day)) == expected


def test_a_closed_call_is_refused_with_its_deadline() -> None:
    project = parse_project(base_data(status="feasibility", capex_meur=100, funding_gap_meur=80))
    cat = load_catalogue()
    verdict = judge(project, cat.get("hydrogen-bank-if23"), Context(cat, as_of=date(2026, 1, 1)))
    refusal = next(r for r in verdict.refusals if r.rule == "availability")
    assert "2024-02-08" in refusal.reason


def test_exclusive_group_refuses_only_the_same_costs() -> None:
    """One Union grant on the pilot line, another on the plant: both may be received."""
    project = parse_project(base_data(status="feasibility", capex_meur=100, funding_gap_meur=80))
    cat = load_catalogue()
    day = date(2025, 1, 1)
    prior = (Award("horizon-europe", 10, cost_items=("pilot",)),)
    other = Context(cat, awards=prior, cost_items=("plant",), as_of=day)
    same = Context(cat, awards=prior, cost_items=("pilot",), as_of=day)
    rules = {r.rule for r in judge(project, cat.get("innovation-fund-grant"), other).refusals}
    assert "cumulation" not in rules
    refused = judge(project, cat.get("innovation-fund-grant"), same).refusals
    assert any(r.rule == "cumulation" and "same costs" in r.reason for r in refused)


def test_funded_register_rows_all_have_a_source_and_a_date() -> None:
    rows = load_funded()
    assert len(rows) >= 10
    for row in rows:
        assert row.source.startswith("http"), row.project
        assert row.date[:4].isdigit() and row.checked
    ids = {i.id for i in load_catalogue().instruments}
    assert {r.instrument_id for r in rows if r.instrument_id} <= ids


def test_funded_register_refuses_a_row_without_source() -> None:
    head = ",".join(COLUMNS)
    bad = head + "\nP,C,,FI,hydrogen,H2,100,,IF,,5,,2024,,,2026-12-06\n"
    with pytest.raises(ReferenceDataError, match="line 2: source is empty"):
        parse_funded(bad)
    bad_date = head + "\nP,C,,FI,hydrogen,H2,100,,IF,,5,,May 2024,,https://x,2026-12-06\n"
    with pytest.raises(ReferenceDataError, match="date 'May 2024'"):
        parse_funded(bad_date)


def test_cli_catalogue_as_of_and_funded() -> None:
    app = build_app()
    result = runner.invoke(app, ["funding", "catalogue", "--as-of", "2024-01-15", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    states = {i["id"]: i["availability"] for i in doc["instruments"]}
    assert states["hydrogen-bank-if23"] == "open" and states["ipcei-hy2use"] == "closed"
    opened = runner.invoke(app, ["funding", "catalogue", "--as-of", "2026-12-06", "--open"])
    assert opened.exit_code == 0 and "rrf" not in opened.output
    bad = runner.invoke(app, ["funding", "catalogue", "--as-of", "2024-13-01"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
    funded = runner.invoke(app, ["funding", "funded", "--molecule", "hydrogen", "-f", "json"])
    assert funded.exit_code == 0
    assert all(r["source"] for r in json.loads(funded.output))
