"""Browser tests: Debian's Chromium, driven by Playwright, against a real uvicorn server.

The server runs in a thread on 127.0.0.1 with a temporary SQLite database (five alerts, an
analyst of the organisation "Alliance", a member of the fictitious Example Chemicals B and one
of Example Chem B), the example project pipeline and the synthetic trade store of the API tests.
Without Chromium (``/usr/bin/chromium``) or the ``playwright`` package the tests skip, or fail
under ``CI=true``.
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

from critchem.api import create_app
from critchem.core.settings import Settings
from critchem.surveillance.alerts import AlertStore
from tests.conftest import require_service
from tests.web.conftest import PASSWORD, add_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(settings: Settings, alerts_db: AlertStore, pipeline: Path) -> Iterator[str]:
    """A uvicorn server of the app in a thread; yields its base URL."""
    app = create_app(settings)
    add_user(app, "ana", "analyst", org="Alliance")
    add_user(app, "ivo", "member", org="Example Chemicals B")
    add_user(app, "bea", "member", org="Example Chem B")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start within 15 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        app.state.alert_store.dispose()


@pytest.fixture
def chromium() -> Iterator[Browser]:
    have_package = importlib.util.find_spec("playwright") is not None
    require_service("playwright", have_package, "pip install playwright (the test extra)")
    require_service("Chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def _sign_in(page: Page, base: str, username: str, next_page: str) -> None:
    page.goto(f"{base}/login?next={next_page}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{next_page}")


def _drawn(page: Page, selector: str) -> tuple[float, float, int]:
    """Width and height of the SVG ``selector`` as laid out, and how many marks it has."""
    svg = page.locator(selector)
    box = svg.bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box["width"], box["height"], svg.locator(".mark").count()


def test_analyst_sees_charts_and_map_and_acknowledges(chromium: Browser, server: str) -> None:
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    _sign_in(page, server, "ana", "/molecules/ethylene")
    assert page.get_by_role("heading", level=1).inner_text() == "Ethylene"
    for selector in ("#chart-value", "#chart-hhi", "#chart-shares", "#map-origins"):
        width, height, marks = _drawn(page, selector)
        assert width > 300 and height > 100, selector
        assert marks > 0, selector
    # The value chart's lines have a real length on screen.
    length = page.locator("#chart-value path.line").first.evaluate("p => p.getTotalLength()")
    assert length > 100

    page.goto(f"{server}/alerts?state=new")
    first = page.locator("table.alerts tbody tr").first
    alert_id = first.locator("td").first.inner_text()
    first.get_by_role("button", name=f"Acknowledge #{alert_id}").click()
    page.wait_for_load_state()
    page.goto(f"{server}/alerts?state=acknowledged")
    row = page.locator("table.alerts tbody tr").first
    assert row.locator("td").first.inner_text() == alert_id
    assert "acknowledged by ana" in row.inner_text()


def test_member_sees_only_its_own_capacities(chromium: Browser, server: str) -> None:
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    _sign_in(page, server, "ivo", "/molecules/ethylene")
    rows = page.locator("table.sites tbody tr")
    capacities = {
        rows.nth(i).locator("td").first.inner_text(): rows.nth(i)
        .locator("td.capacity")
        .inner_text()
        for i in range(rows.count())
    }
    own = [c for company, c in capacities.items() if company.strip() == "Example Chemicals B"]
    others = [c for company, c in capacities.items() if company.strip() != "Example Chemicals B"]
    # illustrative_member_capacities.csv: ethylene at EXS-002 (Example Chemicals B), 1,100,000 t.
    assert own == ["1,100,000"]
    assert others and set(others) == {"confidential"}
    width, height, marks = _drawn(page, "#map-sites")
    assert width > 300 and height > 200 and marks == rows.count()
    assert page.locator("button", has_text="Acknowledge").count() == 0


def test_member_cannot_see_another_companys_project_financials(
    chromium: Browser, server: str
) -> None:
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    _sign_in(page, server, "bea", "/projects/EX-001")
    # example_pipeline.csv: EX-001 is Example Chem B's (capex 180 M€), EX-019 Example Chem T's.
    assert page.locator("#capex").inner_text() == "180.0 M€"
    page.goto(f"{server}/projects/EX-019")
    assert page.locator("#capex").inner_text() == "confidential"
    assert page.locator("#funding-gap").inner_text() == "confidential"
    amounts = set(page.locator("table.funding td.amount").all_inner_texts())
    assert amounts <= {"confidential", "–"} and "confidential" in amounts
    assert page.locator("text=12.5").count() == 0  # EX-019's funding gap


def test_alert_console_opens_from_the_list(chromium: Browser, server: str) -> None:
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/alerts?severity=red")
    row = page.locator("table.alerts tbody tr").first
    alert_id = row.locator("td").first.inner_text()
    row.locator("td").nth(3).get_by_role("link").first.click()
    page.wait_for_url(f"{server}/alerts/{alert_id}")
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Alert {alert_id}:")
    assert page.locator("p.synthetic").inner_text().startswith("SYNTHETIC")
    assert page.locator("table.events tbody tr").count() == 2
    page.get_by_role("link", name="All alerts").click()
    page.wait_for_url(f"{server}/alerts")
