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
