"""eu-crm beside the published results of the EU studies (eu_crm_published.csv)."""

from __future__ import annotations

import pytest

from critchem.core.errors import ReferenceDataError
from critchem.criticality import demo_files, get_methodology
from critchem.criticality.engine import assess as assess_files
from critchem.criticality.published import (
    compare_with_published,
    meeting_thresholds,
    parse_published,
    published_results,
)

HEAD = "material,name,year,sr,ei,source,transcription,checked\n"


def test_shipped_results_have_source_and_date() -> None:
    for year, count in ((2017, 61), (2020, 66), (2023, 70)):
        rows = published_results(year)
        # the 2023 study screened 70 candidates (67 materials and 3 groups)
        assert len(rows) == count
        for r in rows.values():
            assert r.source.startswith("European Commission (")
            assert r.transcription.startswith("https://github.com/")
            assert r.checked == "2026-12-07"
    r23 = published_results(2023)
    assert (r23["gallium"].sr, r23["gallium"].ei) == (3.9, 3.7)
    assert (r23["cobalt"].sr, r23["cobalt"].ei) == (2.8, 6.8)
    assert (r23["antimony"].sr, r23["antimony"].ei) == (1.8, 5.4)
    # the demo's 2017 inputs come from the same study as these published SRs
    r17 = published_results(2017)
    assert (r17["antimony"].sr, r17["cobalt"].sr) == (4.3, 1.6)


def test_2023_thresholds_give_the_2023_list() -> None:
    # The 34 critical raw materials of March 2023 include copper and nickel, listed as
    # strategic although they do not reach the thresholds (CBS, "Critical raw materials",
    # https://www.cbs.nl/en-gb/news/2023/48/china-top-supplier-of-products-containing-critical-raw-materials/critical-raw-materials;
    # Project Blue, 20 Mar 2023). The other 32 (rare earths as LREE and HREE, aluminium and
    # bauxite merged in 2023) are exactly the materials whose published SR >= 1 and EI >= 2.8.
    spec = get_methodology("eu-crm").spec
    sr_t, ei_t = spec.criteria["sr"].threshold, spec.criteria["ei"].threshold
    assert (sr_t, ei_t) == (1.0, 2.8)
    listed = meeting_thresholds(published_results(2023).values(), sr_t, ei_t)
    assert listed == sorted(
        [
            "aluminium", "antimony", "arsenic", "baryte", "beryllium", "bismuth", "boron",
            "cobalt", "coking coal", "feldspar", "fluorspar", "gallium", "germanium",
            "hafnium", "helium", "hrees", "lithium", "lrees", "magnesium", "manganese",
            "natural graphite", "niobium", "pgms", "phosphate rock", "phosphorus",
            "scandium", "silicon metal", "strontium", "tantalum", "titanium metal",
            "tungsten", "vanadium",
        ]
    )  # fmt: skip
    r23 = published_results(2023)
    assert r23["copper"].sr < 1.0 and r23["nickel"].sr < 1.0


