"""The timeline page over HTTP: the ammonia timeline from the registers, what-ifs, JSON twin.

Figures by hand from production/data (see tests/investment/test_gap_timeline.py): EU-27 base
12,896,000 t; Yara Tertre's 400,000 t closure announced in 2024; Yara Sluiskil 1,700,000 t.
"""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import Browser


def test_timeline_page_and_twin(browser: Browser) -> None:
    page = browser.get("/timeline")
    assert page.status_code == 200
    assert 'href="/timeline.json"' in page.text and "demand not sourced" in page.text
    assert '<svg id="chart-timeline"' in page.text and '<svg id="map-timeline"' in page.text
    assert "12,496,000" in page.text  # 2030 capacity
    data = browser.get("/timeline.json").json()
    assert data["rows"][-1]["shortfall_t"] == 400_000
    assert all(e["source"] for e in data["events"])


def test_what_ifs_on_the_page(browser: Browser) -> None:
    data = browser.get("/timeline.json?close=Yara%20Sluiskil%3D2027&cbam=50").json()
    rows = {r["year"]: r for r in data["rows"]}
    assert rows[2026]["shortfall_t"] == 400_000 and rows[2027]["shortfall_t"] == 2_100_000
    assert data["cbam"]["extra_cost_meur"]["2030"] == 105.0  # 2,100,000 t x 50 EUR/t
    bad = browser.get("/timeline?close=Nowhere%3D2027")
    assert bad.status_code == 200 and "no ammonia plant &#39;Nowhere&#39;" in bad.text


def test_instruments_page_on_a_date(browser: Browser) -> None:
    page = browser.get("/instruments?as_of=2024-01-15")
    assert page.status_code == 200 and 'href="/instruments.json?as_of=2024-01-15"' in page.text
    data = browser.get("/instruments.json?as_of=2024-01-15").json()
    states = {i["id"]: i["availability"] for i in data["catalogue"]["instruments"]}
    assert states["hydrogen-bank-if23"] == "open" and states["ipcei-hy2use"] == "closed"
    assert all(f["source"] for f in data["funded"])
    assert browser.get("/instruments?as_of=2024-13-01").status_code == 422


def test_timeline_page_shows_the_demand_read_from_the_store(tmp_path: Path) -> None:
    """A store with PRODCOM and Comext data of ethylene (tests/investment/data/README.md):
    apparent consumption 1,750 t in 2023, with its codes and provenance."""
    from critchem.api import create_app
    from critchem.core.settings import Settings
    from critchem.production.prodcom import parse_prodcom, save_parse
    from critchem.trade.store import TradeStore

    data = Path(__file__).parents[1] / "investment" / "data"
    store = tmp_path / "store"
    with TradeStore(store) as trade:
        trade.ingest(data / "demand_comext_DS-045409.csv", progress=False)
    save_parse(parse_prodcom(data / "demand_prodcom_DS-059358.csv"), store)
    app = create_app(Settings(home=tmp_path, store_path=store))
    try:
        page = Browser(app).get("/timeline?molecule=ethylene")
    finally:
        app.state.alert_store.dispose()
    assert page.status_code == 200
    assert "Demand read from the store" in page.text and "1,750" in page.text
    assert "PRODCOM 20141130, CN 29012100" in page.text
    assert "demand not sourced in 2024" in page.text
