"""Mirror gaps: the EU side in EUR against the partners' side in USD, converted."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest

from critchem.trade.indicators import mirror_gap, mirror_gaps
from tests.indicators.indicator_rows import flow, table

# The EU side (Comext-like, EUR, CN8): DE annual, FR monthly (summed to the year).
REPORTED = [
    flow("DE", "CN", 1000.0, 100.0, period="2023", source="comext"),
    flow("FR", "CN", 500.0, 50.0, period="2023-01", source="comext"),
    flow("DE", "US", 400.0, 40.0, period="2023", source="comext"),
    flow("DE", "IN", 70.0, 7.0, period="2023", source="comext"),  # India does not report
]
# The partners' side (BACI-like, USD, HS6): the reporter is the partner country.
MIRROR = [
    flow("CN", "DE", 1200.0, 100.0, product="290121", flow=2, period="2023", source="baci"),
    flow("CN", "FR", 550.0, 50.0, product="290121", flow=2, period="2023", source="baci"),
    flow("US", "DE", 300.0, 40.0, product="290121", flow=2, period="2023", source="baci"),
    flow("CN", "US", 999.0, 99.0, product="290121", flow=2, period="2023", source="baci"),
]
# An illustrative EUR-per-USD rate, not the ECB's.
RATES = pa.table({"year": [2023], "rate": [0.9]})


def usd(rows: list[dict]) -> list[dict]:
    return [{**r, "currency": "USD"} for r in rows]


def test_mirror_gap_with_a_rate_table(run) -> None:
    reported = ibis.memtable(table(REPORTED))
    mirror = ibis.memtable(table(usd(MIRROR)))
    rows = run(mirror_gaps(reported, mirror, reporter=["EU27", "DE"], rate=RATES))
    got = {(r["reporter"], r["partner"]): r for r in rows}
    assert set(got) == {("DE", "CN"), ("DE", "US"), ("EU27", "CN"), ("EU27", "US")}
    eu_cn = got[("EU27", "CN")]
    # reported 1000 + 500 EUR; mirror (1200 + 550) USD x 0.9 = 1575 EUR; (1575 - 1500) / 1500
    assert (eu_cn["reported_value"], eu_cn["mirror_value"]) == (1500.0, pytest.approx(1575.0))
    assert eu_cn["mirror_gap"] == pytest.approx(0.05)
    assert eu_cn["product"] == "290121"
    assert (eu_cn["reported_source"], eu_cn["mirror_source"], eu_cn["currency"]) == (
        "comext",
        "baci",
        "EUR",
    )
    assert got[("DE", "CN")]["mirror_gap"] == pytest.approx(0.08)  # 1080 vs 1000
    assert got[("EU27", "US")]["mirror_gap"] == pytest.approx(mirror_gap(400.0, 270.0))  # -0.325


def test_scalar_rate_and_missing_rate(duckdb_con) -> None:
    reported = ibis.memtable(table(REPORTED))
    mirror = ibis.memtable(table(usd(MIRROR)))
    scalar = duckdb_con.to_pyarrow(mirror_gaps(reported, mirror, rate=0.9)).to_pylist()
    assert {r["partner"]: r["mirror_gap"] for r in scalar} == pytest.approx(
        {"CN": 0.05, "US": -0.325}
    )
    none = duckdb_con.to_pyarrow(mirror_gaps(reported, mirror)).to_pylist()
    assert {r["partner"]: (r["mirror_value"], r["mirror_gap"]) for r in none} == {
        "CN": (None, None),
        "US": (None, None),
    }


def test_export_mirror_in_the_same_currency(duckdb_con) -> None:
    reported = ibis.memtable(
        table([flow("DE", "CN", 200.0, 10.0, flow=2, period="2023", source="comext")])
    )
    mirror = ibis.memtable(
        table([flow("CN", "DE", 250.0, 10.0, flow=1, period="2023", source="baci")])
    )
    rows = duckdb_con.to_pyarrow(
        mirror_gaps(reported, mirror, reporter="DE", flow="export", product_digits=None)
    ).to_pylist()
    assert [(r["product"], r["flow"], r["mirror_gap"]) for r in rows] == [
        ("29012100", "export", pytest.approx(0.25))
    ]
