"""Monte Carlo sensitivity: seeded, vectorised, and right at the extremes and the border."""

from __future__ import annotations

import numpy as np
import pytest

from critchem.criticality import InputFiles, get_methodology, monte_carlo
from critchem.criticality import sensitivity as sens
from critchem.criticality.engine import assess as assess_files


def run(files: InputFiles, draws: int, seed: int) -> sens.SensitivityResult:
    m = get_methodology("eu-crm")
    return monte_carlo(m, m.read_inputs(files), draws=draws, seed=seed)


def test_deterministic_with_a_seed(toy_files: InputFiles) -> None:
    a, b = run(toy_files, 400, 7), run(toy_files, 400, 7)
    assert np.array_equal(a.p_critical, b.p_critical)
    assert np.array_equal(a.rank_quantiles, b.rank_quantiles)
    c = run(toy_files, 400, 8)
    assert not np.array_equal(a.intervals["sr"], c.intervals["sr"])


def test_probabilities_at_the_extremes_and_the_border(toy_files: InputFiles) -> None:
    # materials: far-above (SR 6, EI 10), far-below (SR 0.05, EI 0.5), borderline (1.0, 2.8)
    result = run(toy_files, 2000, 0)
    p = dict(zip(["far-above", "far-below", "borderline"], result.p_critical.tolist(), strict=True))
    assert p["far-above"] == 1.0
    assert p["far-below"] == 0.0
    # on both thresholds: critical only when both draws land above (about a quarter of draws)
    assert 0.0 < p["borderline"] < 1.0
    assert 0.1 < p["borderline"] < 0.45
    assert result.p_undetermined.tolist() == [0.0, 0.0, 0.0]


def test_rank_intervals(toy_files: InputFiles) -> None:
    result = run(toy_files, 500, 3)
    low, mid, high = result.rank_quantiles
    assert low.tolist() == mid.tolist() == high.tolist() == [1, 3, 2]
    sr_low, sr_high = result.intervals["sr"]
    # far-above: SR = HHI 6.0·(1 ± 10 %) × SI_SR 1.0·(1 ± 10 %) clipped to ≤ 1, EoL-RIR 0 stays 0
    # → within [6.0·0.9·0.9, 6.0·1.1·1.0] = [4.86, 6.6]
    assert 4.86 <= sr_low[0] < 6.0 < sr_high[0] <= 6.6


def test_blocks_do_not_change_the_answer(
    toy_files: InputFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = run(toy_files, 300, 5)
    monkeypatch.setattr(sens, "BLOCK_ELEMENTS", 10)  # forces blocks of a few draws
    blocked = run(toy_files, 300, 5)
    assert blocked.p_critical.shape == whole.p_critical.shape
    # different blocks draw in another order, but every draw is still counted once
    assert blocked.rank_quantiles.shape == (3, 3)
    assert 0.0 < blocked.p_critical[2] < 1.0


def test_assessment_carries_the_sensitivity(toy_files: InputFiles) -> None:
    out = assess_files(get_methodology("eu-crm"), toy_files, draws=300, seed=1)
    assert out.sensitivity is not None and out.sensitivity.draws == 300
    assert out.sensitivity.inputs["hhi_wgi_t_gs"] == "uniform ±10%"
    assert out.sensitivity.inputs["end_use_share"] == "fixed"
    far = out.material("far-above")
    assert far.sensitivity is not None and far.sensitivity.p_critical == 1.0
    assert far.sensitivity.rank_p05 == far.sensitivity.rank_p95 == 1
    row = far.flat_row()
    assert row["p_critical"] == 1.0 and row["rank_p95"] == 1


def test_no_ei_means_undetermined_draws(toy_files: InputFiles) -> None:
    result = run(InputFiles(toy_files.inputs), 100, 0)  # no end uses: EI never assessed
    # far-below has SR 0.05 < 1 in every draw: settled "not critical" without EI
    assert result.p_undetermined.tolist() == [1.0, 0.0, pytest.approx(result.p_undetermined[2])]
    assert result.p_critical.tolist() == [0.0, 0.0, 0.0]
    assert (result.rank_quantiles == 0).all()


def test_draws_must_be_positive(toy_files: InputFiles) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        run(toy_files, 0, 0)
