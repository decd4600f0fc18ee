"""Cost items entered through ``funding match --cost-items`` and the API body.

Expectations computed by hand from the files in ``data/``:

* ``cost_items_ok.csv``: electrolyser 100 M€ under GBER Article 41 (large, 45 %): ceiling
  45, State aid 40, room 5; grid 40 M€ with 20 from the Innovation Fund (≤ 60 % = 24), no
  State aid so no ceiling; storage 30 M€, no support. Relevant costs 170. Allowed.
* ``cost_items_refused.json``: electrolyser 30 (GBER) + 20 (Innovation Fund) = 50 > 45:
  refused by ``aid-intensity`` naming gber-41-large; pilot 5 of 20 = 25 %, at the 25 % of
  Article 25 experimental development: allowed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from critchem.core.errors import CostItemError
from critchem.investment import load_catalogue
from critchem.investment.cost_item_file import parse_cost_items, read_cost_items
from critchem.services import investment as service
from tests.investment.test_portfolio_cli import EXAMPLE, invoke

DATA = Path(__file__).parent / "data"


@pytest.fixture
def pipeline(tmp_path: Path) -> Path:
    path = tmp_path / "pipeline.jsonl"
    assert service.import_projects(EXAMPLE, pipeline=path).imported == 30
    return path


def test_csv_file_reads_items_and_allocations() -> None:
    items, allocs = read_cost_items(DATA / "cost_items_ok.csv", load_catalogue())
    assert [(i.id, i.amount_meur, i.aid_rules) for i in items] == [
        ("electrolyser", 100.0, ("gber-41-large",)),
        ("grid", 40.0, ()),
        ("storage", 30.0, ()),
    ]
    assert [(a.instrument_id, a.item_id, a.amount_meur) for a in allocs] == [
        ("gber", "electrolyser", 40.0),
        ("innovation-fund-grant", "grid", 20.0),
    ]


def test_bad_csv_names_every_row_and_field() -> None:
    with pytest.raises(CostItemError) as err:
        read_cost_items(DATA / "cost_items_bad.csv", load_catalogue())
    text = str(err.value)
    assert "row 2, field 'cost_meur': 'lots' is not a number" in text
    assert "row 3, field 'item': empty" in text
    assert "row 4, field 'aid_rules': 'gber-99' is not in the intensity table" in text
    assert "row 4, field 'amount_meur': an allocation needs both" in text
    assert "row 5, field 'instrument': 'no-such-fund' is not an instrument" in text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "expected an object"),
        ({"items": {}}, "must be lists"),
        ({"items": [1]}, r"items\[0\] must be objects"),
        ({"items": []}, "no cost item"),
        ({"items": [{"id": "a", "cost_meur": -1}]}, r"items\[0\], field 'cost_meur'"),
        ({"items": [{"id": "a", "cost_meur": 1, "aid_rules": "x"}]}, "not in the intensity"),
        (
            {"items": [{"id": "a", "cost_meur": 1}, {"id": "a", "cost_meur": 2}]},
            "given twice",
        ),
        (
            {"items": [{"id": "a", "cost_meur": 1}],
             "allocations": [{"instrument": "gber", "item": "b", "amount_meur": 1}]},
            r"allocations\[0\], field 'item': 'b' is not a cost item",
        ),
    ],
)  # fmt: skip
def test_bad_json_is_a_clear_error(body: object, message: str) -> None:
    with pytest.raises(CostItemError, match=message):
        parse_cost_items(json.dumps(body), load_catalogue())


def test_not_a_cost_item_file(tmp_path: Path) -> None:
    with pytest.raises(CostItemError, match=r"must be \.csv or \.json"):
        read_cost_items(tmp_path / "items.txt", load_catalogue())
    (tmp_path / "items.json").write_text("{", encoding="utf-8")
    with pytest.raises(CostItemError, match="not valid JSON"):
        read_cost_items(tmp_path / "items.json", load_catalogue())


def test_funding_match_with_cost_items_json(pipeline: Path) -> None:
    """EX-005 (capex 40, gap 12): relevant costs become the items' 170 M€."""
    code, out, err = invoke(
        "funding", "match", "EX-005", "--pipeline", str(pipeline),
        "--cost-items", str(DATA / "cost_items_ok.csv"), "-f", "json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    checked = data["cost_items"]
    assert checked["allowed"] is True and checked["relevant_costs_meur"] == 170
    by_item = {i["item"]: i for i in checked["items"]}
    assert by_item["electrolyser"]["ceiling_meur"] == 45
    assert by_item["electrolyser"]["room_meur"] == 5
    assert "Article 41" in by_item["electrolyser"]["ceiling_rule"]
    assert by_item["grid"]["ceiling_meur"] is None
    verdicts = {v["instrument_id"]: v for v in data["instruments"]}
    assert verdicts["innovation-fund-grant"]["max_amount_meur"] == 12  # the gap still caps


def test_funding_match_table_names_the_refusing_rule(pipeline: Path) -> None:
    code, out, err = invoke(
        "funding", "match", "EX-005", "--pipeline", str(pipeline),
        "--cost-items", str(DATA / "cost_items_refused.json"),
    )  # fmt: skip
    assert code == 0, err
    assert "REFUSED" in out and "aid-intensity" in out and "gber-41-large" in out


def test_funding_match_bad_file_exits_2_with_rows(pipeline: Path) -> None:
    code, _, err = invoke(
        "funding", "match", "EX-005", "--pipeline", str(pipeline),
        "--cost-items", str(DATA / "cost_items_bad.csv"),
    )  # fmt: skip
    assert code == 2
    assert "row 2" in err and "cost_meur" in err and "Traceback" not in err
