"""Projects, capacity gaps, production sites and optimisation over HTTP, with confidentiality."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from fastapi import FastAPI

from critchem.accounts import Accounts
from critchem.accounts.schemas import AuditOut
from critchem.core.settings import Settings
from critchem.services.investment import default_pipeline_path, import_projects
from tests.api.conftest import Api, add_user, sign_in

V1 = "/api/v1"


@pytest.fixture
def pipeline(settings: Settings) -> None:
    """The example pipeline (30 invented projects) in the app's home."""
    with resources.as_file(
        resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    ) as path:
        report = import_projects(path, pipeline=default_pipeline_path(settings))
    assert report.imported == 30


def _audit(app: FastAPI, action: str = "read_confidential") -> list[AuditOut]:
    accounts: Accounts = app.state.accounts
    entries, _ = accounts.list_audit(action=action)
    return entries


def new_project(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "NEW-1",
        "title": "EXAMPLE green ammonia",
        "promoters": [{"name": "Acme", "country": "DE"}],
        "country": "DE",
        "nuts2": "DEA1",
        "site": "Example site",
        "molecules": [{"molecule": "ammonia", "capacity_t_per_year": 100000}],
        "status": "permitting",
        "start_year": 2028,
        "capex_meur": 100,
        "funding_gap_meur": 40,
        "trl": 7,
        "ghg_avoided_10y_tco2e": 500000,
    }
    body.update(over)
    return body


@pytest.mark.usefixtures("pipeline")
def test_anonymous_list_hides_financials_and_filters(api: Api, app: FastAPI) -> None:
    page = api.get(f"{V1}/projects", params={"limit": 5}).json()
    assert page["total"] == 30 and len(page["items"]) == 5
    assert all(p["capex_meur"] is None and not p["financials_visible"] for p in page["items"])
    de = api.get(f"{V1}/projects", params={"country": "DE"}).json()
    assert [p["id"] for p in de["items"]] == ["EX-001", "EX-019"]
    phenol = api.get(f"{V1}/projects", params={"molecule": "phenol", "status": "fid"}).json()
    assert all("phenol" in {m["molecule"] for m in p["molecules"]} for p in phenol["items"])
    assert _audit(app) == []


@pytest.mark.usefixtures("pipeline")
def test_a_member_sees_its_own_financials_and_the_read_is_audited(api: Api, app: FastAPI) -> None:
    add_user(app, "bea", "member", org="Example Chem B")
    headers = sign_in(api, "bea")
    page = api.get(f"{V1}/projects", headers=headers, params={"limit": 100}).json()
    shown = {p["id"]: p["capex_meur"] for p in page["items"] if p["financials_visible"]}
    assert shown == {"EX-001": 180.0, "EX-027": 120.0}  # owner_org Example Chem B
    one = api.get(f"{V1}/projects/EX-019", headers=headers).json()
    assert one["capex_meur"] is None and one["title"] == "EXAMPLE xylenes plant 19"
    (entry,) = _audit(app)
    assert entry.actor == "bea" and entry.detail == {"financials_of": ["EX-001", "EX-027"]}
    mine = api.get(f"{V1}/projects/EX-001/eligibility", headers=headers).json()
    assert any(v["eligible"] and v["max_amount_meur"] for v in mine)
    public = api.get(f"{V1}/projects/EX-001/eligibility").json()
    assert all(v["max_amount_meur"] is None for v in public)
    assert [v["instrument_id"] for v in public] == [v["instrument_id"] for v in mine]
    assert any(v["refusals"] and v["refusals"][0]["rule"] for v in public)


