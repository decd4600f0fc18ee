"""The critical-sites page, its twin and the API route, over HTTP against the app."""

from __future__ import annotations

from fastapi import FastAPI

from tests.web.conftest import Browser


def test_api_route_and_dashboard_page(app: FastAPI) -> None:
    browser = Browser(app)
    api = browser.get("/api/v1/sites/critical")
    assert api.status_code == 200 and api.json()["label"] == "ILLUSTRATIVE"
    html = browser.get("/sites/critical").text
    assert 'id="sites-map' in html and "ILLUSTRATIVE" in html and "Yara Sluiskil" in html
    assert browser.get("/sites/critical.json").json()["counts"]


def test_page_shows_clusters_and_their_sourced_links(app: FastAPI) -> None:
    browser = Browser(app)
    twin = browser.get("/sites/critical.json").json()
    (cluster,) = [c for c in twin["clusters"] if c["id"] == "ARG+EPS"]
    assert "DE:BASF:Ludwigshafen" in cluster["members"]
    # demo classes are illustrative: the cluster gets no verdict either
    assert cluster["assessment"]["verdict"] == "not assessed"
    html = browser.get("/sites/critical").text
    assert 'id="cluster-ARG+EPS"' in html and "Sourced couplings" in html
    assert "SL-006" in html and "knak.jp" in html
