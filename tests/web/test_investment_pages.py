"""The investment pages over HTTP: pipeline, project, funding and capacity, with confidentiality.

Expected figures are worked out by hand from ``investment/data/example_pipeline.csv``
(30 invented projects) and ``production/data/illustrative_member_capacities.csv``; each is written
beside its assertion.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from critchem.accounts import Accounts
from critchem.core.settings import Settings
from critchem.investment import Pipeline, Status
from tests.web.conftest import Browser, add_user

pytestmark = pytest.mark.usefixtures("pipeline")


def _audited(app: FastAPI, actor: str) -> list[str]:
    accounts: Accounts = app.state.accounts
    entries, _ = accounts.list_audit(action="read_confidential", actor=actor)
    return [e.resource for e in entries]


def _svg(html: str, ident: str) -> str:
    start = html.index(f'<svg id="{ident}"')
    return html[start : html.index("</svg>", start)]


def test_anonymous_sees_the_pipeline_without_financials_and_aggregates(
    app: FastAPI, browser: Browser
) -> None:
    page = browser.get("/projects")
    assert page.status_code == 200 and 'href="/projects.json"' in page.text
    assert 'href="/projects" aria-current="page"' in page.text
    assert page.text.count('<td class="n capex"><span class="confidential">') == 30
    data = browser.get("/projects.json").json()
    assert data["pipeline_total"] == 30 and data["financials_shown"] == []
    assert all(p["capex_meur"] is None and p["funding_gap_meur"] is None for p in data["projects"])
    molecules = {a["group"]: a for a in data["by_molecule"]}
    # chlorine: EX-009 (capex 40, gap 8), EX-027 (120, 48) and EX-024, whose 250 and 100
    # split by capacity, 10,000 of 260,000 t: three companies, but the two largest hold
    # 160 of 169.6 (94 % > 85 %): dominated, so withheld.
    chlorine = molecules["chlorine"]
    assert chlorine["companies"] == 3 and chlorine["suppressed"]
    assert chlorine["reason"] == "dominated: 2 companies hold more than 85%"
    assert chlorine["capacity_t"] == 80_000
    # phenol: EX-005 (40, 12), EX-023 (60, 30) and EX-016, whose 180 and 72 split by
    # capacity, 30,000 of 280,000 t: 60 + 40 = 100 of 119.3 (84 %), and 119.3 - 100 = 19.3
    # is more than 10 % of 60: shown.
    phenol = molecules["phenol"]
    assert phenol["companies"] == 3 and not phenol["suppressed"]
    assert phenol["capex_meur"] == pytest.approx(40 + 60 + 180 * 30_000 / 280_000)
    assert phenol["funding_gap_meur"] == pytest.approx(12 + 30 + 72 * 30_000 / 280_000)
    countries = {a["group"]: a for a in data["by_country"]}
    # DE: EX-001 (Example Chem B) and EX-019 (Example Chem T), two companies: suppressed.
    assert countries["DE"]["suppressed"] and countries["DE"]["capex_meur"] is None
    assert _audited(app, "anonymous") == []


def test_the_filters_narrow_the_rows_but_not_the_aggregates(browser: Browser) -> None:
    de = browser.get("/projects.json?country=de").json()
    assert [p["id"] for p in de["projects"]] == ["EX-001", "EX-019"]
    assert len(de["by_country"]) == 18  # the 18 Member States of the whole pipeline
    chlorine = browser.get("/projects.json?molecule=chlorine&status=permitting").json()
    assert [p["id"] for p in chlorine["projects"]] == ["EX-027"]
    assert browser.get("/projects.json?status=finished").status_code == 422
    page = browser.get("/projects?status=finished&country=SE")
    assert page.status_code == 200
    assert page.text.count('<a href="/projects/EX-') == 2  # EX-010 and EX-028, status ignored
    none = browser.get("/projects?country=LU")
    assert "No project matches these filters." in none.text


def test_a_member_sees_its_own_financials_and_not_another_companys(
    app: FastAPI, browser: Browser
) -> None:
    add_user(app, "bea", "member", org="Example Chem B")
    browser.sign_in("bea")
    data = browser.get("/projects.json").json()
    assert data["financials_shown"] == ["EX-001", "EX-027"]  # owner_org Example Chem B
    rows = {p["id"]: p for p in data["projects"]}
    assert (rows["EX-001"]["capex_meur"], rows["EX-001"]["funding_gap_meur"]) == (180.0, 54.0)
    assert rows["EX-019"]["capex_meur"] is None
    countries = {a["group"]: a for a in data["by_country"]}
    assert countries["DE"]["suppressed"]  # Example Chem T's figures are not bea's to see

    own = browser.get("/projects/EX-001")
    assert own.status_code == 200 and 'href="/projects/EX-001.json"' in own.text
    assert '<dd id="capex">180.0 M€</dd>' in own.text
    mine = browser.get("/projects/EX-001.json").json()
    amounts = {v["instrument_id"]: v["max_amount_meur"] for v in mine["funding"] if v["eligible"]}
    assert amounts and all(a is not None and 0 < a <= 54.0 for a in amounts.values())
    assert mine["selection"]["points"] is not None

    other = browser.get("/projects/EX-019")
    assert '<dd id="capex"><span class="confidential">confidential</span></dd>' in other.text
    assert "12.5" not in other.text  # EX-019's funding gap
    theirs = browser.get("/projects/EX-019.json").json()
    assert theirs["project"]["funding_gap_meur"] is None
    assert all(v["max_amount_meur"] is None for v in theirs["funding"])
    assert theirs["selection"]["points"] is None and theirs["selection"]["rank"] is None
    assert _audited(app, "bea") == [
        "project EX-001 page",
        "project EX-001 page",
        "projects page",
    ]  # newest first


def test_the_secretariat_sees_every_financial_figure(app: FastAPI, browser: Browser) -> None:
    add_user(app, "sue", "secretariat", org="Alliance")
    browser.sign_in("sue")
    data = browser.get("/projects.json").json()
    assert len(data["financials_shown"]) == 30
    countries = {a["group"]: a for a in data["by_country"]}
    assert countries["DE"]["capex_meur"] == 180 + 25  # EX-001 and EX-019
    assert not any(a["suppressed"] for a in data["by_country"] + data["by_molecule"])
    page = browser.get("/projects").text
    assert '<span class="confidential">' not in page and '<td class="n capex">180.0</td>' in page


def test_a_refusal_names_its_rule_and_the_history_hides_financial_changes(
    app: FastAPI, browser: Browser, pipeline: Path
) -> None:
    store = Pipeline(pipeline)
    old = store.get("EX-001")
    store.update(
        old.model_copy(update={"status": Status.permitting, "capex_meur": 200.0}), by="bea"
    )
    data = browser.get("/projects/EX-001.json").json()
    refusals = {v["instrument_id"]: v["refusals"] for v in data["funding"] if not v["eligible"]}
    # The Cohesion Fund is for the less developed Member States; Germany is not one of them.
    assert refusals["cohesion-fund"][0]["rule"] == "geography"
    assert "country 'DE' is not one of" in refusals["cohesion-fund"][0]["reason"]
    versions = data["versions"]
    assert [(v["version"], v["recorded_by"]) for v in versions] == [
        (1, "Example Chem B"),
        (2, "bea"),
    ]
    assert versions[1]["changed"] == ["status"]  # the capex change is not the public's
    page = browser.get("/projects/EX-001")
    assert "<strong>geography</strong>: country &#39;DE&#39; is not one of" in page.text
    add_user(app, "bea", "member", org="Example Chem B")
    browser.sign_in("bea")
    owner = browser.get("/projects/EX-001.json").json()
    assert owner["versions"][1]["changed"] == ["status", "capex_meur"]
    missing = browser.get("/projects/NOPE")
    assert missing.status_code == 404 and "NOPE" in missing.text


def test_the_optimisation_form_needs_an_analyst_and_the_csrf_token(
    app: FastAPI, browser: Browser
) -> None:
    form = browser.get("/funding")
    assert form.status_code == 200 and "stopped after 10 s" in form.text
    assert "Sign in</a> as an analyst" in form.text
    choices = browser.get("/funding.json").json()
    assert choices["form"]["time_limit_s"] == 10.0 and choices["base"] is None
    assert len(choices["form"]["candidates"]) == 14  # retained by the two-stage selection
    token = browser.csrf("/funding")
    assert browser.post("/funding", data={"csrf_token": token}).status_code == 401
    add_user(app, "mel", "member", org="Example Chem B")
    browser.sign_in("mel")
    member = browser.post("/funding", data={"csrf_token": browser.csrf("/funding")})
    assert member.status_code == 403 and "analyst role" in member.text
    add_user(app, "ana", "analyst", org="Alliance")
    browser.sign_in("ana")
    assert browser.post("/funding", data={"objective": "gap"}).status_code == 403
    forged = browser.post("/funding", data={"csrf_token": "0" * 64})
    assert forged.status_code == 403 and "csrf_token" in forged.text
    bad = browser.post("/funding", data={"csrf_token": browser.csrf("/funding"), "scale:*": "many"})
    assert bad.status_code == 400 and "expected a number" in bad.text
    assert _audited(app, "ana") == []


def test_an_analyst_runs_the_optimisation_and_its_what_if(app: FastAPI, browser: Browser) -> None:
    add_user(app, "ana", "analyst", org="Alliance")
    browser.sign_in("ana")
    fields = {
        "csrf_token": browser.csrf("/funding"),
        "objective": "gap",
        "scale:*": "1",
        "scale:investeu": "0.5",
        "drop": "EX-010",
    }
    page = browser.post("/funding", data=fields)
    assert page.status_code == 200, page.text
    assert "Base (optimum)" in page.text and "What-if (optimum)" in page.text
    assert 'value="0.5"' in page.text and 'value="EX-010" checked' in page.text
    data = browser.post("/funding.json", data=fields).json()
    base, what_if = data["base"], data["what_if"]
    assert base["status"] == what_if["status"] == "optimal"
    assert base["gap"] <= 1e-4 and base["time_limit"] == 10.0
    capacities = {c["project_id"]: c["capacity_value"] for c in data["form"]["candidates"]}
    # The gap objective is the capacity (t/year, weights 1) of the funded projects.
    assert base["objective"] == pytest.approx(sum(capacities[i] for i in base["selected"]))
    assert "EX-010" in data["comparison"]["left"] and "EX-010" not in what_if["selected"]
    change = 100 * (what_if["objective"] - base["objective"]) / base["objective"]
    assert data["comparison"]["objective_change_pct"] == pytest.approx(change)
    assert base["objective"] >= data["greedy"]["objective"] - 1e-6
    rows = {r["instrument_id"]: r for r in data["by_instrument"]}
    assert rows["investeu"]["what_if_budget_meur"] == rows["investeu"]["budget_meur"] * 0.5
    # ana (organisation Alliance) may see no project's awards: every total of fewer than
    # three companies is withheld, the others shown.
    assert base["awards"] == [] and base["hidden_for"] == base["selected"]
    for row in rows.values():
        assert row["base"]["suppressed"] == (row["base"]["companies"] < 3)
    assert _audited(app, "ana") == ["funding page", "funding page"]


def test_the_secretariat_sees_every_award_and_the_totals(app: FastAPI, browser: Browser) -> None:
    add_user(app, "sue", "secretariat", org="Alliance")
    browser.sign_in("sue")
    fields = {"csrf_token": browser.csrf("/funding"), "objective": "ghg"}
    data = browser.post("/funding.json", data=fields).json()
    base = data["base"]
    assert data["what_if"] is None and "No what-if" in data["message"]
    assert base["hidden_for"] == [] and {a["project_id"] for a in base["awards"]} == set(
        base["selected"]
    )
    total = sum(a["amount_meur"] for a in base["awards"])
    assert base["public"]["awarded_meur"] == pytest.approx(total)
    by_instrument = sum(r["base"]["awarded_meur"] for r in data["by_instrument"])
    assert by_instrument == pytest.approx(total)
    for row in data["by_instrument"]:
        assert row["base"]["awarded_meur"] <= row["budget_meur"] + 1e-6


def test_capacity_page_withholds_small_totals_and_draws_chart_and_map(
    app: FastAPI, browser: Browser
) -> None:
    page = browser.get("/capacity")
    assert page.status_code == 200 and 'href="/capacity.json"' in page.text
    data = browser.get("/capacity.json").json()
    rows = {m["molecule"]: m for m in data["gaps"]["molecules"]}
    # Hydrogen fluoride is made by Example Chemicals X and AR only: its capacity is withheld.
    assert rows["hydrogen-fluoride"]["capacity_now_t"] is None
    assert rows["ethylene"]["capacity_now_t"] == 11_195_000.0
    bars = _svg(page.text, "chart-capacity")
    shown = sum(
        m[k] is not None for m in rows.values() for k in ("capacity_now_t", "capacity_after_t")
    )
    assert bars.count('class="mark bar"') == shown
    assert "Ethylene: capacity now 11,195,000 t/year" in bars  # 11,195,000 / 9,450,000 = 118.5 %
    assert ">118%<" in bars
    assert '<th scope="col" class="n">Capacity now</th>' in page.text  # the table fallback
    drawn = _svg(page.text, "map-capacity")
    assert drawn.count('class="mark plant"') == len(data["sites"]) > 50
    assert (
        drawn.count('class="mark project"')
        == len(data["projects"])
        == len(data["gaps"]["selected"])
    )
    assert _audited(app, "anonymous") == []


def test_capacity_page_with_chosen_projects(app: FastAPI, browser: Browser) -> None:
    alone = browser.get("/capacity.json?selected=EX-010&given=true").json()
    assert alone["gaps"]["selected"] == ["EX-010"]
    hf = {m["molecule"]: m for m in alone["gaps"]["molecules"]}["hydrogen-fluoride"]
    # EX-010 adds 100,000 t/year; imports 120,000 of a demand of 190,000 t (2024):
    # replaced min(100,000, 120,000) = 100,000, dependency (120,000 - 100,000) / 190,000.
    assert hf["added_t"] == 100_000 and hf["imports_replaced_t"] == 100_000
    assert hf["dependency_after"] == pytest.approx(20_000 / 190_000)
    nothing = browser.get("/capacity.json?given=true").json()
    assert nothing["gaps"]["selected"] == [] and nothing["gaps"]["selection"] == "given"
    page = browser.get("/capacity?selected=EX-010&given=true")
    assert re.search(r'value="EX-010" checked', page.text)
    assert browser.get("/capacity?selected=NOPE").status_code == 404
    add_user(app, "sue", "secretariat", org="Alliance")
    browser.sign_in("sue")
    full = browser.get("/capacity.json").json()
    assert not any(m["suppressed"] for m in full["gaps"]["molecules"])
    assert _audited(app, "sue") == ["capacity page"]


def test_pages_say_how_to_fill_an_empty_pipeline(tmp_path: Path) -> None:
    from critchem.api import create_app

    home = tmp_path / "empty"
    app = create_app(Settings(home=home, store_path=home / "store"))
    try:
        browser = Browser(app)
        for url in ("/projects", "/funding", "/capacity"):
            page = browser.get(url)
            assert page.status_code == 200, url
            assert "The pipeline is empty" in page.text, url
    finally:
        app.state.alert_store.dispose()
