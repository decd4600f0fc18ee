"""``POST /api/v1/lead-markets/scenario`` on the register of real funded projects and on the
ILLUSTRATIVE example pipeline (``?ground=example``).

By hand, on the register: the RFNBO hydrogen rows publish 180 300 t/yr in all (worked out in
``tests/carbon/test_lead_market_scenario.py``), none with a start year.

By hand, on the example: the example pipeline has no hydrogen project (its ammonia projects are downstream
users), so the low-carbon capacity is 0 t. ΔF = 11 − 2 = 9 t/t, G = 1500 €/t, P = 80 · 0.5
= 40 €/t → premium 1500 − 360 = 1140 €/t. Quota 0.5, step, 2 years, declared demand
1000 t/yr → 500 t a year, gap 500 t, cost 570 000 € a year, 1 140 000 € in all.
"""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api

BODY: dict[str, Any] = {
    "market": "low-carbon-hydrogen",
    "quota": {"share": 0.5, "start_year": 2030, "years": 2, "ramp": "step"},
    "demand": {"tonnes_per_year": 1000, "source": "declared by the test"},
    "premium": {
        "pcf_conventional": 11,
        "pcf_low_carbon": 2,
        "cost_gap_eur_per_t": 1500,
        "ets_price_eur_per_t": 80,
        "eu_priced_share": 0.5,
        "source": "declared by the test",
    },
}


def test_scenario_on_the_register(api: Api) -> None:
    resp = api.post("/api/v1/lead-markets/scenario", json=BODY)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["ground"] == "register" and data["registered_capacity_t_per_year"] == 180300
    assert [
        (y["low_carbon_capacity_t"], y["capacity_start_not_published_t"]) for y in data["years"]
    ] == [(0, 180300)] * 2
    assert all(p["source"] for p in data["registered"])


def test_scenario_by_hand(api: Api) -> None:
    resp = api.post("/api/v1/lead-markets/scenario?ground=example", json=BODY)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["data_label"].startswith("ILLUSTRATIVE")
    assert data["premiums"][0]["premium_eur_per_t"] == 1140
    assert [(y["low_carbon_volume_t"], y["gap_t"]) for y in data["years"]] == [(500, 500)] * 2
    assert data["total_premium_cost_eur"] == 1_140_000
    assert {"EX-006", "EX-024"} <= {p["id"] for p in data["projects"]}


def test_scenario_errors(api: Api) -> None:
    resp = api.post("/api/v1/lead-markets/scenario", json={**BODY, "market": "green-steel"})
    assert resp.status_code == 404 and "green-steel" in resp.text
    resp = api.post(
        "/api/v1/lead-markets/scenario?ground=example",
        json={**BODY, "projects": [{"id": "EX-001", "source": "declared"}]},
    )
    assert resp.status_code == 400 and "EX-001" in resp.text
    resp = api.post("/api/v1/lead-markets/scenario", json={**BODY, "quota": {"share": 2}})
    assert resp.status_code == 422 and "share" in resp.text
