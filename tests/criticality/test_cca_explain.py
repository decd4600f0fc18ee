"""What explains a ``cca`` verdict: SR parts with the trend, resilience factors, chains, gaps."""

from __future__ import annotations

import pytest

from tests.criticality.crit_helpers import WriteCsv
from tests.criticality.test_cca_method import TOY, assess, by_name


def test_supply_risk_parts_show_the_trend_and_substitution(write_csv: WriteCsv) -> None:
    # top: C = 0.6·4.0 + 0.4·3.0·0.5 = 3.0, T = 1 + 0.5·0.2 = 1.1, S = 0.9
    #      terms 2.4·0.99 = 2.376 and 0.6·0.99 = 0.594 (sum 2.97 = SR),
    #      trend +3.0·0.1 = 0.3, substitution −3.0·1.1·0.1 = −0.33.
    top = by_name(assess(write_csv, TOY))["top"]
    parts = {c.component.split(" (")[0]: c for c in top.criteria["sr"].contributions}
    assert parts["extra-EU supply"].value == pytest.approx(2.376)
    assert parts["extra-EU supply"].share == pytest.approx(0.8)
    assert parts["EU production"].value == pytest.approx(0.594)
    assert parts["import trend"].kind == "increase"
    assert parts["import trend"].value == pytest.approx(0.3)
    assert parts["substitution"].value == pytest.approx(-0.33)
    assert top.components["sr_concentration"] == pytest.approx(3.0)
    assert top.criteria["sr"].driver == "extra-EU supply"


def test_resilience_factors_add_up(write_csv: WriteCsv) -> None:
    # feed: 10·0.2·[min(5/5, 1), min(2/10, 1), 1 − 0.5, 1 − 0.5, 1 − 0.6]
    #     = 2.0 + 0.4 + 1.0 + 1.0 + 0.8 = 5.2
    m = by_name(assess(write_csv, TOY))
    feed = m["feed"].components
    expected = {"producers": 2.0, "sites": 0.4, "concentration": 1.0, "closures": 1.0}
    for factor, value in {**expected, "energy": 0.8}.items():
        assert feed[f"resilience_{factor}"] == pytest.approx(value)
    assert feed["resilience"] == pytest.approx(5.2)
    # 'other' has no EU production: no resilience, no factors.
    assert m["other"].components["resilience_sites"] is None


def test_critical_chain_names_the_critical_molecules_fed(write_csv: WriteCsv) -> None:
    # feed (critical, EI 3.2 inherited) feeds top (critical) through mid (not assessed).
    m = by_name(assess(write_csv, TOY))
    assert m["feed"].components["critical_chain"] == "feed, top"
    assert m["top"].components["critical_chain"] == "top"
    assert m["other"].components["critical_chain"] == ""


def test_an_unknown_downstream_ei_leaves_the_feedstock_undetermined(write_csv: WriteCsv) -> None:
    # top's value added is empty: its EI is unknown. feed's own EI 0.7 is only a lower bound,
    # below 2.8, so feed's EI is undetermined, and so is feed (its SR 1.3 meets 1.0); the
    # record names the gap (looking through the pass-through node mid).
    rows = TOY.replace("0,0.2,102100", "0,0.2,")
    m = by_name(assess(write_csv, rows))
    assert m["top"].criteria["ei"].value is None
    assert m["feed"].criteria["ei"].value is None
    assert m["feed"].critical is None
    assert m["feed"].missing == [
        "EI not assessed for 'feed': at least 0.70, below the threshold 2.8, and the "
        "propagation from top is unknown (their EI is not assessed)"
    ]


def test_a_lower_bound_that_meets_the_threshold_stands(write_csv: WriteCsv) -> None:
    # As above, but feed's own value added is 10·0.7·ΣAQ/204200 = 3.5 → ΣAQ = 102100: feed's
    # EI is at least 3.5 ≥ 2.8 whatever top's EI is, so feed is critical (SR 1.3).
    rows = TOY.replace("0,0.2,102100", "0,0.2,").replace("0.6,20420", "0.6,102100")
    feed = by_name(assess(write_csv, rows))["feed"]
    assert feed.criteria["ei"].value == pytest.approx(3.5)
    assert feed.critical is True
    assert feed.missing == [
        "EI of 'feed' is a lower bound (it meets the threshold anyway): the propagation from "
        "top is unknown (their EI is not assessed)"
    ]
