"""Cost items in the request body: ``POST /funding/cost-items`` and project eligibility.

Expectations from ``tests/investment/data/cost_items_refused.json`` by hand: electrolyser
30 (GBER) + 20 (Innovation Fund) = 50 M€ on 100 M€ under GBER Article 41 for a large
enterprise (45 %): refused; pilot 5 of 20 M€ = 25 % under Article 25 experimental
development (25 %): allowed. Relevant costs 120 M€.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from fastapi import FastAPI

from critchem.core.settings import Settings
from critchem.services.investment import default_pipeline_path, import_projects
from tests.api.conftest import Api, add_user, sign_in

DATA = Path(__file__).parent.parent / "investment" / "data"


@pytest.fixture
def pipeline(settings: Settings) -> None:
    with resources.as_file(
        resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    ) as path:
        assert import_projects(path, pipeline=default_pipeline_path(settings)).imported == 30


def test_api_checks_cost_items_in_the_body(api: Api) -> None:
    body = json.loads((DATA / "cost_items_refused.json").read_text("utf-8"))
    resp = api.post("/api/v1/funding/cost-items", json=body)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["allowed"] is False
    electrolyser = data["items"][0]
    assert electrolyser["support_meur"] == 50 and electrolyser["ceiling_meur"] == 45
    [breach] = electrolyser["breaches"]
    assert breach["rule"] == "aid-intensity" and "gber-41-large" in breach["provision"]
    assert "651/2014" in breach["reason"]
    assert data["items"][1]["allowed"] is True


def test_api_bad_body_names_the_position(api: Api) -> None:
    resp = api.post(
        "/api/v1/funding/cost-items",
        json={"items": [{"id": "a", "cost_meur": 1, "aid_rules": ["gber-99"]}]},
    )
    assert resp.status_code == 400
    assert "items[0], field 'aid_rules'" in resp.text
    resp = api.post("/api/v1/funding/cost-items", json={"items": [{"id": "a", "cost_meur": -1}]})
    assert resp.status_code == 422


@pytest.mark.usefixtures("pipeline")
def test_api_project_eligibility_with_items(app: FastAPI, api: Api) -> None:
    body = json.loads((DATA / "cost_items_refused.json").read_text("utf-8"))
    resp = api.post("/api/v1/projects/EX-005/eligibility", json=body)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["cost_items"]["relevant_costs_meur"] == 120
    # anonymous: the amounts derive from the confidential funding gap
    assert all(v["max_amount_meur"] is None for v in data["instruments"])
    assert api.post("/api/v1/projects/EX-999/eligibility", json=body).status_code == 404
    add_user(app, "bea", "secretariat")
    mine = api.post(
        "/api/v1/projects/EX-005/eligibility", json=body, headers=sign_in(api, "bea")
    ).json()
    # EX-005: gap 12; with relevant costs 120 the Innovation Fund may give min(12, 72) = 12
    verdicts = {v["instrument_id"]: v for v in mine["instruments"]}
    assert verdicts["innovation-fund-grant"]["max_amount_meur"] == 12
