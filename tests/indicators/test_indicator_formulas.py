"""The pure formulas, and the Ibis expressions agreeing with them on random suppliers."""

from __future__ import annotations

import ibis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from critchem.trade.indicators import (
    compute_indicators,
    governance_weighted_hhi,
    hhi,
    hhi_points,
    mirror_gap,
    partner_reference,
    shares,
    unit_value,
)
from tests.indicators.indicator_rows import flow, table

SUPPLIERS = ["CN", "US", "IN", "KR", "JP", "TR"]
values = st.lists(st.floats(min_value=1.0, max_value=1e9), min_size=1, max_size=6)


@given(values)
def test_hhi_lies_between_equal_split_and_monopoly(vs) -> None:
    s = shares(vs)
    assert sum(s) == pytest.approx(1.0)
    assert 1 / len(vs) - 1e-12 <= hhi(s) <= 1 + 1e-12
    assert hhi_points(s) == pytest.approx(10_000 * hhi(s))


@given(values, st.lists(st.floats(min_value=0.0, max_value=10.0), min_size=6, max_size=6))
def test_governance_weighting_is_bounded_by_the_wgi(vs, wgi) -> None:
    s, w = shares(vs), wgi[: len(vs)]
    weighted = governance_weighted_hhi(s, w)
    assert min(w) * hhi(s) - 1e-9 <= weighted <= max(w) * hhi(s) + 1e-9


def test_formulas_refuse_what_cannot_be_computed() -> None:
    assert unit_value(10.0, 0.0) is None
    assert mirror_gap(None, 10.0) is None
    with pytest.raises(ValueError, match="positive total"):
        shares([0.0, 0.0])
    with pytest.raises(ValueError, match="2 shares but 1 WGI"):
        governance_weighted_hhi([0.5, 0.5], [1.0])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_the_ibis_expression_follows_the_formulas(duckdb_con, vs) -> None:
    partners = SUPPLIERS[: len(vs)]
    rows = [flow("DE", p, v, v / 2) for p, v in zip(partners, vs, strict=True)]
    (got,) = duckdb_con.to_pyarrow(compute_indicators(ibis.memtable(table(rows)))).to_pylist()
    s = shares(vs)
    wgi = partner_reference().wgi
    assert got["hhi"] == pytest.approx(hhi(s), rel=1e-9)
    assert got["gov_hhi"] == pytest.approx(
        governance_weighted_hhi(s, [wgi[p] for p in partners]), rel=1e-9
    )
    assert got["import_unit_value"] == pytest.approx(unit_value(sum(vs), sum(vs) / 2))
    assert got["top_supplier_share"] == pytest.approx(max(s))
