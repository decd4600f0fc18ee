"""The evidence coverage page, the evidence on the molecule page and the visible labels."""

from __future__ import annotations

import shutil
from pathlib import Path

from critchem.api import create_app
from critchem.core.settings import Settings
from critchem.services import evidence
from critchem.web import fragments
from tests.web.conftest import Browser


def test_coverage_and_molecule_pages_label_synthetic_data(
    tmp_path: Path, trade_store: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(trade_store, store)
    settings = Settings(home=tmp_path, store_path=store)
    app = create_app(settings)
    fragments.clear()
    browser = Browser(app)
    try:
        empty = browser.get("/evidence")
        assert empty.status_code == 200 and "No evidence has been built" in empty.text
        before = browser.get("/molecules/ethylene")
        assert before.status_code == 200
        # the demo verdict's inputs are illustrative, the synthetic trade is labelled
        assert '<strong class="label">ILLUSTRATIVE</strong>' in before.text
        assert '<strong class="label">SYNTHETIC</strong>' in before.text
        assert "No evidence has been built for Ethylene" in before.text

        evidence.build(settings, year=2024, molecules=["ethylene", "benzene", "methane"])
        index = browser.get("/evidence", follow_redirects=False)
        assert index.status_code == 303 and index.headers["location"] == "/evidence/2024/coverage"
        page = browser.get("/evidence/2024/coverage")
        assert page.status_code == 200
        assert '<strong class="label">SYNTHETIC</strong>' in page.text
        assert "hhi_extra_eu" in page.text
        data = browser.request("GET", "/evidence/2024/coverage.json").json()
        assert data["indicators"]["hhi_extra_eu"]["synthetic"] == 2

        after = browser.get("/molecules/ethylene")
        assert after.status_code == 200
        assert "Criticality from the evidence (2024)" in after.text
        assert "Verdict from the evidence: <strong>undetermined</strong>" in after.text
        assert "Inputs from synthetic data:" in after.text
        twin = browser.request("GET", "/molecules/ethylene.json").json()
        assert twin["evidence"]["inputs"]["hhi_extra_eu"]["source"] == "synthetic"
        assert twin["evidence_verdict"]["verdict"] == "undetermined"
        assert twin["criticality_source"] == "illustrative"
    finally:
        app.state.alert_store.dispose()
        fragments.clear()


def test_illustrative_demo_verdicts_are_labelled(tmp_path: Path, trade_store: Path) -> None:
    app = create_app(Settings(home=tmp_path, store_path=trade_store))
    browser = Browser(app)
    try:
        for url in ("/", "/assessments/cca"):
            page = browser.get(url)
            assert page.status_code == 200
            assert '<strong class="label">ILLUSTRATIVE</strong>' in page.text, url
        assert browser.request("GET", "/assessments/cca.json").json()["source"] == "illustrative"
        assert browser.request("GET", "/index.json").json()["inputs_source"] == "illustrative"
        eu_crm = browser.get("/assessments/eu-crm")
        assert '<strong class="label">ILLUSTRATIVE</strong>' not in eu_crm.text
    finally:
        app.state.alert_store.dispose()
