"""The Alliance's pages in process: languages, JSON twins, form errors, permissions, catalogues."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi import FastAPI

from critchem.alliance import Alliance
from critchem.api import create_app
from critchem.core.settings import Settings
from tests.web.conftest import Browser

PASSWORD = "correct horse battery"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(home=tmp_path))
    app.state.accounts.add_user(
        "sec", password=PASSWORD, role="secretariat", organisation="Secretariat"
    )
    try:
        yield app
    finally:
        app.state.alert_store.dispose()


@pytest.mark.parametrize(
    ("header", "lang", "heading"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.5", "fr", "Alliance pour les produits chimiques critiques"),
        ("de-AT, en;q=0.3", "de", "Allianz für kritische Chemikalien"),
        ("tr", "tr", "Kritik Kimyasallar İttifakı"),
        ("es, it;q=0.8", "en", "Critical Chemicals Alliance"),
    ],
)
def test_the_overview_speaks_the_browsers_language(
    site: FastAPI, header: str, lang: str, heading: str
) -> None:
    page = Browser(site).request(
        "GET", "/alliance", headers={"Accept": "text/html", "Accept-Language": header}
    )
    assert page.status_code == 200
    assert page.headers["content-language"] == lang
    assert f'<html lang="{lang}">' in page.text
    assert f"<h1>{heading}</h1>" in page.text


def test_the_switch_is_remembered(site: FastAPI) -> None:
    browser = Browser(site)
    assert browser.get("/alliance/declaration?lang=de").headers["content-language"] == "de"
    page = browser.request(
        "GET", "/alliance/members", headers={"Accept": "text/html", "Accept-Language": "fr"}
    )
    assert page.headers["content-language"] == "de" and "Mitglieder der Allianz" in page.text


def test_declaration_and_its_twin_carry_version_and_hash(site: FastAPI) -> None:
    browser = Browser(site)
    twin = browser.request("GET", "/alliance/declaration.json?lang=fr").json()
    assert twin["version"] == "1" and twin["language"] == "fr" and len(twin["sha256"]) == 64
    page = browser.get("/alliance/declaration?lang=fr")
    assert twin["sha256"] in page.text and "Déclaration d'adhésion" in page.text


def test_a_bad_application_keeps_the_input_and_names_the_field(site: FastAPI) -> None:
    browser = Browser(site)
    token = browser.csrf("/alliance/apply")
    page = browser.post(
        "/alliance/apply",
        data={
            "csrf_token": token,
            "name": "Example Chemicals A",
            "org_type": "company",
            "country": "FR",
            "signatory": "Ana",
            "email": "ana@example.org",
            "transparency_id": "12-3",
            "accept_declaration": "yes",
        },
    )
    assert page.status_code == 400
    assert "transparency_id" in page.text and 'value="Example Chemicals A"' in page.text
    assert Alliance(site.state.alert_store.session).membership.applications() == []


def test_applications_are_for_the_secretariat(site: FastAPI) -> None:
    browser = Browser(site)
    assert browser.get("/alliance/applications").status_code == 403
    assert browser.request("GET", "/alliance/applications.json").status_code == 403
    browser.sign_in("sec", PASSWORD)
    page = browser.get("/alliance/applications")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"


def test_every_page_has_its_json_twin(site: FastAPI) -> None:
    browser = Browser(site)
    for path in ("/alliance", "/alliance/members", "/alliance/bodies/innovation"):
        page = browser.get(path)
        twin = re.search(r'rel="alternate" type="application/json" href="([^"]+)"', page.text)
        assert twin, path
        assert browser.request("GET", twin.group(1).replace("&amp;", "&")).status_code == 200


def test_meetings_export_as_icalendar(site: FastAPI) -> None:
    from datetime import date

    Alliance(site.state.alert_store.session).governance.create_meeting(
        "general-assembly",
        date(2026, 1, 13),
        "First General Assembly",
        actor="sec",
        location="Chemelot, NL",
    )
    ics = Browser(site).request("GET", "/alliance/bodies/general-assembly/meetings.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT\r\n" in ics.text and "DTSTART;VALUE=DATE:20260113" in ics.text
    assert "LOCATION:Chemelot\\, NL" in ics.text


@pytest.mark.parametrize("lang", ["fr", "de", "tr"])
def test_the_catalogues_translate_every_message_of_the_templates(lang: str) -> None:
    templates = Path(str(resources.files("critchem.web").joinpath("templates")))
    method_map = [("**alliance*.j2", "jinja2")]
    options = {"**alliance*.j2": {"extensions": "jinja2.ext.i18n"}}
    wanted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(templates, method_map, options)
    }
    po = resources.files("critchem.web").joinpath("locale", lang, "LC_MESSAGES", "messages.po")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {m.id for m in catalog if m.id and m.string}
    assert wanted and wanted <= translated, sorted(wanted - translated)


def test_bodies_and_the_work_programme_are_named_in_the_visitors_language(site: FastAPI) -> None:
    browser = Browser(site)
    page = browser.get("/alliance?lang=de")
    assert "Generalversammlung" in page.text and "Arbeitsgruppe Handelsresilienz" in page.text
    assert "Kriterien zur Bestimmung kritischer chemischer Produktionen" in page.text
    body = browser.get("/alliance/bodies/steering-board?lang=fr")
    assert "<h1>Comité de pilotage</h1>" in body.text
    english = browser.get("/alliance/bodies/steering-board?lang=en")
    assert "<h1>Steering Board</h1>" in english.text
