"""What explains each ``cca`` verdict: contributions, the propagation path, resilience factors.

Supply risk ``SR = C · T · S`` with ``C = IR·HHI_x + (1 − IR)·g_EU·HHI_MS`` and the trend
factor ``T = 1 + w_T·min(max(G, 0), G_cap)`` splits into the two concentration terms (extra-EU
supply and EU production, each multiplied by ``T·S``: they add up to SR), the increase by the
trend ``C·(T − 1)`` and the reduction by substitution ``−C·T·(1 − S)``, applied in that order.

Economic importance splits into the value-added term, the strategic-sector term and, when it
was inherited, the propagation term ``EI − EI_own``, with the direct product it came from and
the molecule whose own importance it is.

Resilience ``R = 10·Σ_k w_k·f_k`` splits into its five factor terms ``10·w_k·f_k``. The
critical-production verdict names the critical molecules whose chain the production feeds
(the molecule itself or molecules downstream of it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from critchem.criticality.base import MaterialDetail
from critchem.criticality.formulas import EI_SCALE
from critchem.criticality.methodologies.cca_inputs import CcaInputs, cell_refs
from critchem.criticality.schemas import Contribution, Scalar
from critchem.criticality.verdict import verdict

FloatArray = npt.NDArray[np.float64]

RESILIENCE_FACTORS = ("producers", "sites", "concentration", "closures", "energy")
"""The resilience factors, in the order of the weights ``resilience_w_<factor>``."""


@dataclass(frozen=True, slots=True)
class CcaParameters:
    """The declared parameters an explanation needs."""

    sr: Mapping[str, float]
    ei: Mapping[str, float]
    thresholds: Mapping[str, float]
    resilience_threshold: float


def trend_factor(growth: float, weight: float, cap: float) -> float:
    """``T = 1 + w_T · min(max(G, 0), G_cap)``.

    >>> trend_factor(0.2, 0.5, 1.0), trend_factor(-0.3, 0.5, 1.0), trend_factor(3.0, 0.5, 1.0)
    (1.1, 1.0, 1.5)
    """
    return 1.0 + weight * min(max(growth, 0.0), cap)


def supply_risk_parts(x: float, e: float, s: float, trend: float) -> tuple[list[Contribution], str]:
    """The SR contributions from the two concentration terms ``x``, ``e``, ``S`` and ``T``.

    Examples
    --------
    IR 0.6, HHI_x 4.0, HHI_MS 0.5, g_EU 3.0 (``x = 2.4``, ``e = 0.6``), S 0.9, T 1.1: SR 2.97.

    >>> parts, driver = supply_risk_parts(2.4, 0.6, 0.9, 1.1)
    >>> [(p.kind, round(p.value, 4)) for p in parts]
    [('term', 2.376), ('term', 0.594), ('increase', 0.3), ('reduction', -0.33)]
    >>> round(sum(p.value for p in parts if p.kind == "term"), 4), driver
    (2.97, 'extra-EU supply')
    """
    c = x + e
    parts = [
        Contribution(
            component="extra-EU supply (IR · HHI_x)",
            kind="term",
            value=x * s * trend,
            share=x / c if c else None,
        ),
        Contribution(
            component="EU production ((1 − IR) · g_EU · HHI_MS)",
            kind="term",
            value=e * s * trend,
            share=e / c if c else None,
        ),
        Contribution(component="import trend (T)", kind="increase", value=c * (trend - 1.0)),
        Contribution(component="substitution (S)", kind="reduction", value=-c * trend * (1 - s)),
    ]
    return parts, "extra-EU supply" if x >= e else "EU production"


def _best_product(p: CcaInputs, ei_nodes: FloatArray, node: int) -> int:
    prods = [int(j) for j in p.graph.products[node] if j >= 0]
    return max(prods, key=lambda j: -math.inf if np.isnan(ei_nodes[j]) else ei_nodes[j])


def _source(p: CcaInputs, ei_nodes: FloatArray, ei_own: FloatArray, i: int) -> tuple[str, str]:
    """The direct product EI was inherited from and the molecule whose own EI it is."""
    direct = node = _best_product(p, ei_nodes, i)
    while node >= p.graph.n_assessed or ei_nodes[node] > ei_own[node] + 1e-12:
        node = _best_product(p, ei_nodes, node)
    return p.graph.nodes[direct], p.graph.nodes[node]


def unknown_downstream(p: CcaInputs, ei_nodes: FloatArray, i: int) -> list[str]:
    """The molecules downstream of ``i`` whose EI is unknown, so left out of ``i``'s EI.

    The walk goes through every node whose EI is known and through pass-through nodes, and
    stops at the first assessed molecule with an unknown EI on each path.
    """
    out: list[str] = []
    seen: set[int] = set()
    stack = [int(j) for j in p.graph.products[i] if j >= 0]
    while stack:
        j = stack.pop()
        if j in seen:
            continue
        seen.add(j)
        if np.isnan(ei_nodes[j]) and j < p.graph.n_assessed:
            out.append(p.graph.nodes[j])
            continue
        stack.extend(int(k) for k in p.graph.products[j] if k >= 0)
    return sorted(out)


def critical_chains(p: CcaInputs, critical: Sequence[bool]) -> list[tuple[str, ...]]:
    """For each assessed molecule, the critical molecules it is or feeds (directly or not)."""
    graph = p.graph
    reach: list[set[str]] = [set() for _ in graph.nodes]
    for node in np.argsort(graph.level, kind="stable"):
        n = int(node)
        found = {graph.nodes[n]} if n < graph.n_assessed and critical[n] else set()
        for j in graph.products[n]:
            if j >= 0:
                found |= reach[int(j)]
        reach[n] = found
    return [tuple(sorted(reach[i])) for i in range(graph.n_assessed)]


def _resilience_parts(c: Mapping[str, float | None], sp: Mapping[str, float]) -> dict[str, Scalar]:
    values = [c[k] for k in ("eu_producers", "eu_sites", "hhi_capacity_company")]
    values += [c["closure_share"], c["energy_cost_share"]]
    if c["eu_sites"] == 0 or any(v is None for v in values):
        return {f"resilience_{k}": None for k in RESILIENCE_FACTORS}
    n, s, h, cl, en = (float(v) for v in values if v is not None)
    factors = (
        min(n / sp["resilience_producers_ref"], 1.0),
        min(s / sp["resilience_sites_ref"], 1.0),
        1.0 - h,
        1.0 - cl,
        1.0 - en,
    )
    return {
        f"resilience_{k}": EI_SCALE * sp[f"resilience_w_{k}"] * f
        for k, f in zip(RESILIENCE_FACTORS, factors, strict=True)
    }


def explain(
    p: CcaInputs, results: Mapping[str, FloatArray], params: CcaParameters
) -> list[MaterialDetail]:
    """The contributions, components and input provenance of every assessed molecule."""
    critical, _ = verdict("all", {"sr": results["sr"], "ei": results["ei"]}, params.thresholds)
    chains = critical_chains(p, [bool(x) for x in critical])
    return [_one(p, results, params, i, chains[i]) for i in range(len(p.materials))]


def _one(
    p: CcaInputs,
    results: Mapping[str, FloatArray],
    params: CcaParameters,
    i: int,
    chain: tuple[str, ...],
) -> MaterialDetail:
    sp, ep = params.sr, params.ei
    c = p.cells[i]
    sr, ei, ei_own = (float(results[k][i]) for k in ("sr", "ei", "ei_own"))
    contributions: dict[str, list[Contribution]] = {}
    drivers: dict[str, str | None] = {}
    missing = list(p.missing.get(i, []))
    hhi_ms = float(p.arrays["hhi_eu_production"][i])
    concentration: float | None = None
    ir = c["import_reliance"]
    if not math.isnan(sr) and ir is not None:
        x = ir * (c["gov_hhi_extra_eu"] or 0.0)
        e = (1.0 - ir) * sp["eu_governance"] * hhi_ms
        concentration = x + e
        trend = trend_factor(c["import_growth_3y"] or 0.0, sp["trend_weight"], sp["trend_cap"])
        contributions["sr"], drivers["sr"] = supply_risk_parts(
            x, e, c["substitutability"] or 0.0, trend
        )
    ei_nodes = results["ei_nodes"]
    direct: str | None = None
    origin: str | None = None
    if not math.isnan(ei):
        va = c["downstream_va_meur"] or 0.0
        va_term = (
            EI_SCALE * ep["value_added_weight"] * min(va / ep["value_added_reference_meur"], 1)
        )
        parts = [
            Contribution(component="downstream value added", kind="term", value=va_term),
            Contribution(component="strategic sectors", kind="term", value=ei_own - va_term),
        ]
        if ei > ei_own + 1e-12:
            direct, origin = _source(p, ei_nodes, results["ei_own"], i)
            inherited = Contribution(
                component=f"value-chain propagation (δ · EI of {direct})",
                kind="term",
                value=ei - ei_own,
            )
            parts = [inherited, *parts]
        contributions["ei"] = [
            pt.model_copy(update={"share": pt.value / ei if ei else None}) for pt in parts
        ]
        drivers["ei"] = f"propagated from {direct}" if direct else "own downstream use"
    if results["ei_incomplete"][i]:
        left_out = ", ".join(unknown_downstream(p, ei_nodes, i))
        lower, t_ei = float(ei_nodes[i]), params.thresholds["ei"]
        if math.isnan(ei):
            missing.append(
                f"EI not assessed for {p.materials[i]!r}: at least {lower:.2f}, below the "
                f"threshold {t_ei:g}, and the propagation from {left_out} is unknown "
                "(their EI is not assessed)"
            )
        else:
            missing.append(
                f"EI of {p.materials[i]!r} is a lower bound (it meets the threshold anyway): "
                f"the propagation from {left_out} is unknown (their EI is not assessed)"
            )
    res = float(results["resilience"][i])
    production = float(results["critical_production"][i])
    feeds = float(results["chain_critical"][i])
    components: dict[str, Scalar] = {
        "sr_concentration": concentration,
        "ei_own": None if math.isnan(ei_own) else ei_own,
        "ei_inherited_from": direct,
        "ei_origin": origin,
        "strategic_sectors": ", ".join(p.strategic[i]),
        "resilience": None if math.isnan(res) else res,
        "resilience_threshold": params.resilience_threshold,
        **_resilience_parts(c, sp),
        "eu_production": None if c["eu_sites"] is None else c["eu_sites"] >= 1,
        "feeds_critical_chain": None if math.isnan(feeds) else bool(feeds),
        "critical_chain": ", ".join(chain),
        "critical_production": None if math.isnan(production) else bool(production),
        "products_not_assessed": ", ".join(p.unassessed_products[i]),
    }
    return MaterialDetail(
        contributions=contributions,
        drivers=drivers,
        components=components,
        inputs=cell_refs(p, i),
        missing=missing,
    )
