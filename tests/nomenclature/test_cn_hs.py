"""Reference nomenclatures against the official texts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from critchem.core.errors import InvalidCnCodeError, InvalidHsCodeError
from critchem.nomenclature import CN_YEARS, convert_cn, convert_hs, load_cn, load_hs


def test_hs2022_counts_match_the_published_edition() -> None:
    hs = load_hs()
    # WCO HS 2022: 97 chapters (77 reserved), 1,228 headings and 5,612/5,613 subheadings
    # (the UN Comtrade file lists 5,613 HS6 and 1,229 headings including 9999 "unknown").
    assert len(hs.subheadings(2)) in (97, 98)
    assert 1228 <= len(hs.subheadings(4)) <= 1229
    assert 5612 <= len(hs.subheadings(6)) <= 5613


@pytest.mark.parametrize("year", CN_YEARS)
def test_cn_years_have_the_expected_size_and_structure(year: int) -> None:
    cn = load_cn(year)
    assert 9_700 < len(cn) < 9_850  # about 9,800 CN8 codes a year
    hs = load_hs()
    for entry in cn:
        assert entry.code[:6] == entry.hs6
        assert entry.hs6 in hs, f"{entry.code} refines HS6 {entry.hs6} which is not in HS 2022"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("29012100", ["Ethylene"]),
        ("29012900", ["Acyclic hydrocarbons", "unsaturated", "Other"]),
        ("28111980", ["inorganic acids", "Other"]),
        ("28141000", ["Ammonia", "Anhydrous"]),
    ],
)
def test_full_labels_say_what_the_goods_are(code: str, words: list[str]) -> None:
    label = load_cn(2025).get(code).label
    for word in words:
        assert word.lower() in label.lower()
    assert label.lower() != "other"


def test_no_cn8_label_is_bare_other() -> None:
    bare = [e.code for e in load_cn(2025) if e.label.strip().lower() in {"other", "other:"}]
    assert bare == []


def test_unknown_codes_are_refused_with_the_year() -> None:
    with pytest.raises(
        InvalidCnCodeError, match="does not exist in the Combined Nomenclature 2025"
    ):
        load_cn(2025).get("29012199")
    with pytest.raises(InvalidCnCodeError, match="available years"):
        load_cn(1999)
    with pytest.raises(InvalidHsCodeError):
        load_hs().get("290199")


def test_cn_continuity_known_change_2025_to_2026() -> None:
    # CN 2026 split 2841 90 85 into new subdivisions 2841 90 40 and 2841 90 70.
    links = convert_cn("28419085", source=2025, target=2026)
    assert {link.code for link in links} == {"28419040", "28419070"}
    assert {link.relationship for link in links} == {"1:n"}
    back = convert_cn("28419040", source=2026, target=2025)
    assert [link.code for link in back] == ["28419085"]


def test_unchanged_code_is_identical_across_years() -> None:
    assert [link.code for link in convert_cn("29012100", source=2024, target=2026)] == ["29012100"]


stable = sorted({e.code for e in load_cn(2024)} & {e.code for e in load_cn(2026)})


@settings(max_examples=200)
@given(st.sampled_from(stable))
def test_cn_round_trip_2024_2026_2024_for_stable_codes(code: str) -> None:
    forward = convert_cn(code, source=2024, target=2026)
    back = {b.code for f in forward for b in convert_cn(f.code, source=2026, target=2024)}
    assert code in back


one_to_one = [
    e.code
    for e in load_hs().subheadings(6)
    if [link.relationship for link in convert_hs(e.code, source=2022, target=2017)] == ["1:1"]
]


@settings(max_examples=200)
@given(st.sampled_from(one_to_one))
def test_hs_1_to_1_codes_round_trip_2022_2017_2022(code: str) -> None:
    (old,) = convert_hs(code, source=2022, target=2017)
    assert code in {link.code for link in convert_hs(old.code, source=2017, target=2022)}


def test_hs_splits_are_reported_as_such() -> None:
    # HS 2022 created 2903.71-79 (HCFCs) etc.; any code with several predecessors is n:1 or n:n.
    multi = [
        e.code
        for e in load_hs().subheadings(6)
        if len(convert_hs(e.code, source=2022, target=2017)) > 1
    ]
    assert multi
    for code in multi[:50]:
        assert {link.relationship for link in convert_hs(code, source=2022, target=2017)} <= {
            "n:1",
            "n:n",
            "1:n",
        }
