"""Indicators on hand-made tables, checked against hand-computed numbers, on every backend.

The WGI values are the shipped WGI 2020 means rescaled 0..10 (10 worst), as
``governance_of(code).scaled`` gives them:

    CN 5.499284033333334   US 3.050856933333333   IN 5.241954066666667
    median of all 204 countries 5.226387783333333 (Antarctica ``AQ`` has none: imputed)
"""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest

from critchem.trade.indicators import compute_indicators, formulas, supplier_shares
from tests.indicators.indicator_rows import flow, table

WGI_CN = 5.499284033333334
WGI_US = 3.050856933333333
WGI_IN = 5.241954066666667
WGI_MEDIAN = 5.226387783333333

P = "29012100"  # three known origins and a confidential one
P2 = "29012400"  # an origin without WGI
P3 = "29012900"  # two equal suppliers

# EU27 in 2024, monthly rows only (Jan, Feb) so the year is built from them (basis "M").
SCENARIO = [
    # extra-EU imports from known origins: CN 500, US 300, IN 200 -> shares .5 .3 .2
    flow("DE", "CN", 300.0, 100.0, product=P, period="2024-01"),
    flow("DE", "CN", 200.0, 50.0, product=P, period="2024-02"),
    flow("FR", "US", 300.0, 60.0, product=P, period="2024-01"),
    flow("IT", "IN", 200.0, 0.0, product=P, period="2024-02"),  # mass 0: no unit value
    # confidential extra-EU origin: in the extra-EU total, not in the shares
    flow("DE", "QZ", 100.0, None, product=P, period="2024-01"),
    # intra-EU imports, one from an unspecified intra-EU partner
    flow("FR", "DE", 400.0, 100.0, product=P, period="2024-01"),
    flow("NL", "QV", 100.0, 20.0, product=P, period="2024-02"),
    # aggregates and the published EU27_2020 reporter: never counted
    flow("DE", "WORLD", 9999.0, 999.0, product=P, period="2024-01"),
    flow("DE", "EXT_EU27_2020", 8888.0, 888.0, product=P, period="2024-01"),
    flow("EU27_2020", "CN", 5000.0, 1000.0, product=P, period="2024-01"),
    # exports: extra 600 + 200, intra 300
    flow("DE", "CN", 600.0, 100.0, product=P, flow=2, period="2024-01"),
    flow("IT", "US", 200.0, 40.0, product=P, flow=2, period="2024-02"),
    flow("FR", "DE", 300.0, 60.0, product=P, flow=2, period="2024-01"),
    # P2: CN 60, Kosovo 40 (no WGI -> median, flagged)
    flow("DE", "CN", 60.0, 10.0, product=P2, period="2024-01"),
    flow("AT", "AQ", 40.0, 10.0, product=P2, period="2024-01"),
    # P3: a tie, the top supplier is the first code
    flow("DE", "US", 50.0, 5.0, product=P3, period="2024-01"),
    flow("DE", "CN", 50.0, 5.0, product=P3, period="2024-01"),
]


def by(rows: list[dict], *keys: str) -> dict[tuple, dict]:
    return {tuple(r[k] for k in keys): r for r in rows}


@pytest.fixture(scope="module")
def scenario() -> ibis.Table:
    return ibis.memtable(table(SCENARIO))


def test_eu27_annual_indicators_from_monthly_rows(scenario, run) -> None:
    rows = by(run(compute_indicators(scenario)), "product")
    assert set(rows) == {(P,), (P2,), (P3,)}
    r = rows[(P,)]
    assert (r["reporter"], r["freq"], r["period"], r["year"]) == ("EU27", "A", "2024", 2024)
    assert (r["basis"], r["n_months"]) == ("M", 2)
    # totals: 500 + 300 + 200 + 100 (QZ) + 400 + 100 (QV); WORLD, EXT and EU27_2020 left out
    assert r["import_value"] == 1600.0
    assert r["import_net_mass_kg"] == 330.0  # 150 + 60 + 0 + 100 + 20 (QZ has no mass)
    # unit value over rows with value and positive mass: (500+300+400+100) / (150+60+100+20)
    assert r["import_unit_value"] == pytest.approx(1300.0 / 330.0)
    assert r["extra_import_value"] == 1100.0
    assert r["intra_import_value"] == 500.0
    assert r["unspecified_import_value"] == 100.0
    assert r["extra_import_unit_value"] == pytest.approx(800.0 / 210.0)
    assert r["extra_import_share"] == pytest.approx(1100.0 / 1600.0)  # 0.6875
    assert (r["export_value"], r["extra_export_value"], r["intra_export_value"]) == (
        1100.0,
        800.0,
        300.0,
    )
    assert r["export_unit_value"] == pytest.approx(1100.0 / 200.0)
    assert r["extra_import_export_ratio"] == pytest.approx(1100.0 / 800.0)  # 1.375
    # shares over known origins only: 500/1000, 300/1000, 200/1000
    assert r["n_suppliers"] == 3
    assert r["hhi"] == pytest.approx(0.38)
    assert r["hhi_points"] == pytest.approx(3800.0)
    # 0.5² · 5.49928 + 0.3² · 3.05086 + 0.2² · 5.24195 = 1.374821 + 0.274577 + 0.209678
    assert r["gov_hhi"] == pytest.approx(1.859076295)
    assert r["gov_hhi"] == pytest.approx(
        formulas.governance_weighted_hhi([0.5, 0.3, 0.2], [WGI_CN, WGI_US, WGI_IN])
    )
    assert (r["top_supplier"], r["top_supplier_share"]) == ("CN", pytest.approx(0.5))
    assert r["wgi_imputed_share"] == 0.0

    r2 = rows[(P2,)]
    assert r2["hhi"] == pytest.approx(0.6**2 + 0.4**2)  # 0.52
    assert r2["gov_hhi"] == pytest.approx(0.36 * WGI_CN + 0.16 * WGI_MEDIAN)  # 2.8159643
    assert r2["wgi_imputed_share"] == pytest.approx(0.4)
    assert r2["export_value"] is None  # no export rows: no data, not zero
    assert r2["extra_import_export_ratio"] is None

    r3 = rows[(P3,)]
    assert (r3["top_supplier"], r3["top_supplier_share"], r3["hhi"]) == (
        "CN",
        pytest.approx(0.5),
        pytest.approx(0.5),
    )


