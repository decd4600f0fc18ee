"""Browser test of the timeline page (Chromium via Playwright against a real uvicorn server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.web.test_browser import chromium, server  # noqa: F401  (fixtures)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_timeline_chart_map_and_what_if_form(chromium: Browser, server: str) -> None:  # noqa: F811
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/timeline")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Capacity timeline")
    for selector in ("#chart-timeline", "#map-timeline"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100, selector
    assert page.locator("#chart-timeline path.line").count() == 2
    # 24 EU plants with coordinates, two of them with a closure announced (Tertre, Ludwigshafen).
    assert page.locator("#map-timeline circle.mark").count() == 24
    page.get_by_label("Plant closes (PLANT=YEAR)").fill("Yara Sluiskil=2027")
    page.get_by_label("CBAM cost rise (€/t)").fill("50")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/timeline?**")
    assert "Yara Sluiskil closes in 2027" in page.locator("main").inner_text()
    last = page.locator("table.timeline tbody tr").last.inner_text()
    assert "2,100,000" in last and "105.0" in last


def test_instruments_page_changes_with_the_date(chromium: Browser, server: str) -> None:  # noqa: F811
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/instruments?as_of=2024-01-15")
    row = page.locator("table.instruments tr", has_text="pilot auction IF23")
    assert row.locator("td.availability").inner_text() == "open"
    page.get_by_label("On the date").fill("2024-03-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**as_of=2024-03-01")
    row = page.locator("table.instruments tr", has_text="pilot auction IF23")
    assert row.locator("td.availability").inner_text() == "closed"
    assert page.locator("table.funded tbody tr").count() >= 10
