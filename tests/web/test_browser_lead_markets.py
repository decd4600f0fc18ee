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
    """Hand-computed (the REAL funded projects register; inputs declared by the test): the
    RFNBO hydrogen rows publish 48 000 + 21 600 + 1 700 + 51 100 + 16 900 + 12 200 (IF23) +
    3 000 + 25 800 (IF24) = 180 300 t/yr, none with a start year, so 0 t started and 180 300
    t/yr apart; ΔF = 11 − 2 = 9 t/t, G = 1500 €/t, P = 80 · 0.5 = 40 €/t → premium 1140 €/t.
    Quota 0.5 (step) in 2030-2031 of a declared 300 000 t/yr → 150 000 t demanded a year, gap
    150 000 t (−30 300 t if all counted capacity runs), premium cost 150 000 × 1140 =
    171 000 000 €. On the ILLUSTRATIVE example pipeline (an option) no project makes
    hydrogen."""
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(
        f"{server}/lead-markets?conventional=11&low_carbon=2&cost_gap=1500&carbon_price=80"
        "&priced_share=0.5"
    )
    main = page.locator("main")
    assert "Demand not declared: per-tonne figures only." in main.inner_text()
    caption = page.locator("table.registered caption").inner_text()
    assert "180,300 t/yr" in caption and "REAL funded projects register" in caption
    registered = page.locator("table.registered tbody tr")
    assert registered.count() == 10
    catalina = registered.filter(has_text="Catalina")
    assert catalina.locator("td.capacity").inner_text() == "48,000"
    assert catalina.locator("td.source a").count() >= 1
    rome = registered.filter(has_text="Hydrogen Valley of Rome")
    assert rome.locator("td.capacity").inner_text() == "capacity not published"
    assert rome.locator("td.counted").inner_text() == "no (listed)"
    assert page.locator("#chart-quota").count() == 0  # no demand, no chart
    assert "1,140.0 €/t" in page.locator("p.premium-view").first.inner_text()
    page.get_by_label("Quota share of demand (0-1)").fill("0.5")
    page.get_by_label("From year").fill("2030")
    page.get_by_label("For years").fill("2")
    page.get_by_label("EU demand of the product (t/yr)").fill("300000")
    page.get_by_label("Source of the demand").fill("declared by the test")
    page.get_by_role("button", name="Run the scenario").click()
    page.wait_for_url("**quota_share=0.5**")
    rows = page.locator("table.quota-years tbody tr")
    assert rows.count() == 2
    assert rows.first.locator("td.volume").inner_text() == "150,000"
    assert rows.first.locator("td.capacity").inner_text() == "0"
    assert rows.first.locator("td.undated").inner_text() == "180,300"
    assert rows.first.locator("td.gap").inner_text() == "150,000"
    assert rows.first.locator("td.gap-all").inner_text() == "-30,300"
    assert rows.first.locator("td.cost").inner_text() == "171,000,000"
    box = page.locator("#chart-quota").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 60
    assert page.locator("#chart-quota rect.bar").count() == 4  # 2 years × 2 series
    query = page.url.split("?", 1)[1].split("#", 1)[0]
    twin = page.request.get(f"{server}/lead-markets.json?{query}").json()
    result = twin["scenario"]["result"]
    assert result["ground"] == "register" and result["registered_capacity_t_per_year"] == 180300
    assert result["total_premium_cost_eur"] == 342_000_000
    page.get_by_label("Projects", exact=True).select_option("example")
    page.get_by_role("button", name="Run the scenario").click()
    page.wait_for_url("**ground=example**")
    assert "ILLUSTRATIVE" in page.locator("table.serving caption").inner_text()
    assert page.locator("table.registered").count() == 0
    rows = page.locator("table.quota-years tbody tr")
    assert rows.first.locator("td.capacity").inner_text() == "0"
    assert rows.first.locator("td.undated").inner_text() == "0"