def test_supplier_shares_keep_confidential_origins_apart(scenario, run) -> None:
    rows = run(supplier_shares(scenario, product_or_codes=P, year=2024))
    assert [r["partner"] for r in rows] == ["CN", "US", "IN", "QZ"]
    shares = {r["partner"]: r for r in rows}
    assert [shares[p]["share"] for p in ("CN", "US", "IN")] == pytest.approx([0.5, 0.3, 0.2])
    assert [shares[p]["rank"] for p in ("CN", "US", "IN")] == [1, 2, 3]
    assert [shares[p]["wgi"] for p in ("CN", "US", "IN")] == pytest.approx([WGI_CN, WGI_US, WGI_IN])
    qz = shares["QZ"]
    assert (qz["category"], qz["known_origin"], qz["share"], qz["rank"], qz["wgi"]) == (
        "extra_unspecified",
        False,
        None,
        None,
        None,
    )
    assert qz["share_of_extra"] == pytest.approx(100.0 / 1100.0)
    assert shares["CN"]["share_of_extra"] == pytest.approx(500.0 / 1100.0)
    assert shares["CN"]["unit_value"] == pytest.approx(500.0 / 150.0)
    assert shares["IN"]["unit_value"] is None  # mass 0
    assert {r["basis"] for r in rows} == {"M"}


# Annual rows win over monthly rows of the same reporter, product and year; they are never
# added together. DE 2023: annual 1200 (its months 100 + 100 are ignored); DE 2024: only
# months (100 in Jan + 50 in Mar); FR 2023: only one month (30).
PERIODS = [
    flow("DE", "CN", 1200.0, 120.0, period="2023"),
    flow("DE", "CN", 100.0, 10.0, period="2023-01"),
    flow("DE", "CN", 100.0, 10.0, period="2023-02"),
    flow("DE", "CN", 100.0, 10.0, period="2024-01"),
    flow("DE", "US", 50.0, 5.0, period="2024-03"),
    flow("FR", "CN", 30.0, 3.0, period="2023-05"),
]


def test_annual_rows_are_used_when_present_and_never_added_to_months(run) -> None:
    flows = ibis.memtable(table(PERIODS))
    rows = by(run(compute_indicators(flows, reporter=["EU27", "DE", "FR"])), "reporter", "period")
    de_2023 = rows[("DE", "2023")]
    assert (de_2023["import_value"], de_2023["basis"], de_2023["n_months"]) == (1200.0, "A", None)
    de_2024 = rows[("DE", "2024")]
    assert (de_2024["import_value"], de_2024["basis"], de_2024["n_months"]) == (150.0, "M", 2)
    assert de_2024["hhi"] == pytest.approx((100 / 150) ** 2 + (50 / 150) ** 2)
    assert (rows[("FR", "2023")]["import_value"], rows[("FR", "2023")]["basis"]) == (30.0, "M")
    # EU27 = the Member States summed; each keeps its own basis
    eu_2023 = rows[("EU27", "2023")]
    assert (eu_2023["import_value"], eu_2023["basis"], eu_2023["n_months"]) == (1230.0, "A+M", 1)
    assert rows[("EU27", "2024")]["import_value"] == 150.0
    assert set(rows) == {
        ("EU27", "2023"),
        ("EU27", "2024"),
        ("DE", "2023"),
        ("DE", "2024"),
        ("FR", "2023"),
    }


def test_monthly_indicators_use_monthly_rows_only(run) -> None:
    flows = ibis.memtable(table(PERIODS))
    rows = run(compute_indicators(flows, reporter="DE", freq="M"))
    assert [(r["period"], r["import_value"], r["basis"]) for r in rows] == [
        ("2023-01", 100.0, "M"),
        ("2023-02", 100.0, "M"),
        ("2024-01", 100.0, "M"),
        ("2024-03", 50.0, "M"),
    ]
    assert [r["n_months"] for r in rows] == [1, 1, 1, 1]


def test_molecules_sum_their_product_codes(scenario, run) -> None:
    mapping = pa.table({"molecule_id": ["M1", "M1", "M2"], "product": [P, P2, P2]})
    rows = by(run(compute_indicators(scenario, level="molecule", mapping=mapping)), "molecule_id")
    m1, m2 = rows[("M1",)], rows[("M2",)]
    # M1 = P + P2: known origins CN 560, US 300, IN 200, AQ 40 (total 1100)
    assert m1["extra_import_value"] == 1200.0  # + QZ 100
    assert m1["hhi"] == pytest.approx((560**2 + 300**2 + 200**2 + 40**2) / 1100**2)
    assert m1["top_supplier"] == "CN"
    assert m2["extra_import_value"] == 100.0
    assert m2["hhi"] == pytest.approx(0.52)
    assert "product" not in m1
