"""Cumulation per cost item: the case table of allowed and forbidden combinations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from critchem.exceptions import InstrumentCatalogueError
from critchem.investment import load_catalogue
from critchem.investment.cost_items import (
    RULES,
    Allocation,
    CostItem,
    check_cumulation,
    unchecked_items,
)

CASES = Path(__file__).parent / "data" / "cumulation_cases.tsv"


def _cases() -> list[dict[str, str]]:
    lines = [ln for ln in CASES.read_text("utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(p.split("=", 1)) for p in text.split(";") if p]  # type: ignore[misc]


def _parse(
    case: dict[str, str],
) -> tuple[tuple[CostItem, ...], tuple[Allocation, ...], dict[str, float]]:
    items = tuple(CostItem(k, float(v)) for k, v in _pairs(case["items"]))
    allocs = []
    for key, value in _pairs(case["allocations"]):
        inst, item = key.split(">")
        allocs.append(Allocation(inst, item, float(value)))
    ceilings = {k: float(v) for k, v in _pairs(case["ceilings"] or "")}
    return items, tuple(allocs), ceilings


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["case"])
def test_case_table(case: dict[str, str]) -> None:
    items, allocs, ceilings = _parse(case)
    breaches = check_cumulation(items, allocs, load_catalogue(), ceilings=ceilings)
    rules = sorted({b.rule for b in breaches})
    if case["expected"] == "allowed":
        assert breaches == [], case["why"]
    else:
        assert rules == sorted(case["rules"].split(",")), case["why"]
        for breach in breaches:
            assert breach.reference == RULES[breach.rule]
            assert breach.item_id in {i.id for i in items}


def test_case_table_covers_every_rule() -> None:
    named = {r for c in _cases() for r in c["rules"].split(",") if r}
    assert named == set(RULES)


def test_unknown_cost_item_is_a_clear_error() -> None:
    with pytest.raises(InstrumentCatalogueError, match=r"cost item 'roof'.*plant"):
        check_cumulation(
            (CostItem("plant", 10),), (Allocation("ceeag", "roof", 1),), load_catalogue()
        )


def test_state_aid_without_known_ceiling_is_reported_unchecked() -> None:
    items = (CostItem("plant", 100),)
    allocs = (Allocation("ceeag", "plant", 30), Allocation("gber", "plant", 30))
    assert check_cumulation(items, allocs, load_catalogue()) == []
    assert unchecked_items(items, allocs, load_catalogue()) == ["plant"]
