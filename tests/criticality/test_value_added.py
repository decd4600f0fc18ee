"""SBS value added by NACE and end-use splits: sourced rows only, Σ A·Q by hand."""

from __future__ import annotations

import pytest

from critchem.criticality.value_added import (
    downstream_value_added,
    load_end_uses,
    load_value_added,
)


def test_every_value_added_row_is_sourced_and_derivation_holds() -> None:
    rows = load_value_added()
    assert {"C20", "C28", "C29"} <= set(rows)
    for row in rows.values():
        assert row.source_url.startswith("https://ec.europa.eu/eurostat/")
        assert row.licence == "CC BY 4.0"
    # C28, 2019: 10.5 % of the EU industrial value added of EUR 2.3 trillion = 241,500 M EUR
    assert rows["C28"].value_added_meur == pytest.approx(0.105 * 2_300_000)
    assert rows["C20"].value_added_meur == pytest.approx(0.062 * 2_300_000)


def test_downstream_value_added_by_hand() -> None:
    # 0.6 · 142,600 + 0.4 · 200,100 = 85,560 + 80,040 = 165,600
    va = load_value_added()
    shares = {"C20": 0.6, "C29": 0.4}
    values = {k: va[k].value_added_meur for k in shares}
    assert downstream_value_added(shares, values) == pytest.approx(165_600)


def test_end_use_splits_are_sourced() -> None:
    for uses in load_end_uses().values():
        assert all(u.source_url.startswith("http") for u in uses)
        assert sum(u.share for u in uses) <= 1 + 1e-6


def test_shipped_splits_of_elements_by_hand() -> None:
    """Silicon, sulphur and gallium: the CRM 2023 study's Appendix 6 shares with the value
    added it prints beside them (the study's Q_s), summed by division, by hand."""
    from critchem.criticality.value_added import split_value_added

    splits = load_end_uses()
    assert set(splits) == {"silicon", "sulphur", "gallium"}
    sbs = load_value_added()
    expected = {
        # 0.54·132,361 + 0.38·64,561 + (0.02 + 0.06)·77,000
        # = 71,474.94 + 24,533.18 + 6,160.00 = 102,168.12
        "silicon": (102_168.12, {"C20": 0.54, "C24": 0.38, "C26": 0.08}),
        # 0.01·44,278 + 0.24·28,295 + 0.71·132,361 + 0.04·163,568
        # = 442.78 + 6,790.80 + 93,976.31 + 6,542.72 = 107,752.61
        "sulphur": (107_752.61, {"C17": 0.01, "C19": 0.24, "C20": 0.71, "C25": 0.04}),
        # (0.05 + 0.70)·77,000 + 0.25·89,422 = 57,750.00 + 22,355.50 = 80,105.50
        "gallium": (80_105.50, {"C26": 0.75, "C27": 0.25}),
    }
    for molecule, (value, shares) in expected.items():
        found = split_value_added(splits[molecule], sbs)
        assert not isinstance(found, str), found
        assert found.value_meur == pytest.approx(value, abs=0.005)
        assert found.shares == pytest.approx(shares)
        assert found.printed == frozenset(shares)  # every Q_s is the study's own
        assert found.coverage == pytest.approx(1.0)
        for use in splits[molecule]:
            assert use.source_url.startswith("https://github.com/erikemilsson/")
            assert use.checked and use.application


def test_a_partial_split_or_an_unknown_division_is_a_reason_not_a_value() -> None:
    from critchem.criticality.value_added import EndUse, split_value_added

    url = "https://example.org/split"
    partial = (EndUse("x", "C20", 0.80, 2024, url, "", "fertilisers"),)
    reason = split_value_added(partial, load_value_added())
    assert reason == (
        "the sourced split covers 80% of the use (applications fertilisers): "
        "a partial split gives a lower bound only"
    )
    unknown = (EndUse("x", "C99", 1.0, 2024, url, ""),)
    assert split_value_added(unknown, load_value_added()) == "no sourced value added for NACE C99"
    # without a printed Q_s the SBS row is used: 1.0 · 142,600 (C20, 2019)
    own = split_value_added((EndUse("x", "C20", 1.0, 2024, url, ""),), load_value_added())
    assert not isinstance(own, str)
    assert own.value_meur == pytest.approx(142_600) and own.printed == frozenset()
