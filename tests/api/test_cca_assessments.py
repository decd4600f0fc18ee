"""The ``cca`` methodology over HTTP: uploaded and demo inputs, Monte Carlo, comparison."""

from __future__ import annotations

from typing import Any

import pytest

from critchem.criticality import demo_files
from critchem.services.criticality import assess
from tests.api.conftest import Api

V1 = "/api/v1"
# ethylene's row of the demo inputs: HHI_x 2.0, HHI_MS 0.15, IR 0.10, S 0.9, G +5 %:
# SR = [0.1·2.0 + 0.9·3.0·0.15] · 0.9 · (1 + 0.5·0.05) = 0.605 · 0.9 · 1.025 = 0.5581125.
ETHYLENE_ROW = "ethylene,2.0,0.15,0.10,0.9,0.05,"
# With HHI_x 10: SR = [1.0 + 0.405] · 0.9225 = 1.2961 ≥ 1.0, so ethylene (EI 6.1) enters.
ETHYLENE_EXPOSED = "ethylene,10.0,0.15,0.10,0.9,0.05,"


def upload(text: str) -> dict[str, tuple[str, bytes, str]]:
    return {"inputs": ("cca_inputs.csv", text.encode(), "text/csv")}


def post_cca(api: Api, text: str, **form: Any) -> dict[str, Any]:
    response = api.post(
        f"{V1}/assessments", data={"methodology": "cca", **form}, files=upload(text)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_cca_upload_with_monte_carlo_matches_the_service(shared_api: Api) -> None:
    path = demo_files("cca").inputs
    body = post_cca(shared_api, path.read_text(encoding="utf-8"), sensitivity_draws=200, seed=4)
    expected = assess("cca", path, sensitivity_draws=200, seed=4)
    assert body["methodology"] == "cca" and len(body["materials"]) == 18
    got = {m["material"]: m for m in body["materials"]}
    assert got["ethylene"]["criteria"]["sr"]["value"] == pytest.approx(0.5581125)
    for m in expected.materials:
        record = got[m.material]
        assert record["critical"] == m.critical
        assert m.sensitivity is not None
        assert record["sensitivity"] == m.sensitivity.model_dump(mode="json")
        s = record["sensitivity"]
        assert 0.0 <= s["p_critical"] <= 1.0
        assert s["rank_p05"] <= s["rank_p50"] <= s["rank_p95"]
    assert body["sensitivity"]["draws"] == 200
    assert {"critical_production", "critical_chain"} <= set(got["ammonia"]["components"])


def test_cca_demo_flag_assesses_the_shipped_cca_inputs(shared_api: Api) -> None:
    response = shared_api.post(f"{V1}/assessments", data={"methodology": "cca", "demo": "true"})
    assert response.status_code == 200, response.text
    demo = response.json()
    uploaded = post_cca(shared_api, demo_files("cca").inputs.read_text(encoding="utf-8"))
    assert [m["material"] for m in demo["materials"]] == [
        m["material"] for m in uploaded["materials"]
    ]
    assert [m["score"] for m in demo["materials"]] == [m["score"] for m in uploaded["materials"]]


def test_compare_two_cca_assessments(shared_api: Api) -> None:
    text = demo_files("cca").inputs.read_text(encoding="utf-8")
    assert ETHYLENE_ROW in text
    before = post_cca(shared_api, text)
    after = post_cca(shared_api, text.replace(ETHYLENE_ROW, ETHYLENE_EXPOSED))
    assert {m["material"]: m for m in after["materials"]}["ethylene"]["critical"] is True
    response = shared_api.post(f"{V1}/assessments/compare", json={"a": before, "b": after})
    assert response.status_code == 200, response.text
    diff = response.json()
    assert diff["entered"] == ["ethylene"] and diff["left"] == []
    assert diff["added"] == [] and diff["removed"] == []
    moved = {m["material"]: m for m in diff["moved"]}
    assert (moved["ethylene"]["critical_a"], moved["ethylene"]["critical_b"]) == (False, True)
    assert moved["ethylene"]["deltas"]["sr"] == pytest.approx(1.2961125 - 0.5581125)


def test_compare_rejects_a_malformed_body(shared_api: Api) -> None:
    response = shared_api.post(f"{V1}/assessments/compare", json={"a": {"materials": []}})
    assert response.status_code == 422