def test_demo_set_beside_the_2017_study() -> None:
    out = assess_files(get_methodology("eu-crm"), demo_files())
    rows = {(a.material, a.criterion): a for a in compare_with_published(out, 2017)}
    sb, co = rows["antimony", "sr"], rows["cobalt", "sr"]
    # 6.4 · 0.72 · 0.9 = 4.1472 against 4.3; 3.6·0.16 + 1.3·0.84 = 1.668 against 1.6
    assert sb.computed == pytest.approx(4.1472) and sb.published == 4.3
    assert sb.difference == pytest.approx(-0.1528) and sb.status == "agrees"
    assert co.computed == pytest.approx(1.668) and co.difference == pytest.approx(0.068)
    assert co.status == "agrees"
    # no SI_EI in the demo: EI is not computed, and that is not agreement
    assert rows["antimony", "ei"].status == "no inputs"
    assert rows["antimony", "ei"].difference is None
    # the same 2017 inputs are far from the 2023 result: the years are never mixed up
    later = {(a.material, a.criterion): a for a in compare_with_published(out, 2023)}
    assert later["antimony", "sr"].published == 1.8
    assert later["antimony", "sr"].status == "differs"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("gallium,Gallium,2023,3.9,3.7,,https://t,2026-12-07", "line 2: source is empty"),
        ("gallium,Gallium,2023,3.9,11,S,https://t,2026-12-07", "line 2: ei 11.0 is outside"),
        ("gallium,Gallium,2023,n/a,3.7,S,https://t,2026-12-07", "line 2: sr 'n/a' is not"),
        ("gallium,Gallium,23a,3.9,3.7,S,https://t,2026-12-07", "line 2: year '23a' is not"),
    ],
)
def test_bad_rows_are_refused_with_their_line(row: str, message: str) -> None:
    with pytest.raises(ReferenceDataError, match=message):
        parse_published(HEAD + row + "\n", source="t.csv")


def test_duplicates_and_missing_columns_are_refused() -> None:
    row = "gallium,Gallium,2023,3.9,3.7,S,https://t,2026-12-07\n"
    with pytest.raises(ReferenceDataError, match="line 3: gallium 2023 is listed twice"):
        parse_published(HEAD + row + row, source="t.csv")
    with pytest.raises(ReferenceDataError, match="missing columns checked"):
        parse_published("material,name,year,sr,ei,source,transcription\n", source="t.csv")


def test_2023_end_uses_bound_the_published_ei() -> None:
    from critchem.criticality.published import ei_bounds, published_end_uses

    uses = published_end_uses()
    assert all(u.source.startswith("European Commission (2023)") for u in uses)
    assert all(u.transcription.startswith("https://github.com/") for u in uses)
    bounds = ei_bounds()
    assert len(bounds) == 13
    ga = bounds["gallium"]
    # gallium: C26 (5 % + 70 %) · 77,000 + C27 25 % · 89,422 = 57,750 + 22,355.5 = 80,105.5 M€;
    # 10 · 80,105.5 / 204,200 (C28) = 3.923 >= published 3.7, implied SI_EI 3.7 / 3.923 = 0.943
    assert ga.sum_aq == pytest.approx(80_105.5)
    assert ga.max_q == 204_200.0
    assert ga.bound == pytest.approx(3.92289, abs=1e-5)
    assert ga.implied_si_ei == pytest.approx(0.94318, abs=1e-5) and ga.consistent
    # antimony: 0.49 · 132,361 + 0.05 · 64,990 + 0.14 · 163,568 + 0.32 · 89,422 = 119,620.95
    assert bounds["antimony"].sum_aq == pytest.approx(119_620.95)
    # aluminium: the sum behind the worked example of the method page (shares add up to 98 %)
    assert bounds["aluminium"].sum_aq == pytest.approx(142_266.83)
    assert bounds["aluminium"].share_total == pytest.approx(0.98)
    # twelve of thirteen are consistent; fluorspar is not: 10 · 75,570.59 / 204,200 = 3.701,
    # below its published EI of 3.8 even after rounding (3.75): reported, not adjusted
    assert sorted(m for m, b in bounds.items() if not b.consistent) == ["fluorspar"]
    assert bounds["fluorspar"].bound == pytest.approx(3.70081, abs=1e-5)


def test_bad_end_use_rows_are_refused_with_their_line() -> None:
    from critchem.criticality.published import parse_end_uses

    head = "material,application,sector,share,value_added_meur,source,transcription,checked\n"
    with pytest.raises(ReferenceDataError, match=r"line 2: share 1\.5 is not in 0\.\.1"):
        parse_end_uses(head + "ga,Lighting,C27,1.5,89422,S,https://t,2026-12-07\n")
    with pytest.raises(ReferenceDataError, match="line 2: checked is empty"):
        parse_end_uses(head + "ga,Lighting,C27,0.25,89422,S,https://t,\n")
