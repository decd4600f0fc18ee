"""The molecule page shows the hazard and regulatory status beside the verdict, with sources."""

from __future__ import annotations

from fastapi import FastAPI

from tests.web.conftest import Browser


def test_molecule_page_shows_clp_classes_and_regulatory_entries(app: FastAPI) -> None:
    page = Browser(app).get("/molecules/benzene").text
    section = page[page.index('id="hazard"') : page.index('id="production"')]
    assert "Carc. 1A" in section and "Muta. 1B" in section
    assert "Annex VI index 601-020-00-8" in section
    assert "Regulation (EC) No 1907/2006, Annex XVII, entry 5" in section
    assert "https://reachonline.eu/reach/en/annex-xvii.html" in section


def test_molecule_twin_carries_hazard_and_regulatory(app: FastAPI) -> None:
    data = Browser(app).get("/molecules/benzene.json").json()
    molecule = data["molecule"]
    assert "Carc. 1A" in molecule["hazard"]["clp"]
    assert molecule["regulatory"][0]["reference"].startswith("Regulation (EC) No 1907/2006")


def test_assessment_page_shows_the_four_classes_and_the_agreement(app: FastAPI) -> None:
    browser = Browser(app)
    page = browser.get("/assessments/cca").text
    assert 'id="classes"' in page and 'id="agreement"' in page
    # the critical sites and their chains, shown with no verdict (illustrative inputs)
    assert 'id="sites"' in page and "not assessed" in page
    sites = browser.get("/assessments/cca.json").json()["sites"]
    assert sites["label"] == "ILLUSTRATIVE" and set(sites["counts"]) == {"not assessed"}
    twin = browser.get("/assessments/cca/classes.json").json()
    assert twin["rules"]["version"] == "0.2"
    assert {c["cls"] for c in twin["classes"]} <= {
        "critical",
        "strategic",
        "not critical",
        "undetermined",
    }
    assert {r["list_key"] for r in twin["agreement"]} == {"nonpaper-2025", "action-plan-2025"}
