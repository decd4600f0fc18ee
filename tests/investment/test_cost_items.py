"""Cumulation per cost item: the case table of allowed and forbidden combinations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from critchem.core.errors import InstrumentCatalogueError, NotFoundError
from critchem.investment import load_catalogue
from critchem.investment.cost_items import (
    RULES,
    Allocation,
    CostItem,
    assess_items,
    check_cumulation,
    unchecked_items,
)
from critchem.investment.intensities import load_intensities

CASES = Path(__file__).parent / "data" / "cumulation_cases.tsv"


def _cases() -> list[dict[str, str]]:
    lines = [ln for ln in CASES.read_text("utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(p.split("=", 1)) for p in text.split(";") if p]  # type: ignore[misc]


def _parse(
    case: dict[str, str],
) -> tuple[tuple[CostItem, ...], tuple[Allocation, ...], dict[str, float]]:
    rules = {k: tuple(v.split("|")) for k, v in _pairs(case["aid_rules"] or "")}
    gaps = {k: float(v) for k, v in _pairs(case["item_gaps"] or "")}
    items = tuple(
        CostItem(k, float(v), aid_rules=rules.get(k, ()), funding_gap_meur=gaps.get(k))
        for k, v in _pairs(case["items"])
    )
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
            named = {r for i in items for r in i.aid_rules}
            if breach.rule == "aid-intensity" and named:
                # the refusal names the sourced provision that set the ceiling
                assert any(r in breach.provision for r in named), breach.provision
                assert any(r in breach.reason for r in named), breach.reason


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


def test_every_intensity_row_is_used_by_a_case_or_listed() -> None:
    named = {
        r for c in _cases() for pair in _pairs(c["aid_rules"] or "") for r in pair[1].split("|")
    }
    assert named <= set(load_intensities())
    assert {"gber-41-large", "gber-25-experimental", "ceeag-bidding", "ets-indirect-2021"} <= named


def test_rule_on_the_funding_gap_needs_the_gap() -> None:
    items = (CostItem("plant", 100, aid_rules=("ceeag-bidding",)),)
    with pytest.raises(InstrumentCatalogueError, match=r"'plant'.*funding_gap_meur"):
        check_cumulation(items, (Allocation("ceeag", "plant", 10),), load_catalogue())


def test_unknown_intensity_rule_lists_the_known_ones() -> None:
    items = (CostItem("plant", 100, aid_rules=("gber-99",)),)
    with pytest.raises(NotFoundError) as err:
        check_cumulation(items, (Allocation("gber", "plant", 10),), load_catalogue())
    assert "gber-41-large" in err.value.suggestions


def test_assess_items_reports_ceiling_and_room() -> None:
    items = (
        CostItem("electrolyser", 100, aid_rules=("gber-41-large",)),
        CostItem("grid", 40),
    )
    allocs = (Allocation("gber", "electrolyser", 30), Allocation("erdf", "grid", 10))
    reports = {r.item_id: r for r in assess_items(items, allocs, load_catalogue())}
    assert reports["electrolyser"].ceiling_meur == 45.0
    assert reports["electrolyser"].room_meur == 15.0
    assert "Article 41" in reports["electrolyser"].ceiling_rule
    assert reports["grid"].ceiling_meur is None and reports["grid"].room_meur is None
    assert reports["grid"].support_meur == 10.0
