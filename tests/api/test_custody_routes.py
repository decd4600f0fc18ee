"""``/api/v1/custody``: records visible to their two parties and the secretariat, each refusal tested.

The chain is the three-tier mass-balance chain of ``tests/carbon/data/custody_mass_balance.json``
(fictitious companies; its hand computation is in ``tests/carbon/test_custody.py``), recorded by
the secretariat; ``r-eth`` cites a footprint the PACT host publishes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from critchem.api import create_app
from critchem.carbon.importer import read_footprints
from critchem.core.settings import Settings
from tests.api.conftest import Api, add_user, sign_in
from tests.carbon.pact_support import FOOTPRINTS

V1 = "/api/v1/custody/records"
CHAIN = Path(__file__).parents[1] / "carbon" / "data" / "custody_mass_balance.json"
PUBLISHED = "5b0c2a4e-1d3f-4a6b-8c9d-0e1f2a3b4c01"
"""The first footprint of ``pact_host_footprints.json`` (Example Chemicals A)."""


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(CHAIN.read_text())["records"]
    records[2]["pcf_id"] = f"urn:uuid:{PUBLISHED}"
    return records


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, trade_store: Path) -> Iterator[FastAPI]:
    """One app for the module (signing in five users per test would be slow)."""
    home = tmp_path_factory.mktemp("custody")
    application = create_app(Settings(home=home, store_path=trade_store))
    try:
        yield application
    finally:
        application.state.alert_store.dispose()


@pytest.fixture(scope="module")
def api(app: FastAPI) -> Api:
    return Api(app)


@pytest.fixture(scope="module")
def parties(app: FastAPI, api: Api) -> dict[str, dict[str, str]]:
    app.state.pact_host.publish(read_footprints(FOOTPRINTS).footprints)
    users = {
        "sec": ("secretariat", "Alliance Secretariat"),
        "b": ("member", "Example Chemicals B"),
        "c": ("member", "Example Polymers C"),
        "d": ("member", "Example Converter D"),
        "f": ("member", "Example Traders F"),
    }
    for name, (role, org) in users.items():
        add_user(app, name, role, org)
    headers = {name: sign_in(api, name) for name in users}
    for record in _records():
        created = api.post(V1, json=record, headers=headers["sec"])
        assert created.status_code == 201, created.text
    return headers


def test_the_parties_and_the_secretariat_see_a_record(
    api: Api, parties: dict[str, dict[str, str]]
) -> None:
    for who in ("b", "c", "sec"):
        shown = api.get(f"{V1}/r-eth", headers=parties[who])
        assert shown.status_code == 200 and shown.json()["certified_quantity"] == 30
    listed = [r["id"] for r in api.get(V1, headers=parties["b"]).json()]
    assert listed == ["r-nap-bio", "r-nap-fos", "r-eth"]
    assert {"r-nap-fos", "r-eo"} <= {r["id"] for r in api.get(V1, headers=parties["sec"]).json()}


@pytest.mark.parametrize("suffix", ["", "/trace", "/footprints"])
def test_others_get_404_as_for_a_record_never_made(
    api: Api, parties: dict[str, dict[str, str]], suffix: str
) -> None:
    hidden = api.get(f"{V1}/r-eth{suffix}", headers=parties["f"])
    missing = api.get(f"{V1}/never-made{suffix}", headers=parties["f"])
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace("r-eth", "X") == missing.json()["detail"].replace(
        "never-made", "X"
    )
    assert (
        api.get(f"{V1}/r-eth{suffix}", headers=parties["d"]).status_code == 404
    )  # a party downstream


def test_a_non_party_lists_nothing(api: Api, parties: dict[str, dict[str, str]]) -> None:
    assert api.get(V1, headers=parties["f"]).json() == []


def test_anonymous_is_asked_to_sign_in(api: Api, parties: dict[str, dict[str, str]]) -> None:
    assert api.get(f"{V1}/r-eth").status_code == 401
    assert api.post(V1, json=_records()[0]).status_code == 401


def test_a_member_records_only_what_its_organisation_supplies(
    api: Api, parties: dict[str, dict[str, str]]
) -> None:
    record = {**_records()[0], "id": "r-new", "batch": "n"}
    refused = api.post(V1, json=record, headers=parties["b"])  # B is its recipient
    assert refused.status_code == 403
    assert api.get(f"{V1}/r-new", headers=parties["sec"]).status_code == 404


def test_an_over_claim_is_a_400_naming_the_record(
    api: Api, parties: dict[str, dict[str, str]]
) -> None:
    record = {**_records()[3], "id": "r-eo-2", "inputs": [{"record": "r-eth", "quantity": 10}]}
    refused = api.post(V1, json=record, headers=parties["c"])
    assert refused.status_code == 400
    assert (
        "record 'r-eo-2' claims 20 t certified (mass-balance) but its inputs credit only 4 t"
        in refused.json()["detail"]
    )


def test_trace_withholds_upstream_parties_and_exports_pact_footprints(
    api: Api, parties: dict[str, dict[str, str]]
) -> None:
    traced = api.get(f"{V1}/r-eo/trace", headers=parties["d"])
    assert traced.status_code == 200
    assert "Example Chemicals B" not in traced.text and "r-eth" not in traced.text
    assert traced.json()["nodes"][1]["pcf_id"] == PUBLISHED
    exported = api.get(f"{V1}/r-eo/footprints", headers=parties["d"]).json()
    assert exported["missing"] == []
    (footprint,) = exported["data"]
    published = {f["id"]: f for f in json.loads(FOOTPRINTS.read_text())["data"]}
    assert footprint["id"] == PUBLISHED
    assert footprint["companyName"] == published[PUBLISHED]["companyName"]
    assert footprint["specVersion"].startswith("3.")


def test_a_key_needs_the_write_custody_scope(
    app: FastAPI, api: Api, parties: dict[str, dict[str, str]]
) -> None:
    record = {
        **_records()[3],
        "id": "r-eo-k",
        "certified_quantity": 0,
        "certificates": [],
        "inputs": [{"record": "r-eth", "quantity": 5}],
        "quantity": 6,
    }
    read = app.state.accounts.create_key("c", "read", scopes=["read"]).key
    refused = api.post(V1, json=record, headers={"X-API-Key": read})
    assert refused.status_code == 403 and "'write:custody'" in refused.json()["detail"]
    write = app.state.accounts.create_key("c", "write", scopes=["write:custody"]).key
    created = api.post(V1, json=record, headers={"X-API-Key": write})
    assert created.status_code == 201
    assert created.json()["id"].startswith("cc-")  # an organisation's id is made by the book
    (entry,) = app.state.accounts.list_audit(action="custody_record", actor="c (key write)")[0]
    assert entry.resource == f"custody record {created.json()['id']}"
