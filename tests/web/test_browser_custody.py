"""Browser test of the custody pages (Chromium via Playwright against a real uvicorn).

The database holds the three-tier chain of ``tests/carbon/data/custody_mass_balance.json`` and
the site account of ``tests/carbon/data/custody_account.json`` and
``custody_site_account.json`` (fictitious companies; hand
computations in ``tests/carbon/test_custody.py`` and ``tests/carbon/test_custody_account.py``).
Ivo, a member of Example Chemicals B, is a party to r-nap-bio, r-nap-fos and r-eth of the chain
(not r-eo: Example Polymers C to Example Converter D) and to m-1 ... m-5: 8 records. r-eth
credits 0.3 x (100 x 1 + 200 x 0) = 30 t, claims 30 of 90 t (33.3 %), traced back to the two
naphtha origins (100 % and 0 % certified). The account closes 2026-Q1 at 20 t and 2026-Q2 at
6 t; to 30 Sep, 2026-Q3 closes at 0 t (6 t expired). Ana (analyst of "Alliance") is a party to
none: she sees no record, and r-eth is "not found" for her, as for an id never recorded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from critchem.carbon.custody import CustodyBook, RecordIn, Viewer
from critchem.carbon.custody.schemas import AccountIn
from critchem.core.database import Database
from critchem.core.settings import Settings
from tests.web.test_browser import _sign_in, chromium, server  # noqa: F401  (fixtures)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DATA = Path(__file__).parents[1] / "carbon" / "data"
SECRETARIAT = Viewer(organisation="", secretariat=True, actor="test")


def _seed(settings: Settings) -> str:
    database = Database(settings.database_url)
    try:
        book = CustodyBook(database.session)
        chain = json.loads((DATA / "custody_mass_balance.json").read_text(encoding="utf-8"))
        site = json.loads((DATA / "custody_site_account.json").read_text(encoding="utf-8"))
        account = book.declare_account(
            AccountIn.model_validate_json(
                (DATA / "custody_account.json").read_text(encoding="utf-8")
            ),
            Viewer(organisation="Example Chemicals B", actor="ivo"),
        )
        rows = [
            (n, RecordIn.model_validate(r))
            for n, r in enumerate([*chain["records"], *site["records"]], 1)
        ]
        assert book.add(rows, SECRETARIAT, all_or_nothing=True).kept == 9
        return account.id
    finally:
        database.dispose()


def test_custody_records_trace_and_account(
    chromium: Browser,  # noqa: F811
    server: str,  # noqa: F811
    settings: Settings,
) -> None:
    account = _seed(settings)
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/custody")  # not signed in: no record
    assert "not signed in" in page.locator("strong.viewer").inner_text()
    assert page.locator("table.records tbody tr").inner_text() == "No record you are a party to."
    hidden = page.goto(f"{server}/custody/records/r-eth")
    assert hidden is not None and hidden.status == 404
    _sign_in(page, server, "ivo", "/custody")
    assert page.get_by_role("heading", level=1).inner_text() == "Chain of custody"
    assert page.locator("strong.viewer").inner_text() == "Example Chemicals B"
    records = page.locator("table.records tbody tr")
    assert records.count() == 8
    assert "r-eo" not in page.locator("table.records").inner_text()
    assert page.locator("table.accounts tbody tr").count() == 1

    page.get_by_role("link", name="r-eth", exact=True).click()
    page.wait_for_url(f"{server}/custody/records/r-eth")
    assert "33.3% of the batch is claimed certified" in page.locator("p.statement").inner_text()
    nodes = page.locator("table.trace tbody tr")
    assert nodes.count() == 3
    assert nodes.nth(0).locator("td.share").inner_text() == "33.3 %"
    assert [nodes.nth(i).locator("td.share").inner_text() for i in (1, 2)] == ["100.0 %", "0.0 %"]
    twin = page.request.get(f"{server}/custody/records/r-eth.json").json()
    assert twin["trace"]["nodes"][0]["credit"] == 30
    assert sorted(n["record"] for n in twin["trace"]["nodes"][1:]) == ["r-nap-bio", "r-nap-fos"]

    page.get_by_role("link", name="All your records").click()
    page.get_by_role("link", name=account).click()
    page.wait_for_url(f"{server}/custody/accounts/{account}")
    periods = page.locator("table.periods tbody tr")
    assert [periods.nth(i).locator("td.closing").inner_text() for i in (0, 1)] == [
        "20.000",
        "6.000",
    ]
    assert periods.nth(1).locator("td.expired").inner_text() == "10.000"
    twin = page.request.get(f"{server}/custody/accounts/{account}.json?until=2026-09-30").json()
    assert [p["closing"] for p in twin["periods"]] == [20, 6, 0]
    assert twin["expired"] == 16

    other = chromium.new_page()
    _sign_in(other, server, "ana", "/custody")
    assert "No record you are a party to." in other.locator("table.records").inner_text()
    hidden = other.goto(f"{server}/custody/records/r-eth")
    assert hidden is not None and hidden.status == 404
    assert other.request.get(f"{server}/custody/accounts/{account}.json").status == 404
