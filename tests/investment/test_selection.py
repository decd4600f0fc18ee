from __future__ import annotations

import pytest

from critchem.core.errors import SelectionMethodError
from critchem.investment import load_method, parse_method, parse_project, select
from tests.investment.conftest import base_data


def test_gate_conditions() -> None:
    critical = ["ammonia"]
    not_critical = parse_project(
        base_data(id="A", molecules=[{"molecule": "urea", "capacity_t_per_year": 1}])
    )
    idea = parse_project(base_data(id="B", status="idea"))
    # lysine has no downstream products in the registry, single Member State → fails
    lonely = parse_project(
        base_data(id="C", molecules=[{"molecule": "lysine", "capacity_t_per_year": 1}])
    )
    ok = parse_project(base_data(id="D"))
    results = {
        r.project_id: r
        for r in select([not_critical, idea, lonely, ok], critical=[*critical, "lysine"])
    }
    fails = {k: [g.condition for g in r.gate if not g.ok] for k, r in results.items()}
    assert fails == {
        "A": ["critical_molecule"],
        "B": ["feasibility"],
        "C": ["cross_border_or_value_chain"],
        "D": [],
    }
    assert results["A"].total is None and not results["A"].selected


def test_scores_by_hand() -> None:
    # TRL 7 → innovation 3; 1 Mt → ghg 4; permitting (rank 2) → maturity 3;
    # 2 Member States → replicability 3; 60 M€ / 1 Mt = 60 €/t → cost efficiency 4.
    # total = 0.2×3 + 0.25×4 + 0.2×3 + 0.1×3 + 0.25×4 = 3.5
    p = parse_project(
        base_data(promoters=[{"name": "A", "country": "DE"}, {"name": "B", "country": "FR"}])
    )
    (r,) = select([p])
    assert r.points == {
        "innovation": 3,
        "ghg_avoidance": 4,
        "maturity": 3,
        "replicability": 3,
        "cost_efficiency": 4,
    }
    assert r.total == pytest.approx(3.5)
    assert r.selected and r.rank == 1 and r.method_version == load_method().version


def test_threshold_and_ranking() -> None:
    good = parse_project(base_data(id="G"))
    # 60 M€ for 20 kt → 3,000 €/t: cost efficiency 0 < min 1 → below threshold
    costly = parse_project(base_data(id="H", ghg_avoided_10y_tco2e=20_000))
    results = select([costly, good])
    assert [r.project_id for r in results] == ["G", "H"]
    assert results[1].below_threshold[0] == "cost_efficiency" and results[1].rank is None


def test_method_errors() -> None:
    text = (
        "version: x\ncritical_tag: t\ngate: {min_status: feasibility, min_member_states: 2}\n"
        "criteria:\n  a: {metric: nope, direction: higher, weight: 1, min_points: 0, bands: [[1, 1]]}\n"
        "min_total: 1\n"
    )
    with pytest.raises(SelectionMethodError, match=r"criteria\.a: .*unknown metric 'nope'"):
        parse_method(text)
    with pytest.raises(SelectionMethodError, match=r"weights sum to 0\.5"):
        parse_method(text.replace("nope", "trl").replace("weight: 1", "weight: 0.5"))
