"""Monte Carlo sensitivity of an assessment to its inputs, thresholds and weights.

Each draw multiplies every uncertain indicator by ``1 + ε`` (ε uniform on ±relative or normal
with that standard deviation, per the methodology file) and clips it to the indicator's range,
moves each threshold the same way, and draws the ranking weights from a Dirichlet distribution
centred on the declared weights. The methodology's own ``evaluate`` computes the criteria for
all draws at once (draws × materials arrays, in blocks that bound the memory: no Python loop per
draw). Results: each material's probability of being critical, its rank interval and the
interval of each criterion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from critchem.criticality.base import Methodology, Prepared
from critchem.criticality.formulas import FloatArray
from critchem.criticality.schemas import SensitivitySettings
from critchem.criticality.spec import MethodologySpec, Uncertainty
from critchem.criticality.verdict import ranks, verdict, weighted_ratio

BLOCK_ELEMENTS = 4_000_000
"""Largest number of elements of one drawn array in one block of draws."""

QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True, slots=True)
class SensitivityResult:
    """Per-material Monte Carlo results (materials on the last axis)."""

    p_critical: FloatArray
    p_undetermined: FloatArray
    rank_quantiles: npt.NDArray[np.int32]
    """Ranks at :data:`QUANTILES` (rows), 0 where the material has no score."""
    intervals: dict[str, FloatArray]
    """Per criterion, its 5 % and 95 % quantiles (2 × materials; NaN if not assessed)."""
    settings: SensitivitySettings


def _factors(rng: np.random.Generator, u: Uncertainty, shape: tuple[int, ...]) -> FloatArray:
    if u.distribution == "uniform":
        return rng.uniform(1.0 - u.relative, 1.0 + u.relative, size=shape)
    return rng.normal(1.0, u.relative, size=shape)


def draw_inputs(
    spec: MethodologySpec, arrays: Mapping[str, npt.NDArray[Any]], rng: np.random.Generator, n: int
) -> dict[str, npt.NDArray[Any]]:
    """``n`` draws of every uncertain indicator (leading axis), the other arrays as they are."""
    out: dict[str, npt.NDArray[Any]] = dict(arrays)
    for name, ind in spec.indicators.items():
        if ind.uncertainty is None or name not in arrays or ind.uncertainty.relative == 0:
            continue
        base = arrays[name]
        drawn = _factors(rng, ind.uncertainty, (n, *base.shape))
        drawn *= base
        low, high = ind.range
        if low is not None or high is not None:
            np.clip(drawn, low, high, out=drawn)
        out[name] = drawn
    return out


def draw_parameters(
    spec: MethodologySpec, rng: np.random.Generator, n: int
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """``n`` draws of the thresholds and of the weights, each shaped ``(n, 1)``."""
    thresholds: dict[str, FloatArray] = {}
    for cid, crit in spec.criteria.items():
        u = crit.threshold_uncertainty
        factor = _factors(rng, u, (n, 1)) if u and u.relative else np.ones((n, 1))
        thresholds[cid] = crit.threshold * factor
    names = list(spec.aggregation.weights)
    w = np.array([spec.aggregation.weights[c] for c in names])
    drawn = np.zeros((n, len(names)))
    positive = w > 0
    drawn[:, positive] = rng.dirichlet(spec.aggregation.weight_concentration * w[positive], n)
    weights = {c: drawn[:, i : i + 1] for i, c in enumerate(names)}
    return thresholds, weights


def _describe(u: Uncertainty | None) -> str:
    if u is None or u.relative == 0:
        return "fixed"
    if u.distribution == "uniform":
        return f"uniform ±{u.relative:.0%}"
    return f"normal, relative sd {u.relative:.0%}"


def settings(spec: MethodologySpec, draws: int, seed: int) -> SensitivitySettings:
    """The description of a run, for the output."""
    return SensitivitySettings(
        draws=draws,
        seed=seed,
        inputs={name: _describe(ind.uncertainty) for name, ind in spec.indicators.items()},
        thresholds={c: _describe(k.threshold_uncertainty) for c, k in spec.criteria.items()},
        weight_concentration=spec.aggregation.weight_concentration,
        quantiles=(QUANTILES[0], QUANTILES[-1]),
    )


def block_size(spec: MethodologySpec, arrays: Mapping[str, npt.NDArray[Any]], draws: int) -> int:
    """Draws per block: as many as keep each drawn array under :data:`BLOCK_ELEMENTS`."""
    drawn = [
        a.size
        for name, a in arrays.items()
        if name in spec.indicators and spec.indicators[name].uncertainty is not None
    ]
    return max(1, min(draws, BLOCK_ELEMENTS // max(1, *drawn)))


def monte_carlo(
    method: Methodology[Any], prepared: Prepared, *, draws: int, seed: int = 0
) -> SensitivityResult:
    """Run ``draws`` Monte Carlo draws (seeded: the same seed gives the same result)."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    spec = method.spec
    criteria = list(spec.criteria)
    block = block_size(spec, prepared.arrays, draws)
    rng = np.random.default_rng(seed)
    n_mat = len(prepared.materials)
    values = {c: np.empty((draws, n_mat)) for c in criteria}
    rank_draws = np.empty((draws, n_mat), dtype=np.int32)
    yes = np.zeros(n_mat)
    unknown = np.zeros(n_mat)
    for start in range(0, draws, block):
        n = min(block, draws - start)
        results = method.evaluate(draw_inputs(spec, prepared.arrays, rng, n))
        thresholds, weights = draw_parameters(spec, rng, n)
        block_values = {c: results[c] for c in criteria}
        critical, not_critical = verdict(spec.aggregation.verdict, block_values, thresholds)
        yes += critical.sum(axis=0)
        unknown += (~critical & ~not_critical).sum(axis=0)
        rank_draws[start : start + n] = ranks(weighted_ratio(block_values, weights, thresholds))
        for c in criteria:
            values[c][start : start + n] = block_values[c]
    scored = np.ones(n_mat, dtype=bool)
    for c in criteria:
        scored &= ~np.isnan(values[c]).any(axis=0)
    rank_q = np.quantile(rank_draws, QUANTILES, axis=0, method="inverted_cdf").astype(np.int32)
    rank_q[:, ~scored] = 0
    intervals = {c: np.quantile(values[c], (QUANTILES[0], QUANTILES[-1]), axis=0) for c in criteria}
    return SensitivityResult(
        p_critical=yes / draws,
        p_undetermined=unknown / draws,
        rank_quantiles=rank_q,
        intervals=intervals,
        settings=settings(spec, draws, seed),
    )
