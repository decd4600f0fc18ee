"""Browser test of the lead-markets page (Chromium via Playwright against a real uvicorn).

Hand-computed case (ILLUSTRATIVE declared inputs, no real product): F_c = 9, F_l = 3
kgCO2e/kg, so ΔF = 6 tCO2e/t; cost gap G = 600 €/t; P = 80 €/tCO2e on a priced share
s = 0.5: A = 6 x 80 x 0.5 = 240 €/t, R = 600 - 240 = 360 €/t, P* = 600 / (6 x 0.5) = 200.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.web.test_browser import chromium, server  # noqa: F401  (fixtures)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_lead_markets_definitions_and_premium_chart(chromium: Browser, server: str) -> None:  # noqa: F811
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/lead-markets")
    assert page.get_by_role("heading", level=1).inner_text() == "Lead markets for clean chemicals"
    rows = page.locator("table.definitions tbody tr")
    assert rows.count() == 2
    for i in range(rows.count()):
        assert rows.nth(i).locator("a", has_text="source").count() >= 1
    assert page.locator("#chart-premium").count() == 0  # no inputs, no chart
    page.get_by_label("Conventional PCF (kgCO2e/kg)").fill("9")
    page.get_by_label("Low-carbon PCF (kgCO2e/kg)").fill("3")
    page.get_by_label("Cost gap (€/t of product)").fill("600")
    page.get_by_label("Carbon price (€/tCO2e)").fill("80")
    page.get_by_label("Share of emissions priced (0-1)").fill("0.5")
    page.get_by_role("button", name="Calculate").click()
    page.wait_for_url("**/lead-markets?**")
    assert page.locator("td.advantage").inner_text() == "240.0"
    assert page.locator("td.remaining").inner_text() == "360.0"
    assert page.locator("td.break-even").inner_text() == "200.0"
    assert "does not close the cost gap" in page.locator("p.verdict").inner_text()
    assert "DECLARED INPUTS" in page.locator("main").inner_text()
    box = page.locator("#chart-premium").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("#chart-premium path.line").count() == 1
    twin = page.request.get(f"{server}/lead-markets.json?{page.url.split('?', 1)[1]}").json()
    assert twin["result"]["remaining_premium_eur_per_t"] == 360.0
    assert twin["curve"][0] == {"carbon_price_eur_per_t": 0.0, "remaining_premium_eur_per_t": 600.0}
