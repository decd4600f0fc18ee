"""The eu-dependency screen: three criteria, the two-of-three-years rule, missing data."""

from __future__ import annotations

import math

from critchem.criticality.dependency import (
    CRITERIA,
    WORLD_CRITERION,
    criterion_met,
    import_export_ratio,
    screen,
)

YEARS = [2022, 2023, 2024]


def row(
    product: str,
    year: int,
    hhi: float | None,
    share: float | None,
    imp: float | None,
    exp: float | None,
) -> dict[str, object]:
    return {
        "product": product,
        "year": year,
        "hhi": hhi,
        "extra_import_share": share,
        "extra_import_value": imp,
        "export_value": exp,
    }


def test_all_three_criteria_in_two_of_three_years_make_a_dependency() -> None:
    rows = [
        # A: HHI 0.5/0.45/0.3 (2 of 3 > 0.4), share 0.6/0.7/0.4 (2 of 3 > 0.5),
        # imports/exports 150/100 = 1.5, 90/100 = 0.9, 300/100 = 3 (2 of 3 > 1): dependent.
        row("A", 2022, 0.5, 0.6, 150.0, 100.0),
        row("A", 2023, 0.45, 0.7, 90.0, 100.0),
        row("A", 2024, 0.3, 0.4, 300.0, 100.0),
        # B: concentrated and import-reliant, but the EU exports more than it imports.
        row("B", 2022, 0.9, 0.9, 50.0, 100.0),
        row("B", 2023, 0.9, 0.9, 50.0, 100.0),
        row("B", 2024, 0.9, 0.9, 50.0, 100.0),
        # C: only one year of data: undetermined, never "not dependent" by default.
        row("C", 2024, 0.9, 0.9, 500.0, 100.0),
    ]
    results = {r.item: r for r in screen(rows, years=YEARS)}
    assert results["A"].dependent is True
    assert results["A"].values["import_export_ratio"] == [1.5, 0.9, 3.0]
    assert results["B"].dependent is False
    assert results["B"].met == {
        "hhi": True,
        "extra_import_share": True,
        "import_export_ratio": False,
    }
    assert results["C"].dependent is None
    assert results["C"].met["hhi"] is None


def test_thresholds_are_strict() -> None:
    assert criterion_met([0.4, 0.4, 0.4], 0.4) is False
    assert criterion_met([0.41, 0.41, None], 0.4) is True
    assert criterion_met([0.41, None, None], 0.4) is None
    assert criterion_met([0.41, 0.2, None], 0.4) is None
    assert criterion_met([0.2, 0.2, None], 0.4) is False


def test_ratio_edge_cases() -> None:
    assert math.isinf(import_export_ratio(1.0, 0.0) or 0.0)
    assert import_export_ratio(0.0, 0.0) is None
    assert import_export_ratio(1.0, None) is None


def test_single_year_screen_of_the_commission() -> None:
    # A in 2024 alone: HHI 0.3 is not > 0.4, so the single-year screen says not dependent,
    # while the GeoDep rule over 2022-2024 (2 of 3 years) said dependent (test above).
    rows = [row("A", 2024, 0.3, 0.4, 300.0, 100.0), row("D", 2024, 0.6, 0.8, 300.0, 100.0)]
    results = {r.item: r for r in screen(rows, years=[2024], min_years=1)}
    assert results["A"].dependent is False
    assert results["D"].dependent is True


def test_world_export_concentration_is_geodeps_fourth_criterion() -> None:
    # D meets the Commission's three criteria; world exports spread (HHI 0.2 <= 0.4) in two of
    # three years make it not dependent under GeoDep's four criteria.
    rows = [
        {**row("D", y, 0.6, 0.8, 300.0, 100.0), "world_export_hhi": w}
        for y, w in zip(YEARS, (0.2, 0.5, 0.2), strict=True)
    ]
    three = screen(rows, years=YEARS)[0]
    four = screen(rows, years=YEARS, criteria=(*CRITERIA, WORLD_CRITERION))[0]
    assert three.dependent is True and "world_export_hhi_met" not in three.to_dict()
    assert four.dependent is False and four.met[WORLD_CRITERION] is False
    assert four.to_dict()["world_export_hhi_2023"] == 0.5
