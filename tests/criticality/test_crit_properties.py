"""Invariants of the EU CRM equations (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from critchem.criticality import formulas as f
from critchem.criticality import get_methodology

frac = st.floats(0.0, 1.0)
hhi = st.floats(0.0, 10.0)


def sr(gs: float, eu: float, ir: float, eol: float, si: float) -> float:
    return float(f.supply_risk(f.hhi_blend(gs, eu, ir / 2), eol, si))


@settings(max_examples=200, deadline=None)
@given(gs=hhi, eu=hhi, ir=frac, eol=frac, si=frac, bump=st.floats(0.0, 5.0))
def test_sr_monotone_in_each_hhi(
    gs: float, eu: float, ir: float, eol: float, si: float, bump: float
) -> None:
    base = sr(gs, eu, ir, eol, si)
    assert sr(gs + bump, eu, ir, eol, si) >= base - 1e-12
    assert sr(gs, eu + bump, ir, eol, si) >= base - 1e-12


@settings(max_examples=200, deadline=None)
@given(a=hhi, b=hhi, ir1=frac, ir2=frac, eol=frac, si=frac)
def test_sr_monotone_in_import_reliance(
    a: float, b: float, ir1: float, ir2: float, eol: float, si: float
) -> None:
    # dSR/dIR = (HHI_GS − HHI_EU)/2 · (1 − EoL_RIR) · SI_SR: SR rises with IR when global supply
    # is the more concentrated, and always lies between the EU-only and GS-only values
    gs, eu = max(a, b), min(a, b)
    low, high = sorted((ir1, ir2))
    assert sr(gs, eu, high, eol, si) >= sr(gs, eu, low, eol, si) - 1e-12
    assert sr(eu, gs, high, eol, si) <= sr(eu, gs, low, eol, si) + 1e-12
    value = sr(a, b, ir1, eol, si)
    ends = sorted((float(f.supply_risk(a, eol, si)), float(f.supply_risk(b, eol, si))))
    assert ends[0] - 1e-12 <= value <= ends[1] + 1e-12


@settings(max_examples=200, deadline=None)
@given(aq=st.floats(0.0, 1e6), q=st.floats(1.0, 1e6), si=frac, k=st.floats(0.0, 1.0))
def test_ei_linear_in_si_ei(aq: float, q: float, si: float, k: float) -> None:
    ei = float(f.economic_importance(aq, q, si))
    assert float(f.economic_importance(aq, q, k * si)) == pytest.approx(
        k * ei, rel=1e-12, abs=1e-12
    )
    assert ei == pytest.approx(si * float(f.economic_importance(aq, q, 1.0)), rel=1e-12, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(hhi, hhi, frac, frac, frac, st.sampled_from([1, 2, 3])), min_size=1, max_size=8
    )
)
def test_engine_evaluate_matches_the_formulas(rows: list[tuple[float, ...]]) -> None:
    # the engine's vectorised evaluate agrees with the scalar formulas, row by row
    m = get_methodology("eu-crm")
    n = len(rows)
    cols = np.array(rows).T
    arrays = {
        "hhi_wgi_t_gs": np.vstack([cols[0], np.full(n, np.nan)]),
        "hhi_wgi_t_eu": np.vstack([cols[1], np.full(n, np.nan)]),
        "import_reliance": np.vstack([cols[2], np.full(n, np.nan)]),
        "eol_rir": np.vstack([cols[3], np.full(n, np.nan)]),
        "si_sr": np.vstack([cols[4], np.full(n, np.nan)]),
        "supply_basis": np.vstack([cols[5], np.zeros(n)]).astype(np.int8),
        "si_ei": np.full(n, np.nan),
        "end_use_share": np.zeros((n, 0)),
        "value_added": np.zeros(0),
    }
    got = m.evaluate(arrays)["sr"]
    for i, (gs, eu, ir, eol, si, basis) in enumerate(rows):
        w = {1: 1.0, 2: 0.0, 3: ir / 2}[int(basis)]
        want = float(f.supply_risk(f.hhi_blend(gs, eu, w), eol, si))
        assert got[i] == pytest.approx(want, rel=1e-12, abs=1e-12)
