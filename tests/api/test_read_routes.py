"""Molecules, codes and trade indicators over HTTP, with RFC 9457 problems for bad input."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

V1 = "/api/v1"
PROBLEM = "application/problem+json"


def test_health(shared_api: Api) -> None:
    for path in ("/health", f"{V1}/health"):
        response = shared_api.get(path)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"


def test_show_molecule_by_name_cas_and_code(shared_api: Api) -> None:
    for query in ("ethylene", "74-85-1", "Ethylene"):
        response = shared_api.get(f"{V1}/molecules/{query}")
        assert response.status_code == 200, query
        body = response.json()
        assert (body["cas"], body["cn8"], body["in_registry"]) == ("74-85-1", ["29012100"], True)


def test_search_molecules_is_paginated(shared_api: Api) -> None:
    body = shared_api.get(f"{V1}/molecules", params={"q": "ethylene"}).json()
    assert body["items"][0]["cas"] == "74-85-1"
    assert (body["limit"], body["offset"]) == (50, 0)
    everything = shared_api.get(f"{V1}/molecules", params={"limit": 500}).json()
    assert everything["total"] == len(everything["items"]) > 20
    page = shared_api.get(f"{V1}/molecules", params={"limit": 5, "offset": 5}).json()
    assert page["total"] == everything["total"]
    assert [m["id"] for m in page["items"]] == [m["id"] for m in everything["items"][5:10]]


def test_list_molecules_by_tag(shared_api: Api) -> None:
    body = shared_api.get(f"{V1}/molecules", params={"tag": "cca-nonpaper-2025"}).json()
    assert body["total"] == 18
    assert all("cca-nonpaper-2025" in m["tags"] for m in body["items"])


@pytest.mark.parametrize("limit", [0, 501, -1])
def test_page_size_is_validated(shared_api: Api, limit: int) -> None:
    response = shared_api.get(f"{V1}/molecules", params={"limit": limit})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"].endswith("invalid-request")
    assert problem["errors"][0]["loc"] == ["query", "limit"]


def test_malformed_cas_is_a_422_naming_the_check_digit(shared_api: Api) -> None:
    response = shared_api.get(f"{V1}/molecules/74-85-2")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert "check digit" in problem["detail"]
    assert problem["instance"] == f"{V1}/molecules/74-85-2"
    assert set(problem) >= {"type", "title", "status", "detail", "instance"}


def test_unknown_name_is_a_404_with_suggestions(shared_api: Api) -> None:
    response = shared_api.get(f"{V1}/molecules/acetonitrilium")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "Acetonitrile (75-05-8)" in response.json()["suggestions"]


def test_unknown_route_is_a_problem(shared_api: Api) -> None:
    response = shared_api.get(f"{V1}/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_show_code(shared_api: Api) -> None:
    body = shared_api.get(f"{V1}/codes/29012100").json()
    assert (body["code"], body["kind"], body["nomenclature"]) == ("29012100", "CN8", "CN2025")
    assert "ethylene" in [m["id"] for m in body["molecules"]]
    hs = shared_api.get(f"{V1}/codes/290121", params={"year": 2024}).json()
    assert hs["kind"] == "HS6"
    assert "29012100" in hs["children"]


def test_malformed_code_is_a_422(shared_api: Api) -> None:
    response = shared_api.get(f"{V1}/codes/12345")
    assert response.status_code == 422
    assert "not a customs code" in response.json()["detail"]


def test_trade_series_monthly_and_annual(shared_api: Api) -> None:
    monthly = shared_api.get(f"{V1}/trade/series/ethylene").json()
    assert len(monthly) == 36
    assert monthly[0]["period"] == "2022-01"
    assert {r["source"] for r in monthly} == {"synthetic"}
    annual = shared_api.get(f"{V1}/trade/series/29012100", params={"freq": "A"}).json()
    assert [r["period"] for r in annual] == ["2022", "2023", "2024"]
    assert all(0 < r["hhi"] <= 1 for r in annual)


def test_trade_suppliers_shares_and_hhi(shared_api: Api) -> None:
    body = shared_api.get(f"{V1}/trade/suppliers/ethylene", params={"year": 2024}).json()
    shares = body["shares"]
    assert sum(shares.values()) == pytest.approx(1.0)
    # HHI is the sum of squared shares (Herfindahl 1950, on fractions).
    assert body["hhi"] == pytest.approx(sum(s * s for s in shares.values()))
    assert body["top_supplier_share"] == max(shares.values())
    assert shares[body["top_supplier"]] == body["top_supplier_share"]


def test_trade_of_a_year_without_data_is_a_404(shared_api: Api) -> None:
    response = shared_api.get(f"{V1}/trade/suppliers/ethylene", params={"year": 2019})
    assert response.status_code == 404


def test_dependency_screen(shared_api: Api) -> None:
    params = {"year": 2024, "source": "synthetic"}
    products = shared_api.get(f"{V1}/trade/dependencies", params=params).json()
    assert {r["item"] for r in products} == {"29012100", "29022000"}
    assert all(
        {"dependent", "hhi_met", "hhi_2022", "extra_import_share_2024"} <= set(r) for r in products
    )
    per_molecule = shared_api.get(
        f"{V1}/trade/dependencies", params={**params, "molecules": True}
    ).json()
    assert {r["item"] for r in per_molecule} == {"ethylene", "benzene"}
