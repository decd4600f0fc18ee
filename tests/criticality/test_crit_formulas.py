"""The EU CRM equations, against hand computations and the published worked examples."""

from __future__ import annotations

import numpy as np
import pytest

from critchem.criticality import formulas as f
from critchem.nomenclature import governance_of


def test_hhi_wgi_t_two_country_toy() -> None:
    # shares 0.6 / 0.4, WGI 5.5 / 1.45: 0.36·5.5 + 0.16·1.45 = 1.98 + 0.232 = 2.212
    assert float(f.hhi_wgi_t([0.6, 0.4], [5.5, 1.45])) == pytest.approx(2.212)


def test_hhi_wgi_t_trade_factor_and_monopoly() -> None:
    # one supplier, WGI 4.0, trade factor 1.1: 1²·4.0·1.1 = 4.4
    assert float(f.hhi_wgi_t([1.0], [4.0], [1.1])) == pytest.approx(4.4)
    # worst case: a monopoly with the worst governance: 1·10·1 = 10
    assert float(f.hhi_wgi_t([1.0], [10.0])) == 10.0


def test_hhi_wgi_t_with_shipped_wgi() -> None:
    # China 60 %, Finland 40 %, WGI 2020 rescaled: CN 5.499284, FI 1.4511416
    # 0.36·5.499284 + 0.16·1.4511416 = 1.9797422 + 0.2321827 = 2.2119249
    wgi = [governance_of("CN").scaled, governance_of("FI").scaled]
    assert float(f.hhi_wgi_t([0.6, 0.4], wgi)) == pytest.approx(2.2119249, abs=1e-6)


def test_hhi_wgi_t_vectorised_over_rows() -> None:
    shares = np.array([[0.6, 0.4], [1.0, 0.0]])
    assert f.hhi_wgi_t(shares, [5.5, 1.45]).tolist() == pytest.approx([2.212, 5.5])


def test_import_reliance_floor_and_cap() -> None:
    # (80 − 20) / (40 + 80 − 20) = 60 / 100
    assert float(f.import_reliance(80, 20, 40)) == pytest.approx(0.6)
    # net exporter: (10 − 30) / (50 − 20) < 0 → floored at 0
    assert float(f.import_reliance(10, 30, 50)) == 0.0
    # no domestic production: 5 / 5 = 1
    assert float(f.import_reliance(5, 0, 0)) == 1.0
    # nothing traded, nothing produced: 0 (not NaN)
    assert float(f.import_reliance(0, 0, 0)) == 0.0
    assert f.import_reliance([80, 10], [20, 30], [40, 50]).tolist() == pytest.approx([0.6, 0.0])


def test_supply_basis_weights() -> None:
    # GS+EU at IR = 0.32: w = 0.16 → 3.6·0.16 + 1.3·0.84 = 0.576 + 1.092 = 1.668
    assert float(f.hhi_blend(3.6, 1.3, 0.32 / 2)) == pytest.approx(1.668)
    # GS alone (w = 1) and EU alone (w = 0)
    assert float(f.hhi_blend(3.6, 1.3, 1.0)) == 3.6
    assert float(f.hhi_blend(3.6, 1.3, 0.0)) == 1.3


def test_supply_risk_antimony_2017() -> None:
    # Antimony, processing, GS+EU, 2017 study: IR 100 %, EoL-RIR 28 %, SI_SR 0.9,
    # HHI_GS 7.1, HHI_EU 5.7 → [7.1·0.5 + 5.7·0.5]·(1 − 0.28)·0.9 = 6.4·0.72·0.9 = 4.147;
    # published SR 4.3 (computed from unrounded inputs)
    sr = float(f.supply_risk(f.hhi_blend(7.1, 5.7, 1.0 / 2), 0.28, 0.9))
    assert sr == pytest.approx(4.1472)
    assert sr == pytest.approx(4.3, abs=0.3)


def test_supply_risk_cobalt_2017() -> None:
    # Cobalt, extraction, GS+EU, 2017 study: IR 32 %, EoL-RIR 0, SI_SR 1.0, HHI_GS 3.6,
    # HHI_EU 1.3 → [3.6·0.16 + 1.3·0.84]·1·1 = 1.668; published SR 1.6
    sr = float(f.supply_risk(f.hhi_blend(3.6, 1.3, 0.32 / 2), 0.0, 1.0))
    assert sr == pytest.approx(1.668)
    assert sr == pytest.approx(1.6, abs=0.3)


def test_value_added_sum() -> None:
    # 0.3·1000 + 0.7·200 = 300 + 140 = 440
    assert float(f.value_added_sum([0.3, 0.7], [1000.0, 200.0])) == pytest.approx(440.0)
    # two materials × two sectors, and two draws of the value-added table
    shares = np.array([[0.3, 0.7], [1.0, 0.0]])
    draws = np.array([[1000.0, 200.0], [500.0, 100.0]])
    assert f.value_added_sum(shares, draws).tolist() == [[440.0, 1000.0], [220.0, 500.0]]


def test_economic_importance_aluminium_2023() -> None:
    # Aluminium, 2023 study: Σ A·Q = 142,266.8 M€, max Q = C28 204,200 M€, SI_EI 0.82
    # → 0.82 · 10 · 142,266.8 / 204,200 = 0.82 · 6.96704 = 5.713; published EI 5.8
    ei = float(f.economic_importance(142_266.8, 204_200.0, 0.82))
    assert ei == pytest.approx(5.7130, abs=1e-3)
    assert ei == pytest.approx(5.8, abs=0.1)


def test_threshold_is_inclusive() -> None:
    assert f.meets(1.0, 1.0) and f.meets(2.8, 2.8)
    assert not f.meets(0.99, 1.0) and not f.meets(2.79, 2.8)
    assert not f.meets(np.nan, 1.0)
    # floating-point noise does not flip a verdict: 0.7 + 0.2 + 0.1 = 0.9999999999999999
    assert 0.7 + 0.2 + 0.1 < 1.0 and f.meets(0.7 + 0.2 + 0.1, 1.0)
