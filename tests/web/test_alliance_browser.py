"""The Alliance's whole path in Debian's Chromium, driven by Playwright, against a real server.

apply (in French) -> the secretariat approves -> the member signs in -> joins a working group
-> drafts an opinion -> proposes an amendment -> the Board tables it on the General Assembly
-> the amendment, then the text, are voted -> adopted -> published as HTML and PDF.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn

from critchem.alliance import Alliance
from critchem.api import create_app
from critchem.core.settings import Settings
from tests.web.test_browser import _free_port, chromium  # noqa: F401  (shared fixture)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

PASSWORD = "correct horse battery"


@pytest.fixture
def alliance_server(tmp_path: Path) -> Iterator[tuple[str, Alliance]]:
    """A uvicorn server on an empty home, with a secretariat user and one approved member."""
    app = create_app(Settings(home=tmp_path))
    app.state.accounts.add_user(
        "sec", password=PASSWORD, role="secretariat", organisation="Secretariat"
    )
    alliance = Alliance(app.state.alert_store.session)
    other = alliance.membership.apply(
        name="Example Association B",
        org_type="association",
        country="DE",
        signatory="Bo Example",
        email="bo@example.org",
        accept_declaration=True,
    )
    alliance.membership.review(other.id, decision="approve", actor="sec")
    alliance.governance.create_meeting(
        "general-assembly",
        date(2026, 6, 30),
        "Second General Assembly",
        actor="sec",
        location="Brussels",
    )
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start within 15 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", alliance
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.alert_store.dispose()


def _session(browser: Browser, base: str, username: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{base}/login?next=/alliance")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/alliance")
    return context, page


def _submit(page: Page, selector: str) -> None:
    """Click the button ``selector`` and wait for the page its form leads to."""
    with page.expect_navigation():
        page.locator(selector).click()
    assert page.locator("h1").count() >= 1


def test_apply_approve_draft_amend_vote_adopt_publish(
    chromium: Browser,  # noqa: F811
    alliance_server: tuple[str, Alliance],
) -> None:
    base, alliance = alliance_server

    # 1. A French company applies, in French, and signs the declaration.
    visitor = chromium.new_context(locale="fr-FR")
    form = visitor.new_page()
    form.goto(f"{base}/alliance/apply")
    assert form.locator("html").get_attribute("lang") == "fr"
    assert form.get_by_role("heading", level=1).inner_text() == "Demander l'adhésion à l'Alliance"
    form.get_by_label("Nom de l'organisation", exact=True).fill("Example Chemicals A")
    form.get_by_label("Type").select_option("company")
    form.get_by_label("Pays (code à deux lettres, p. ex. FR, DE, TR)", exact=True).fill("FR")
    form.get_by_label("Nom du signataire", exact=True).fill("Ana Example")
    form.get_by_label("Courriel", exact=True).fill("ana@example.org")
    form.get_by_label("Nom d'utilisateur (pour se connecter après approbation)", exact=True).fill(
        "ana"
    )
    form.get_by_label("Mot de passe (au moins 8 caractères)", exact=True).fill(PASSWORD)
    form.get_by_label("Je signe la déclaration au nom de l'organisation").check()
    with form.expect_navigation():
        form.get_by_role("button", name="Envoyer la candidature").click()
    assert "Candidature reçue" in form.get_by_role("heading", level=1).inner_text()
    assert "en attente" in form.get_by_role("status").inner_text()
    visitor.close()

    # 2. The secretariat approves it; the applicant's account becomes active.
    _, sec = _session(chromium, base, "sec")
    sec.goto(f"{base}/alliance/applications")
    row = sec.locator("tr", has_text="Example Chemicals A")
    with sec.expect_navigation():
        row.get_by_role("button", name="Approve").click()
    assert "approved" in sec.locator("tr", has_text="Example Chemicals A").inner_text()

    # 3. The member signs in, joins a working group and drafts an opinion.
    _, ana = _session(chromium, base, "ana")
    ana.goto(f"{base}/alliance/bodies/trade-resilience")
    _submit(ana, "#join")
    assert "Example Chemicals A" in ana.locator("main").inner_text()
    ana.get_by_label("Title", exact=True).fill("Opinion on the early warning")
    ana.get_by_label("Text", exact=True).fill("The Alliance asks for a monthly bulletin of alerts.")
    ana.get_by_label("Platform links cited (one per line, e.g. /alerts/12)").fill("/alerts")
    _submit(ana, "#draft")
    motion_url = ana.url
    assert ana.locator("#state").inner_text() == "draft"

    # 4. It proposes an amendment.
    ana.get_by_label("Amended text").fill("The Alliance asks for a weekly bulletin of alerts.")
    ana.get_by_label("Justification").fill("Surges move faster than a month.")
    _submit(ana, "#amend")
    amendment_url = ana.url
    assert amendment_url != motion_url

    # 5. The Steering Board (recorded by the secretariat) tables the text on the Assembly.
    sec.goto(motion_url)
    sec.get_by_label("Put on the agenda of").select_option(
        label="2026-06-30 Second General Assembly (general-assembly)"
    )
    _submit(sec, "#table")
    assert sec.locator("#state").inner_text() == "open"

    # 6. The amendment is voted first, then the text.
    ana.goto(amendment_url)
    ana.get_by_label("yes").check()
    _submit(ana, "#vote")
    sec.goto(amendment_url)
    _submit(sec, "#close")
    assert "weekly bulletin" in sec.locator("article.motion-text").inner_text()
    ana.goto(motion_url)
    ana.get_by_label("yes").check()
    _submit(ana, "#vote")
    sec.goto(motion_url)
    _submit(sec, "#close")
    result = sec.locator("#result").inner_text()
    assert (
        "1 yes, 0 no, 0 abstain" in result and "adopted" in result and "not adopted" not in result
    )

    # 7. Published with its number; the PDF is a PDF.
    _submit(sec, "#publish")
    assert sec.get_by_role("heading", level=1).inner_text().startswith("CCA/OP/2026/001")
    assert sec.locator("#published").is_visible()
    pdf = httpx.get(motion_url + "/publication.pdf", timeout=10)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    motion_id = int(motion_url.rsplit("/", 1)[1])
    assert alliance.motions.show(motion_id).number == "CCA/OP/2026/001"
