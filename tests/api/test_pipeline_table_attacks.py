"""The country x molecule table over HTTP: a member cannot recover a new project's capex.

The attack: a member (Example Chem B) reads the published table, another company submits a
confidential project, the secretariat releases, and the member reads the table again. With
both readings it solves the attacker's linear programme (every published cell, every row
and column relation, values non-negative) on the table after the release and on the change
between the two readings. Neither may pin the new project's cell within ``p`` % of its
capex (100 M EUR, so within 10 M EUR).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import FastAPI

from critchem.accounts.disclosure_control import P_PERCENT
from critchem.accounts.table_protection import TOTAL, Key, attacker_range
from critchem.core.settings import Settings
from critchem.services.investment import default_pipeline_path, import_projects, release_pipeline
from tests.api.conftest import Api, add_user, sign_in
from tests.api.test_projects_api import new_project

V1 = "/api/v1"
CAPEX = 100.0
CELL: Key = ("DE", "ammonia")


def _read(api: Api, headers: dict[str, str]) -> dict[str, Any]:
    answer = api.get(f"{V1}/pipeline/table", headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _values(table: dict[str, Any]) -> dict[Key, float | None]:
    return {(c["country"], c["molecule"]): c["capex_meur"] for c in table["cells"]}


def _interior(table: dict[str, Any]) -> tuple[list[str], list[str]]:
    return [r for r in table["rows"] if r != TOTAL], [c for c in table["columns"] if c != TOTAL]


def test_a_new_projects_capex_cannot_be_recovered_from_the_margins(
    api: Api, app: FastAPI, settings: Settings
) -> None:
    path = default_pipeline_path(settings)
    example = resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    with resources.as_file(example) as csv:
        assert import_projects(csv, pipeline=path).imported == 30
    release_pipeline(pipeline=path, by="sue")
    add_user(app, "bea", "member", org="Example Chem B")
    add_user(app, "nia", "member", org="Example NewCo")
    bea, nia = sign_in(api, "bea"), sign_in(api, "nia")

    before = _read(api, bea)
    assert before["as_of"] is not None
    submitted = api.post(f"{V1}/projects", headers=nia, json=new_project(capex_meur=CAPEX))
    assert submitted.status_code == 201, submitted.text
    assert _read(api, bea) == before  # nothing moves before the next release
    release_pipeline(pipeline=path, by="sue")
    after = _read(api, bea)
    assert after["as_of"] != before["as_of"]

    cells = {(c["country"], c["molecule"]): c for c in after["cells"]}
    assert cells[CELL]["capex_meur"] is None and cells[CELL]["withheld"]
    assert cells[CELL]["reason"]  # withheld with the rule that withholds it
    withheld = [c for c in after["cells"] if c["withheld"]]
    assert all(c["capex_meur"] is None and c["reason"] for c in withheld)

    rows, cols = _interior(after)
    need = P_PERCENT / 100 * CAPEX
    # attack 1: the table after the release alone
    now = _values(after)
    hidden = {k for k, v in now.items() if v is None}
    known = {k: v for k, v in now.items() if v is not None}
    low, high = attacker_range(known, rows, cols, hidden, CELL)
    assert high - low >= need, (low, high)
    # attack 2: the change between the two readings (only an addition: non-negative)
    then = _values(before)
    change = {
        k: v - (then.get(k) or 0.0)
        for k, v in now.items()
        if v is not None and ((k in then and then[k] is not None) or k not in then)
    }
    hidden = set(now) - set(change)
    low, high = attacker_range(change, rows, cols, hidden, CELL)
    assert CELL in hidden and high - low >= need, (low, high)


def test_the_projects_page_shows_withheld_cells(api: Api, settings: Settings) -> None:
    path = default_pipeline_path(settings)
    example = resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    with resources.as_file(example) as csv:
        import_projects(csv, pipeline=path)
    release_pipeline(pipeline=path, by="sue")
    table = api.get(f"{V1}/pipeline/table").json()
    html = api.get("/projects").text
    assert 'id="by-country-molecule"' in html
    assert html.count(">withheld</span>") == sum(c["withheld"] for c in table["cells"]) > 0
    data = api.get("/projects.json").json()
    assert data["table"] == table
    country = {a["group"]: a for a in data["by_country"]}
    for cell in table["cells"]:  # the published aggregates hide what the table's margins hide
        if cell["molecule"] == TOTAL and cell["country"] != TOTAL and cell["withheld"]:
            assert country[cell["country"]]["capex_meur"] is None