@pytest.mark.usefixtures("pipeline")
def test_member_submits_for_its_organisation(api: Api, app: FastAPI) -> None:
    add_user(app, "ann", "member", org="Acme")
    headers = sign_in(api, "ann")
    created = api.post(f"{V1}/projects", json=new_project(), headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["owner_org"] == "Acme" and body["capex_meur"] == 100.0
    history = api.get(f"{V1}/projects/NEW-1/history").json()
    assert [(v["version"], v["recorded_by"]) for v in history] == [(1, "ann")]
    assert history[0]["project"]["capex_meur"] is None  # anonymous reader
    assert len(_audit(app, "project_submit")) == 1


@pytest.mark.usefixtures("pipeline")
def test_invalid_submission_is_a_problem_naming_the_field(api: Api, app: FastAPI) -> None:
    add_user(app, "ann", "member", org="Acme")
    headers = sign_in(api, "ann")
    bad = api.post(f"{V1}/projects", json=new_project(nuts2="FR10"), headers=headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    problem = bad.json()
    assert problem["errors"][0]["loc"] == ["body", "nuts2"]
    assert "nuts2 'FR10' is not a region of country 'DE'" in problem["detail"]
    typed = api.post(f"{V1}/projects", json=new_project(trl="high"), headers=headers)
    assert typed.status_code == 422 and typed.json()["errors"][0]["loc"] == ["body", "trl"]
    assert api.post(f"{V1}/projects", json=new_project()).status_code == 401
    assert api.get(f"{V1}/projects/NOPE").status_code == 404


@pytest.mark.usefixtures("pipeline")
def test_capacity_gaps_withhold_small_totals_for_the_public(api: Api, app: FastAPI) -> None:
    out = api.get(f"{V1}/capacity/gaps", params={"selected": ["EX-010"]}).json()
    rows = {m["molecule"]: m for m in out["molecules"]}
    assert out["selected"] == ["EX-010"] and out["illustrative"] is True
    assert rows["hydrogen-fluoride"]["capacity_now_t"] is None  # Example Chemicals X and AR only
    assert rows["hydrogen-fluoride"]["imports_replaced_t"] == 100_000.0
    assert rows["ethylene"]["capacity_now_t"] == 11_195_000.0
    add_user(app, "sue", "secretariat", org="Alliance")
    full = api.get(f"{V1}/capacity/gaps", headers=sign_in(api, "sue")).json()
    assert all(not m["suppressed"] for m in full["molecules"])
    assert len(_audit(app)) == 1
    assert api.get(f"{V1}/capacity/gaps", params={"selected": ["NOPE"]}).status_code == 404


def test_production_sites_show_own_capacities_only(api: Api, app: FastAPI) -> None:
    public = api.get(f"{V1}/production/sites", params={"molecule": "chlorine"}).json()
    assert public["disclosed"] == 0 and public["eu_total"]["capacity_t"] == 3_919_000.0
    assert _audit(app) == []
    add_user(app, "bea", "member", org="Example Chemicals A")
    own = api.get(
        f"{V1}/production/sites", params={"molecule": "chlorine"}, headers=sign_in(api, "bea")
    ).json()
    visible = {s["site_id"]: s["capacity_t"] for s in own["sites"] if s["capacity_t"]}
    assert visible == {"EXS-001": 385000.0}
    (entry,) = _audit(app)
    assert entry.resource == "production chlorine" and entry.detail == {"sites": 1}
    assert api.get(f"{V1}/production/sites", params={"molecule": "xx"}).status_code == 404


@pytest.mark.usefixtures("pipeline")
def test_optimise_needs_the_analyst_role(api: Api, app: FastAPI) -> None:
    add_user(app, "ann", "member", org="Acme")
    denied = api.post(f"{V1}/funding/optimise", json={}, headers=sign_in(api, "ann"))
    assert denied.status_code == 403
    add_user(app, "ana", "analyst", org="Example Chem B")
    response = api.post(
        f"{V1}/funding/optimise", json={"time_limit": 20}, headers=sign_in(api, "ana")
    )
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["example"] is True and out["optimum"]["status"]
    assert {a["project_id"] for a in out["optimum"]["allocations"]} <= {"EX-001", "EX-027"}
    assert out["optimum"]["objective"] >= out["greedy"]["objective"] - 1e-6


@pytest.mark.usefixtures("pipeline")
def test_the_schema_refuses_what_the_validator_refuses(api: Api, app: FastAPI) -> None:
    schema = api.get("/openapi.json").json()["components"]["schemas"]["ProjectIn"]
    assert len(schema["properties"]["country"]["enum"]) == 27  # EU27, from the partner table
    add_user(app, "ann", "member", org="Acme")
    headers = sign_in(api, "ann")
    for field, value in (("country", "de"), ("id", "-x"), ("nuts2", "dea1"), ("trl", 10)):
        bad = api.post(f"{V1}/projects", json=new_project(**{field: value}), headers=headers)
        assert bad.status_code == 422, (field, bad.text)
        assert bad.json()["errors"][0]["loc"] == ["body", field]
    unknown = new_project(molecules=[{"molecule": "unobtainium", "capacity_t_per_year": 1}])
    bad = api.post(f"{V1}/projects", json=unknown, headers=headers)
    assert bad.status_code == 422 and "not a molecule of the registry" in bad.text


@pytest.mark.usefixtures("pipeline")
def test_a_mistyped_drop_is_a_400_naming_the_closest_ids(api: Api, app: FastAPI) -> None:
    add_user(app, "ana", "analyst", org="Alliance")
    body = {"drop": ["EX-0100"], "time_limit": 5}
    bad = api.post(f"{V1}/funding/optimise", json=body, headers=sign_in(api, "ana"))
    assert bad.status_code == 400, bad.text
    # difflib ratios: EX-010 2*6/13 = 0.92, any other EX-01x 2*5/13 = 0.77.
    detail = bad.json()["detail"]
    assert "cannot drop EX-0100: not a portfolio candidate; closest candidates: EX-010, " in detail
