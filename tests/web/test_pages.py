"""Every page over HTTP against the app: HTML, its JSON twin, errors, sign-in, acknowledge."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from critchem.core.settings import Settings
from critchem.surveillance.alerts import AlertStore
from tests.web.conftest import Browser, add_user

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(path.stem for path in (REPO / "docs" / "methodology").glob("*.md"))
"""Every methodology document of the repository is served by the site."""

# The cca demo verdicts (data/demo/cca_inputs.csv): SR ≥ 1 and EI ≥ 2.8 for these five only.
CCA_CRITICAL = {"silicon", "methionine", "hydrogen-fluoride", "methanol", "ammonia"}


def test_overview_lists_the_critical_molecules_and_links_its_twin(browser: Browser) -> None:
    page = browser.get("/")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert '<main id="main"' in page.text and 'aria-label="Main"' in page.text
    assert 'href="/index.json"' in page.text
    assert "No alerts yet" in page.text
    data = browser.get("/index.json").json()
    critical = {m["material"] for m in data["materials"] if m["critical"]}
    assert critical == CCA_CRITICAL
    assert data["alert_total"] == 0
    for name in CCA_CRITICAL:
        assert f'href="/molecules/{name}"' in page.text


def test_overview_shows_the_newest_alerts(browser: Browser, alerts_db: AlertStore) -> None:
    data = browser.get("/index.json").json()
    assert data["alert_total"] == 5
    # Latest period first: the two benzene alerts (2024-04) before the ethylene ones (2024-03).
    assert [a["product"] for a in data["alerts"][:2]] == ["29022000", "29022000"]
    assert "Newest alerts" in browser.get("/").text


def test_molecule_page_draws_charts_and_maps_from_the_store(browser: Browser) -> None:
    page = browser.get("/molecules/ethylene")
    assert page.status_code == 200
    for ident in ("chart-value", "chart-unit-value", "chart-shares", "chart-hhi", "map-origins"):
        svg = re.search(
            rf'<svg id="{ident}"[^>]*role="img"[^>]*>\s*<title id="{ident}-title">', page.text
        )
        assert svg, ident
    assert 'href="/molecules/ethylene.json"' in page.text
    assert "The series as a table" in page.text

    data = browser.get("/molecules/ethylene.json").json()
    # One shaded country per origin of the last year (all synthetic partners have a shape).
    last = data["trade"]["suppliers"][-1]["shares"]
    assert len(last) >= 10
    assert page.text.count('class="mark country supplier"') == len(last)
    assert data["molecule"]["cas"] == "74-85-1"
    series = data["trade"]["series"]
    assert [p["period"] for p in series][:2] == ["2022-01", "2022-02"] and len(series) == 36
    years = data["trade"]["suppliers"]
    assert [y["year"] for y in years] == [2022, 2023, 2024]
    for year in years:
        shares = list(year["shares"].values())
        assert sum(shares) == pytest.approx(1.0)
        assert year["hhi"] == pytest.approx(sum(s * s for s in shares))  # HHI = Σ s²
    assert data["criticality"]["material"] == "ethylene"
    assert data["criticality"]["critical"] is False


def test_molecule_page_lists_its_alerts(browser: Browser, alerts_db: AlertStore) -> None:
    data = browser.get("/molecules/ethylene.json").json()
    assert sorted(a["partner"] for a in data["alerts"]) == ["CN", "IN", "US"]
    assert "red" in {a["severity"] for a in data["alerts"]}


def test_pages_degrade_with_a_message_on_an_empty_store(tmp_path: Path) -> None:
    from critchem.api import create_app

    app = create_app(Settings(home=tmp_path, store_path=tmp_path / "empty"))
    try:
        page = Browser(app).get("/molecules/ethylene")
        assert page.status_code == 200
        assert "is empty: run `critchem ingest` first" in page.text
        assert '<svg id="chart-value"' not in page.text
        alerts = Browser(app).get("/alerts")
        assert "No alerts yet" in alerts.text
    finally:
        app.state.alert_store.dispose()


def test_not_found_is_a_page_for_browsers_and_a_problem_for_clients(browser: Browser) -> None:
    page = browser.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "There is no page at /no/such/page" in page.text
    problem = browser.request("GET", "/no/such/page")
    assert problem.status_code == 404
    assert problem.headers["content-type"] == "application/problem+json"
    twin = browser.get("/methodology/nothing.json")
    assert twin.status_code == 404 and twin.json()["suggestions"] == DOCUMENTS
    assert browser.get("/methodology/nothing").status_code == 404


def test_alerts_page_filters(browser: Browser, alerts_db: AlertStore) -> None:
    assert browser.get("/alerts.json").json()["total"] == 5
    red = browser.get("/alerts.json?severity=red").json()
    assert [a["partner"] for a in red["alerts"]] == ["CN"]
    benzene = browser.get("/alerts.json?molecule=benzene").json()
    assert benzene["total"] == 2 and {a["partner"] for a in benzene["alerts"]} == {"CN", "KR"}
    page = browser.get("/alerts?severity=red&state=")
    assert page.status_code == 200
    assert '<option value="red" selected>' in page.text
    assert page.text.count('<span class="sev sev-') == 1
    assert "Sign in</a> as an analyst" in page.text


def _first_new(browser: Browser) -> int:
    return int(browser.get("/alerts.json?state=new").json()["alerts"][0]["id"])


def test_acknowledge_needs_an_analyst_and_the_csrf_token(
    app: FastAPI, browser: Browser, alerts_db: AlertStore
) -> None:
    alert_id = _first_new(browser)
    token = browser.csrf("/login")
    anonymous = browser.post(f"/alerts/{alert_id}/ack", data={"csrf_token": token})
    assert anonymous.status_code == 401 and "Sign in" in anonymous.text

    add_user(app, "mel", "member", org="Example Chemicals B")
    add_user(app, "ana", "analyst", org="Alliance")
    assert browser.sign_in("mel").status_code == 303
    member = browser.post(f"/alerts/{alert_id}/ack", data={"csrf_token": browser.csrf("/alerts")})
    assert member.status_code == 403

    assert browser.sign_in("ana").status_code == 303
    forged = browser.post(f"/alerts/{alert_id}/ack", data={"csrf_token": "0" * 64})
    assert forged.status_code == 403 and "csrf_token" in forged.text
    missing = browser.post(f"/alerts/{alert_id}/ack", data={})
    assert missing.status_code == 403

    done = browser.post(
        f"/alerts/{alert_id}/ack",
        data={"csrf_token": browser.csrf("/alerts"), "note": "seen", "back": "//evil.example"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/alerts"
    shown = browser.get(f"/api/v1/alerts/{alert_id}").json()
    assert shown["state"] == "acknowledged" and shown["acknowledged_by"] == "ana"
    entries, total = app.state.accounts.list_audit(action="alert.ack", actor="ana")
    assert total == 1 and entries[0].resource == f"alerts/{alert_id}"


def test_sign_in_sets_a_strict_http_only_cookie(app: FastAPI, browser: Browser) -> None:
    add_user(app, "ana", "analyst")
    wrong = browser.sign_in("ana", "not the password")
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text
    right = browser.sign_in("ana")
    assert right.status_code == 303
    cookie = next(
        v
        for k, v in right.headers.multi_items()
        if k == "set-cookie" and v.startswith("critchem_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "ana (analyst" in browser.get("/").text
    out = browser.post("/logout", data={"csrf_token": browser.csrf("/")})
    assert out.status_code == 303
    assert "Sign in" in browser.get("/").text


def test_login_without_csrf_is_refused(app: FastAPI, browser: Browser) -> None:
    add_user(app, "ana", "analyst")
    refused = browser.post("/login", data={"username": "ana", "password": "x" * 12})
    assert refused.status_code == 403


def test_a_member_sees_only_its_own_capacities(app: FastAPI, browser: Browser) -> None:
    # illustrative_member_capacities.csv: ethylene at EXS-001 is Example Chemicals A's (650000 t),
    # EXS-002 Example Chemicals B's.
    add_user(app, "bea", "member", org="Example Chemicals A")
    public = browser.get("/molecules/ethylene.json").json()["production"]
    assert all(s["capacity_t"] is None for s in public["sites"])
    browser.sign_in("bea")
    sites = {
        s["site_id"]: s
        for s in browser.get("/molecules/ethylene.json").json()["production"]["sites"]
    }
    assert sites["EXS-001"]["capacity_t"] == 650000
    assert sites["EXS-002"]["capacity_t"] is None
    page = browser.get("/molecules/ethylene").text
    assert "650,000" in page and "1,100,000" not in page
    assert '<svg id="map-sites"' in page and 'class="mark site"' in page
    # Both reads that showed Example Chemicals A's capacity are in the audit log; the public read is not.
    entries, total = app.state.accounts.list_audit(action="read_confidential")
    assert total == 2
    assert {(e.actor, e.resource) for e in entries} == {("bea", "molecules/ethylene")}


def test_assessment_page_draws_the_matrix(browser: Browser) -> None:
    page = browser.get("/assessments/cca")
    assert page.status_code == 200
    matrix = page.text[page.text.index('<svg id="chart-matrix"') :]
    matrix = matrix[: matrix.index("</svg>")]
    assert matrix.count('class="mark point"') == 18  # every cca demo molecule has EI and SR
    assert "EI threshold 2.8" in matrix and "SR threshold 1" in matrix
    data = browser.get("/assessments/cca.json").json()
    assert data["thresholds"] == {"sr": 1.0, "ei": 2.8}
    # eu-crm demo inputs have no EI: no matrix, a message instead.
    assert "cannot be drawn" in browser.get("/assessments/eu-crm").text
    assert browser.get("/assessments/nope.json").status_code == 404


@pytest.mark.parametrize("name", DOCUMENTS)
def test_methodology_pages_ship_the_documents(browser: Browser, name: str) -> None:
    shipped = browser.get(f"/methodology/{name}.json").json()["markdown"]
    assert shipped == (REPO / "docs" / "methodology" / f"{name}.md").read_text(encoding="utf-8"), (
        f"copy docs/methodology/{name}.md to src/critchem/web/data/methodology/"
    )
    page = browser.get(f"/methodology/{name}")
    assert page.status_code == 200 and "<h1>" in page.text and "<table>" in page.text


def test_search_box_goes_to_the_molecule_page(browser: Browser) -> None:
    response = browser.get("/molecules?q=ethylene")
    assert response.status_code == 303 and response.headers["location"] == "/molecules/ethylene"
