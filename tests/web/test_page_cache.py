"""The molecule page's content is rendered once per version and viewer class, the header per request.

Over HTTP against the app: what each viewer sees must not depend on who viewed the page before
(the cached content carries the capacities as its first viewer saw them only for viewers who
see the same), a new alert shows at once, and confidential reads stay audited on cached pages.
"""

from __future__ import annotations

import re
from datetime import date

from fastapi import FastAPI

from critchem.surveillance.alerts import fuse
from critchem.web.session import CSRF_COOKIE
from tests.api.conftest import make_event
from tests.web.conftest import Browser, add_user

# illustrative_member_capacities.csv: ethylene at EXS-001 is Example Chemicals A's, 650,000 t.
OWN_CAPACITY = "650,000"


def _capacity_cells(page: str) -> list[str]:
    return re.findall(r'<td class="n capacity">([^<]*)</td>', page)


def test_each_viewer_sees_its_own_capacities_whoever_came_first(app: FastAPI) -> None:
    add_user(app, "bea", "member", org="Example Chemicals A")
    anonymous, member = Browser(app), Browser(app)
    first = anonymous.get("/molecules/ethylene").text
    member.sign_in("bea")
    seen_by_member = member.get("/molecules/ethylene").text
    again = anonymous.get("/molecules/ethylene").text
    assert OWN_CAPACITY not in first and set(_capacity_cells(first)) == {"confidential"}
    assert again == first
    assert OWN_CAPACITY in _capacity_cells(seen_by_member)
    assert "bea (member, Example Chemicals A)" in seen_by_member and "bea (member" not in again
    # The same content below the header for two members of Example Chemicals A, each with its own header.
    add_user(app, "ben", "member", org="Example Chemicals A")
    other = Browser(app)
    other.sign_in("ben")
    seen_by_other = other.get("/molecules/ethylene").text
    body = seen_by_member[seen_by_member.index("<main") :]
    assert seen_by_other[seen_by_other.index("<main") :] == body
    assert "ben (member, Example Chemicals A)" in seen_by_other
    # Each read that showed its capacity is audited, the one answered from memory too.
    entries, total = app.state.accounts.list_audit(action="read_confidential")
    assert total == 2 and {e.actor for e in entries} == {"bea", "ben"}


def test_a_new_alert_shows_at_once(app: FastAPI, browser: Browser) -> None:
    before = browser.get("/molecules/ethylene").text
    assert "No alert on Ethylene or its codes." in before
    store = app.state.alert_store
    events = [make_event("volume", "red", partner="CN", period=date(2024, 5, 1))]
    assert store.upsert(fuse(events), provenance={"source": "synthetic"}) == (1, 0)
    after = browser.get("/molecules/ethylene").text
    assert "No alert on Ethylene or its codes." not in after
    (alert,) = browser.get("/molecules/ethylene.json").json()["alerts"]
    assert (
        f'<td><a href="/alerts/{alert["id"]}">{alert["id"]}</a></td>' in after
        and '<table class="alerts">' in after
    )


def test_a_page_without_forms_sets_no_csrf_cookie(app: FastAPI, browser: Browser) -> None:
    page = browser.get("/molecules/ethylene")
    assert page.status_code == 200 and CSRF_COOKIE not in page.headers.get("set-cookie", "")
    login = browser.get("/login")
    assert CSRF_COOKIE in login.headers["set-cookie"]
    # Signed in, the sign-out form of the (cached) molecule page carries this browser's token.
    add_user(app, "ana", "analyst")
    assert browser.sign_in("ana").status_code in (200, 303)
    signed_in = browser.get("/molecules/ethylene").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', signed_in)
    assert token is not None
    assert browser.post("/logout", data={"csrf_token": token.group(1)}).status_code in (200, 303)
