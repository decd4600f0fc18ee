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


def test_lead_markets_quota_scenario_chart(chromium: Browser, server: str) -> None:  # noqa: F811
    """Hand-computed (ILLUSTRATIVE example pipeline, inputs declared by the test): no example
    project makes hydrogen, so the low-carbon capacity is 0 t; ΔF = 11 − 2 = 9 t/t, G = 1500
    €/t, P = 80 · 0.5 = 40 €/t → premium 1140 €/t. Quota 0.5 (step) in 2030-2031 of a declared
    1000 t/yr → 500 t demanded a year, gap 500 t, premium cost 500 × 1140 = 570 000 €."""
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(
        f"{server}/lead-markets?conventional=11&low_carbon=2&cost_gap=1500&carbon_price=80"
        "&priced_share=0.5"
    )
    main = page.locator("main")
    assert "Demand not declared: per-tonne figures only." in main.inner_text()
    assert "ILLUSTRATIVE" in page.locator("table.serving caption").inner_text()
    serving = page.locator("table.serving tbody tr")
    assert serving.count() >= 2 and "ammonia" in serving.first.inner_text()
    assert page.locator("#chart-quota").count() == 0  # no demand, no chart
    assert "1,140.0 €/t" in page.locator("p.premium-view").first.inner_text()
    page.get_by_label("Quota share of demand (0-1)").fill("0.5")
    page.get_by_label("From year").fill("2030")
    page.get_by_label("For years").fill("2")
    page.get_by_label("EU demand of the product (t/yr)").fill("1000")
    page.get_by_label("Source of the demand").fill("declared by the test")
    page.get_by_role("button", name="Run the scenario").click()
    page.wait_for_url("**quota_share=0.5**")
    rows = page.locator("table.quota-years tbody tr")
    assert rows.count() == 2
    assert rows.first.locator("td.volume").inner_text() == "500"
    assert rows.first.locator("td.capacity").inner_text() == "0"
    assert rows.first.locator("td.gap").inner_text() == "500"
    assert rows.first.locator("td.cost").inner_text() == "570,000"
    box = page.locator("#chart-quota").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 60
    assert page.locator("#chart-quota rect.bar").count() == 4  # 2 years × 2 series
    query = page.url.split("?", 1)[1].split("#", 1)[0]
    twin = page.request.get(f"{server}/lead-markets.json?{query}").json()
    result = twin["scenario"]["result"]
    assert result["data_label"].startswith("ILLUSTRATIVE")
    assert result["total_premium_cost_eur"] == 1_140_000
