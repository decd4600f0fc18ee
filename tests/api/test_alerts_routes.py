"""The alert lifecycle over HTTP: list, filter, page, show, acknowledge, close."""

from __future__ import annotations

from fastapi import FastAPI

from critchem.surveillance.alerts import AlertStore
from tests.api.conftest import Api, add_user, sign_in

ALERTS = "/api/v1/alerts"


def test_list_filters_and_pages(api: Api, alerts_db: AlertStore) -> None:
    everything = api.get(ALERTS).json()
    assert everything["total"] == len(everything["items"]) == 5
    # Latest period first: the two benzene alerts (April) before the ethylene ones (March).
    assert [a["product"] for a in everything["items"][:2]] == ["29022000"] * 2
    red = api.get(ALERTS, params={"severity": "red"}).json()
    assert red["total"] == 1
    assert red["items"][0]["partner"] == "CN"
    assert red["items"][0]["families"] == ["price", "volume"]
    ethylene = api.get(ALERTS, params={"product": "29012100", "state": "new"}).json()
    assert ethylene["total"] == 3
    page = api.get(ALERTS, params={"limit": 2, "offset": 2}).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [a["id"] for a in page["items"]] == [a["id"] for a in everything["items"][2:4]]


def test_bad_filter_is_a_422(api: Api, alerts_db: AlertStore) -> None:
    response = api.get(ALERTS, params={"state": "open"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "state"]


def test_show_alert_with_events(api: Api, alerts_db: AlertStore) -> None:
    (red,) = api.get(ALERTS, params={"severity": "red"}).json()["items"]
    detail = api.get(f"{ALERTS}/{red['id']}").json()
    assert {e["family"] for e in detail["events"]} == {"price", "volume"}
    assert detail["provenance"]["source"] == "synthetic"
    assert [(t["from_state"], t["to_state"]) for t in detail["transitions"]] == [(None, "new")]
    missing = api.get(f"{ALERTS}/999999")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_acknowledge_then_close(
    api: Api, alerts_db: AlertStore, analyst: dict[str, str], app: FastAPI
) -> None:
    (red,) = api.get(ALERTS, params={"severity": "red"}).json()["items"]
    url = f"{ALERTS}/{red['id']}"
    # ``by`` in the body (the old form) is ignored: the signed-in user is recorded.
    acked = api.post(f"{url}/ack", json={"by": "alice", "note": "looking"}, headers=analyst)
    assert acked.status_code == 200
    assert (acked.json()["state"], acked.json()["acknowledged_by"]) == ("acknowledged", "ana")
    add_user(app, "bob", "secretariat")
    closed = api.post(f"{url}/close", json={"reason": "seasonal dip"}, headers=sign_in(api, "bob"))
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["close_reason"]) == ("closed", "seasonal dip")
    history = api.get(url).json()["transitions"]
    assert [(t["from_state"], t["to_state"], t["by"]) for t in history[1:]] == [
        ("new", "acknowledged", "ana"),
        ("acknowledged", "closed", "bob"),
    ]
    assert api.get(ALERTS, params={"state": "closed"}).json()["total"] == 1


def test_illegal_transition_is_a_409(
    api: Api, alerts_db: AlertStore, analyst: dict[str, str]
) -> None:
    alert_id = api.get(ALERTS).json()["items"][0]["id"]
    url = f"{ALERTS}/{alert_id}"
    assert api.post(f"{url}/close", json={"reason": "noise"}, headers=analyst).is_success
    response = api.post(f"{url}/ack", json={}, headers=analyst)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("conflict")


def test_transition_bodies_are_validated(
    api: Api, alerts_db: AlertStore, analyst: dict[str, str]
) -> None:
    alert_id = api.get(ALERTS).json()["items"][0]["id"]
    no_reason = api.post(f"{ALERTS}/{alert_id}/close", json={"by": "bob"}, headers=analyst)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"] == ["body", "reason"]
    long_note = api.post(f"{ALERTS}/{alert_id}/ack", json={"note": "x" * 4001}, headers=analyst)
    assert long_note.status_code == 422
