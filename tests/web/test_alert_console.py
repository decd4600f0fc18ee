"""The alert console ``/alerts/{id}`` and its JSON twin, on the API tests' five alerts.

Alert fixtures (``tests/api/conftest.py``): ethylene (CN 29012100) from CN is red with a
volume and a price event, stored with provenance ``source: synthetic``.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi import FastAPI

from critchem.core.settings import Settings
from critchem.surveillance.alerts import AlertStore, fuse
from critchem.surveillance.base import Event
from tests.web.conftest import Browser


def _red_id(browser: Browser) -> int:
    rows = browser.get("/alerts.json?severity=red").json()["alerts"]
    return int(rows[0]["id"])


def test_json_twin_has_labels_names_detectors_source_and_history(
    browser: Browser, alerts_db: AlertStore
) -> None:
    alert_id = _red_id(browser)
    data = browser.get(f"/alerts/{alert_id}.json").json()
    assert data["alert"]["id"] == alert_id and data["alert"]["severity"] == "red"
    assert data["cn_label"][-1].startswith("29012100 ")
    assert data["cn_label"][0].startswith("29 ")  # from the chapter down
    assert data["partner_name"] == "China" and data["reporter_name"] == "European Union (27)"
    assert data["data_source"] == "SYNTHETIC"
    assert data["detectors"] == ["price_test", "volume_test"]
    assert "two independent families" in data["fusion_rule"]
    assert data["alert"]["transitions"][0]["to_state"] == "new"
    assert data["series"] is None  # the fixture events carry no dated series


def test_page_shows_synthetic_label_and_every_link_resolves(
    browser: Browser, alerts_db: AlertStore
) -> None:
    alert_id = _red_id(browser)
    page = browser.get(f"/alerts/{alert_id}")
    assert page.status_code == 200
    html = page.text
    assert "SYNTHETIC" in html and "Fusion rule" in html and "China" in html
    assert f'href="/alerts/{alert_id}.json"' in html
    listing = browser.get("/alerts").text
    for href in sorted(set(re.findall(r'href="(/[^"#?]*)"', listing + html))):
        if href.startswith(("/static", "/login", "/logout")):
            continue
        assert browser.get(href).status_code == 200, href


def test_unknown_alert_is_a_404_page(browser: Browser, alerts_db: AlertStore) -> None:
    assert browser.get("/alerts/999999").status_code == 404
    assert browser.get("/alerts/999999.json").status_code == 404


def test_series_baseline_and_detected_month_are_charted(
    browser: Browser, settings: Settings, app: FastAPI
) -> None:
    periods = ["2024-01", "2024-02", "2024-03", "2024-04"]
    event = Event(
        detector="import_surge",
        detector_version="1",
        family="volume",
        key={"product": "28230000", "reporter": "EU27", "partner": "CN", "flow": "1"},
        period=date(2024, 4, 1),
        statistic=3.0,
        threshold=1.5,
        severity="amber",
        message="last 3 months +200%",
        evidence={
            "periods": periods,
            "values": [1.0, 1.0, 1.0, 3.0],
            "baseline": 1.0,
            "measure": "net_mass_kg",
        },
    )
    store = AlertStore(settings.database_url)
    store.upsert(fuse([event]), provenance={"sources": ["comext_bulk"]})
    store.dispose()
    alert_id = browser.get("/alerts.json").json()["alerts"][0]["id"]
    data = browser.get(f"/alerts/{alert_id}.json").json()
    assert data["data_source"] == "real"
    assert data["series"]["detected"] == "2024-04" and data["series"]["baseline"] == [1.0] * 4
    assert [e["id"] for e in data["alert"]["linked_events"]] == ["td-ad696-tio2-cn"]
    html = browser.get(f"/alerts/{alert_id}").text
    assert 'id="chart-alert"' in html and ">kg<" in html
    assert "SYNTHETIC" not in html
    assert "https://eur-lex.europa.eu/" in html  # the linked case's source


@pytest.mark.parametrize("path", ["/alerts/0", "/alerts/abc"])
def test_bad_ids_are_refused(browser: Browser, path: str) -> None:
    assert browser.get(path).status_code in (404, 422)
