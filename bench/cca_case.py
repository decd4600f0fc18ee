"""The ``cca`` case of the criticality benchmark: synthetic inputs and the bare NumPy limit.

10,000 synthetic molecules in six layers of a value chain (each molecule of layer L > 0 is
made from one to three molecules of layer L − 1; up to six strategic sectors each), 1 % of
the value-added cells left empty so that the undetermined paths run too. The bare functions
restate the ``cca`` equations inline (``docs/methodology/cca.md``): supply risk, own economic
importance, its propagation level by level with the lower-bound rule, the verdict,
resilience and critical production, then the Monte Carlo steps of the engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from critchem.criticality.methodologies.cca import Cca
from critchem.criticality.methodologies.cca_graph import ValueChain
from critchem.criticality.methodologies.cca_inputs import COLUMNS, STRATEGIC_SECTORS

LAYERS = 6

Arrays = dict[str, np.ndarray[Any, Any]]


def write_cca_inputs(folder: Path, n: int, seed: int = 0) -> tuple[Path, ValueChain]:
    """A well-formed ``cca`` input file of ``n`` molecules and their value chain."""
    rng = np.random.default_rng(seed)
    names = [f"m{i:05d}" for i in range(n)]
    layer = np.sort(rng.integers(0, LAYERS, n))
    by_layer = [np.flatnonzero(layer == k) for k in range(LAYERS)]
    feedstocks: dict[str, tuple[str, ...]] = {}
    sectors: dict[str, tuple[str, ...]] = {}
    for i, name in enumerate(names):
        below = by_layer[layer[i] - 1] if layer[i] > 0 else np.array([], dtype=int)
        k = min(len(below), int(rng.integers(1, 4)))
        feedstocks[name] = tuple(names[j] for j in rng.choice(below, k, replace=False))
        picked = rng.choice(len(STRATEGIC_SECTORS), int(rng.integers(0, 4)), replace=False)
        sectors[name] = tuple(STRATEGIC_SECTORS[j] for j in sorted(picked))
    lines = [",".join(["molecule", *(c.name for c in COLUMNS)])]
    for name in names:
        producers = int(rng.integers(0, 12))
        sites = 0 if producers == 0 else producers + int(rng.integers(0, 10))
        va = "" if rng.random() < 0.01 else f"{rng.uniform(0, 204_200):.0f}"
        cells = [
            f"{rng.uniform(0, 6):.3f}",
            f"{rng.uniform(0.05, 0.6):.3f}",
            f"{rng.uniform(0, 1):.3f}",
            f"{rng.uniform(0.5, 1):.3f}",
            f"{rng.uniform(-0.3, 0.8):.3f}",
            str(producers),
            str(sites),
            f"{rng.uniform(0.05, 1):.3f}",
            f"{rng.uniform(0, 0.5):.3f}",
            f"{rng.uniform(0.1, 0.7):.3f}",
            va,
        ]
        lines.append(",".join([name, *cells]))
    path = folder / "cca_inputs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, ValueChain(feedstocks, sectors, "synthetic value chain")


def _propagate(
    own: np.ndarray[Any, Any], prods: np.ndarray[Any, Any], level: np.ndarray[Any, Any], d: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """EI = max(EI_own, δ·max EI of products), and whether an unknown EI lies downstream."""
    ei = own.copy()
    unknown = np.isnan(own)
    below = unknown.copy()
    for lv in range(1, int(level.max()) + 1):
        idx = np.flatnonzero(level == lv)
        p = prods[idx]
        valid = p >= 0
        p = np.where(valid, p, 0)
        best = d * np.fmax.reduce(np.where(valid, ei[..., p], np.nan), axis=-1)
        ei[..., idx] = np.where(unknown[..., idx], np.nan, np.fmax(ei[..., idx], best))
        below[..., idx] |= np.logical_or.reduce(valid & below[..., p], axis=-1)
    return ei, below & ~unknown


def bare_cca_evaluate(a: Arrays, m: Cca) -> dict[str, np.ndarray[Any, Any]]:
    """SR, EI, resilience and critical production written inline (no engine)."""
    sp, ep = m.sr_params, m.ei_params
    t_sr, t_ei = m.spec.threshold("sr"), m.spec.threshold("ei")
    ir = a["import_reliance"]
    growth = np.minimum(np.maximum(a["import_growth_3y"], 0.0), sp["trend_cap"])
    sr = (
        (ir * a["gov_hhi_extra_eu"] + (1 - ir) * sp["eu_governance"] * a["hhi_eu_production"])
        * a["substitutability"]
        * (1 + sp["trend_weight"] * growth)
    )
    own = 10 * (
        ep["value_added_weight"]
        * np.minimum(a["downstream_va_meur"] / ep["value_added_reference_meur"], 1)
        + ep["strategic_weight"] * a["strategic_sectors"] / 6
    )
    prods, level = a["graph_products"], a["graph_level"]
    own = np.broadcast_to(own, np.broadcast_shapes(sr.shape, own.shape))
    lower, incomplete = _propagate(own, prods, level, ep["propagation_delta"])
    ei = np.where(incomplete & ~(lower >= t_ei), np.nan, lower)
    crit = (sr >= t_sr) & (ei >= t_ei)
    not_crit = (sr < t_sr) | (ei < t_ei)
    sites = a["eu_sites"]
    w = [sp[f"resilience_w_{k}"] for k in ("producers", "sites", "concentration")]
    w += [sp["resilience_w_closures"], sp["resilience_w_energy"]]
    res = 10 * (
        w[0] * np.minimum(a["eu_producers"] / sp["resilience_producers_ref"], 1)
        + w[1] * np.minimum(sites / sp["resilience_sites_ref"], 1)
        + w[2] * (1 - a["hhi_capacity_company"])
        + w[3] * (1 - a["closure_share"])
        + w[4] * (1 - a["energy_cost_share"])
    )
    res = np.where(sites == 0, np.nan, res)
    yes, no = np.broadcast_to(crit, ei.shape).copy(), np.broadcast_to(not_crit, ei.shape).copy()
    for lv in range(1, int(level.max()) + 1):
        idx = np.flatnonzero(level == lv)
        p = prods[idx]
        valid = p >= 0
        p = np.where(valid, p, 0)
        yes[..., idx] |= np.logical_or.reduce(valid & yes[..., p], axis=-1)
        no[..., idx] &= np.logical_and.reduce(~valid | no[..., p], axis=-1)
    t_r = m.resilience_threshold
    fragile = ~np.isnan(res) & (res < t_r)
    production = np.where(
        (sites >= 1) & fragile & yes, 1.0, np.where((sites == 0) | (res >= t_r) | no, 0.0, np.nan)
    )
    return {"sr": sr, "ei": ei, "resilience": res, "critical_production": production}


UNCERTAIN = {
    "gov_hhi_extra_eu": (0.10, 0, 10),
    "hhi_eu_production": (0.10, 0, 1),
    "import_reliance": (0.10, 0, 1),
    "substitutability": (0.10, 0, 1),
    "import_growth_3y": (0.20, -1, None),
    "hhi_capacity_company": (0.10, 0, 1),
    "closure_share": (0.20, 0, 1),
    "energy_cost_share": (0.15, 0, 1),
    "downstream_va_meur": (0.15, 0, None),
}
"""Relative uncertainty (uniform) and range of the drawn indicators, as in ``cca.yaml``."""


def bare_cca_monte_carlo(
    arrays: Arrays, m: Cca, draws: int, seed: int, block: int
) -> np.ndarray[Any, Any]:
    """The engine's Monte Carlo steps written inline: draws, criteria, verdicts, ranks."""
    rng = np.random.default_rng(seed)
    n = arrays["import_reliance"].shape[-1]
    ranks = np.empty((draws, n), dtype=np.int32)
    sr_all, ei_all = np.empty((draws, n)), np.empty((draws, n))
    yes, unknown = np.zeros(n), np.zeros(n)
    positions = np.arange(1, n + 1, dtype=np.int32)
    for start in range(0, draws, block):
        k = min(block, draws - start)
        drawn = dict(arrays)
        for name, (rel, lo, hi) in UNCERTAIN.items():
            x = rng.uniform(1 - rel, 1 + rel, size=(k, n))
            x *= arrays[name]
            drawn[name] = np.clip(x, lo, hi, out=x)
        out = bare_cca_evaluate(drawn, m)
        sr, ei = out["sr"], out["ei"]
        t_sr = 1.0 * rng.uniform(0.95, 1.05, (k, 1))
        t_ei = 2.8 * rng.uniform(0.95, 1.05, (k, 1))
        w = rng.dirichlet([50.0, 50.0], k)
        critical = (sr >= t_sr) & (ei >= t_ei)
        yes += critical.sum(axis=0)
        unknown += (~critical & ~((sr < t_sr) | (ei < t_ei))).sum(axis=0)
        score = w[:, :1] * sr / t_sr + w[:, 1:] * ei / t_ei
        order = np.argsort(-score, axis=-1, kind="stable")
        np.put_along_axis(
            ranks[start : start + k], order, np.broadcast_to(positions, order.shape), -1
        )
        sr_all[start : start + k], ei_all[start : start + k] = sr, ei
    np.quantile(ranks, (0.05, 0.5, 0.95), axis=0, method="inverted_cdf")
    np.quantile(sr_all, (0.05, 0.95), axis=0)
    np.quantile(ei_all, (0.05, 0.95), axis=0)
    return yes / draws
