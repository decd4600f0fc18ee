"""``/api/v1/custody/accounts``: a site's mass-balance account, declared and read by its owner.

The records and the account are those of ``tests/carbon/data/custody_site_account.json``
and ``custody_account.json``
(fictitious companies; hand computation in ``tests/carbon/test_custody_account.py``): by
quarter, closing 20 t in 2026-Q1 and 6 t in 2026-Q2; a claim of 7 t on 15 July finds 6 t.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from critchem.api import create_app
from critchem.core.settings import Settings
from tests.api.conftest import Api, add_user, sign_in

V1 = "/api/v1/custody"
DATA = Path(__file__).parents[1] / "carbon" / "data" / "custody_site_account.json"
ACCOUNT = DATA.with_name("custody_account.json")


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    doc["account"] = json.loads(ACCOUNT.read_text(encoding="utf-8"))
    return doc


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, trade_store: Path) -> Iterator[FastAPI]:
    home = tmp_path_factory.mktemp("custody-accounts")
    application = create_app(Settings(home=home, store_path=trade_store))
    try:
        yield application
    finally:
        application.state.alert_store.dispose()


def test_declare_read_and_refuse_through_the_api(app: FastAPI) -> None:
    api = Api(app)
    users = {
        "sec": ("secretariat", "Alliance Secretariat"),
        "b": ("member", "Example Chemicals B"),
        "c": ("member", "Example Polymers C"),
    }
    for name, (role, org) in users.items():
        add_user(app, name, role, org)
    headers = {name: sign_in(api, name) for name in users}
    refused = api.post(f"{V1}/accounts", json=_doc()["account"], headers=headers["c"])
    assert refused.status_code == 403
    made = api.post(f"{V1}/accounts", json=_doc()["account"], headers=headers["b"])
    assert made.status_code == 201, made.text
    account = made.json()["id"]
    for record in _doc()["records"]:
        created = api.post(f"{V1}/records", json=record, headers=headers["sec"])
        assert created.status_code == 201, created.text
    shown = api.get(f"{V1}/accounts/{account}/statement?until=2026-09-30", headers=headers["b"])
    assert shown.status_code == 200, shown.text
    assert [p["closing"] for p in shown.json()["periods"]] == [20, 6, 0]
    assert api.get(f"{V1}/accounts/{account}/statement", headers=headers["c"]).status_code == 404
    assert [a["id"] for a in api.get(f"{V1}/accounts", headers=headers["b"]).json()] == [account]
    assert api.get(f"{V1}/accounts", headers=headers["c"]).json() == []
    claim = dict(_doc()["records"][4])
    claim |= {
        "id": "m-6",
        "batch": "B-m-6",
        "certified_quantity": 7,
        "transferred_on": "2026-07-15",
    }
    over = api.post(f"{V1}/records", json=claim, headers=headers["b"])
    assert over.status_code == 400
    assert "claims 7 t certified out of site 'Site 1 (example)'" in over.text
    assert "holds only 6 t on 2026-07-15" in over.text
