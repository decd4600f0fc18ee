"""``cca``: the Critical Chemicals Alliance methodology for chemicals.

Supply risk ``SR = [IR·HHI_x + (1 − IR)·g_EU·HHI_MS] · S · (1 + w_T·min(max(G, 0), G_cap))``;
own economic importance ``EI_own = 10·[w_VA·min(ΣA·Q / Q_ref, 1) + w_N·N/6]``, propagated up
the feedstock graph ``EI = max(EI_own, δ · max EI of the direct products)``; EU production
resilience ``R = 10·Σ_k w_k·f_k``. A molecule is critical when ``SR ≥ t_SR`` and ``EI ≥ t_EI``;
its EU production is critical when it has EU sites, ``R < t_R`` and it or a molecule
downstream of it is critical. Parameters are read from ``data/cca.yaml``; see
``docs/methodology/cca.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from critchem.core.errors import MethodologyError
from critchem.criticality.base import Arrays, InputFiles, MaterialDetail, Methodology
from critchem.criticality.formulas import EI_SCALE, meets
from critchem.criticality.methodologies.cca_explain import (
    RESILIENCE_FACTORS,
    CcaParameters,
    explain,
)
from critchem.criticality.methodologies.cca_graph import (
    ValueChain,
    propagate_importance,
    reaches,
)
from critchem.criticality.methodologies.cca_inputs import STRATEGIC_SECTORS, CcaInputs, read_cca
from critchem.criticality.verdict import verdict
from critchem.molecules import load_registry

FloatArray = npt.NDArray[np.float64]

_SR_PARAMS = ("eu_governance", "trend_weight", "trend_cap")
_RES_WEIGHTS = RESILIENCE_FACTORS
_RES_PARAMS = (
    "resilience_threshold",
    "resilience_producers_ref",
    "resilience_sites_ref",
    *(f"resilience_w_{k}" for k in _RES_WEIGHTS),
)
_EI_PARAMS = (
    "value_added_reference_meur",
    "value_added_weight",
    "strategic_weight",
    "propagation_delta",
)


def supply_risk(
    gov_hhi_x: npt.ArrayLike,
    hhi_ms: npt.ArrayLike,
    ir: npt.ArrayLike,
    s: npt.ArrayLike,
    growth: npt.ArrayLike,
    *,
    g_eu: float,
    trend_weight: float,
    trend_cap: float,
) -> FloatArray:
    """``SR = [IR·HHI_x + (1 − IR)·g_EU·HHI_MS] · S · (1 + w_T·min(max(G, 0), G_cap))``.

    Examples
    --------
    IR 0.6, HHI_x 4.0, HHI_MS 0.5, g_EU 3.0, S 0.9, G +20 %, w_T 0.5:
    ``[0.6·4.0 + 0.4·1.5] · 0.9 · 1.1 = 3.0 · 0.99 = 2.97``.

    >>> round(float(supply_risk(4.0, 0.5, 0.6, 0.9, 0.2, g_eu=3.0, trend_weight=0.5,
    ...                         trend_cap=1.0)), 6)
    2.97
    """
    ir_a = np.asarray(ir, dtype=np.float64)
    x = np.asarray(gov_hhi_x, dtype=np.float64)
    ms = np.asarray(hhi_ms, dtype=np.float64)
    concentration = ir_a * x + (1.0 - ir_a) * g_eu * ms
    trend = 1.0 + trend_weight * np.minimum(np.maximum(growth, 0.0), trend_cap)
    return np.asarray(concentration * np.asarray(s, dtype=np.float64) * trend, dtype=np.float64)


def own_importance(
    va: npt.ArrayLike,
    n_strategic: npt.ArrayLike,
    *,
    va_ref: float,
    w_va: float,
    w_n: float,
) -> FloatArray:
    """``EI_own = 10 · [w_VA · min(ΣA·Q / Q_ref, 1) + w_N · N / 6]``.

    >>> float(own_importance(102100.0, 3, va_ref=204200.0, w_va=0.7, w_n=0.3))
    5.0
    """
    ratio = np.minimum(np.asarray(va, dtype=np.float64) / va_ref, 1.0)
    strategic = np.asarray(n_strategic, dtype=np.float64) / len(STRATEGIC_SECTORS)
    return np.asarray(EI_SCALE * (w_va * ratio + w_n * strategic), dtype=np.float64)


def resilience(
    producers: npt.ArrayLike,
    sites: npt.ArrayLike,
    hhi_company: npt.ArrayLike,
    closures: npt.ArrayLike,
    energy: npt.ArrayLike,
    *,
    producers_ref: float,
    sites_ref: float,
    weights: tuple[float, float, float, float, float],
) -> FloatArray:
    """``R = 10 · Σ_k w_k·f_k`` with ``f`` = min(n/n_ref, 1), min(s/s_ref, 1), 1 − HHI_c, 1 − c, 1 − e.

    Five producers, five sites, HHI_c 0.5, no closure, energy half the cost:
    ``10 · 0.2 · (1 + 0.5 + 0.5 + 1 + 0.5) = 7.0``.

    >>> round(float(resilience(5, 5, 0.5, 0.0, 0.5, producers_ref=5, sites_ref=10,
    ...                  weights=(0.2, 0.2, 0.2, 0.2, 0.2))), 6)
    7.0
    """
    factors = (
        np.minimum(np.asarray(producers, dtype=np.float64) / producers_ref, 1.0),
        np.minimum(np.asarray(sites, dtype=np.float64) / sites_ref, 1.0),
        1.0 - np.asarray(hhi_company, dtype=np.float64),
        1.0 - np.asarray(closures, dtype=np.float64),
        1.0 - np.asarray(energy, dtype=np.float64),
    )
    total = sum(w * f for w, f in zip(weights, factors, strict=True))
    return np.asarray(EI_SCALE * total, dtype=np.float64)


def _tri(yes: npt.NDArray[np.bool_], no: npt.NDArray[np.bool_]) -> FloatArray:
    return np.where(yes, 1.0, np.where(no, 0.0, np.nan))


class Cca(Methodology[CcaInputs]):
    """The Critical Chemicals Alliance methodology.

    Pass ``value_chain`` to assess against another feedstock graph than the shipped registry.

    >>> m = Cca()
    >>> m.version, m.spec.threshold("sr"), m.spec.threshold("ei"), m.resilience_threshold
    ('0.2', 1.0, 2.8, 5.0)
    """

    name: ClassVar[str] = "cca"
    indicators: ClassVar[frozenset[str]] = frozenset(
        {
            "gov_hhi_extra_eu",
            "hhi_eu_production",
            "import_reliance",
            "substitutability",
            "import_growth_3y",
            "eu_producers",
            "eu_sites",
            "hhi_capacity_company",
            "closure_share",
            "energy_cost_share",
            "downstream_va_meur",
            "strategic_sectors",
        }
    )

    def __init__(
        self,
        *,
        spec_text: str | None = None,
        spec_file: str = "",
        value_chain: ValueChain | None = None,
    ) -> None:
        super().__init__(spec_text=spec_text, spec_file=spec_file)
        file = spec_file or f"{self.name}.yaml"
        if set(self.spec.criteria) != {"sr", "ei"}:
            raise MethodologyError(f"{file}: criteria: cca has exactly the criteria sr and ei")
        sr, ei = self.spec.criteria["sr"].parameters, self.spec.criteria["ei"].parameters
        for cid, params, names in (("sr", sr, (*_SR_PARAMS, *_RES_PARAMS)), ("ei", ei, _EI_PARAMS)):
            for p in names:
                value = params.get(p)
                if value is None or not math.isfinite(value) or value < 0:
                    raise MethodologyError(
                        f"{file}: criteria.{cid}.parameters.{p}: {value} is not a number ≥ 0"
                    )
        for cid, params, group in (
            ("sr", sr, tuple(f"resilience_w_{k}" for k in _RES_WEIGHTS)),
            ("ei", ei, ("value_added_weight", "strategic_weight")),
        ):
            total = sum(params[k] for k in group)
            if abs(total - 1.0) > 1e-6:
                raise MethodologyError(
                    f"{file}: criteria.{cid}.parameters: {', '.join(group)} sum to {total:g}, not 1"
                )
        if (
            ei["propagation_delta"] > 1
            or min(
                sr["resilience_producers_ref"],
                sr["resilience_sites_ref"],
                ei["value_added_reference_meur"],
            )
            <= 0
        ):
            raise MethodologyError(
                f"{file}: criteria: propagation_delta must be in 0..1 and the references "
                "(resilience_producers_ref, resilience_sites_ref, value_added_reference_meur) > 0"
            )
        self.sr_params = sr
        self.ei_params = ei
        self.resilience_threshold: float = sr["resilience_threshold"]
        self._value_chain = value_chain

    @property
    def value_chain(self) -> ValueChain:
        """The feedstock graph and sectors (the shipped registry unless one was given)."""
        if self._value_chain is None:
            self._value_chain = ValueChain.from_registry(load_registry())
        return self._value_chain

    def read_inputs(self, files: InputFiles) -> CcaInputs:
        """Read the one-row-per-molecule input file (side tables are not used)."""
        return read_cca(files, self.value_chain)

    def evaluate(self, arrays: Arrays) -> dict[str, FloatArray]:
        """SR, propagated EI, resilience and the critical-production verdict (1, 0 or NaN).

        Molecule arrays are ``(..., molecules)``; the graph arrays (``graph_*``) cover the
        molecules then the pass-through nodes.
        """
        sp, ep = self.sr_params, self.ei_params
        sr = supply_risk(
            arrays["gov_hhi_extra_eu"],
            arrays["hhi_eu_production"],
            arrays["import_reliance"],
            arrays["substitutability"],
            arrays["import_growth_3y"],
            g_eu=sp["eu_governance"],
            trend_weight=sp["trend_weight"],
            trend_cap=sp["trend_cap"],
        )
        ei_own = own_importance(
            arrays["downstream_va_meur"],
            arrays["strategic_sectors"],
            va_ref=ep["value_added_reference_meur"],
            w_va=ep["value_added_weight"],
            w_n=ep["strategic_weight"],
        )
        assessed = np.asarray(arrays["graph_assessed"], dtype=bool)
        products, level = arrays["graph_products"], arrays["graph_level"]
        n = ei_own.shape[-1]
        lead = np.broadcast_shapes(sr.shape[:-1], ei_own.shape[:-1])
        pad = np.full((*lead, assessed.size - n), np.nan)
        ei_nodes = propagate_importance(
            np.concatenate([np.broadcast_to(ei_own, (*lead, n)), pad], axis=-1),
            products,
            level,
            assessed,
            ep["propagation_delta"],
        )
        thresholds = {"sr": self.spec.threshold("sr"), "ei": self.spec.threshold("ei")}
        # A molecule downstream whose EI is unknown makes the EI a lower bound: it stands when
        # it meets the threshold anyway, else the EI is undetermined.
        unknown = np.isnan(ei_nodes)
        below_unknown, _ = reaches(unknown, ~unknown, products, level)
        incomplete = below_unknown[..., :n] & ~unknown[..., :n]
        ei_lower = ei_nodes[..., :n]
        ei = np.where(incomplete & ~meets(ei_lower, thresholds["ei"]), np.nan, ei_lower)
        sr_b = np.broadcast_to(sr, (*lead, n))
        crit, not_crit = verdict("all", {"sr": sr_b, "ei": ei}, thresholds)
        # Pass-through nodes are not on this assessment's list: not critical here.
        node_yes = np.concatenate([crit, np.zeros((*lead, assessed.size - n), bool)], axis=-1)
        node_no = np.concatenate([not_crit, np.ones((*lead, assessed.size - n), bool)], axis=-1)
        chain_yes, chain_no = reaches(node_yes, node_no, products, level)
        sites = np.asarray(arrays["eu_sites"], dtype=np.float64)
        res = resilience(
            arrays["eu_producers"],
            sites,
            arrays["hhi_capacity_company"],
            arrays["closure_share"],
            arrays["energy_cost_share"],
            producers_ref=sp["resilience_producers_ref"],
            sites_ref=sp["resilience_sites_ref"],
            weights=tuple(sp[f"resilience_w_{k}"] for k in _RES_WEIGHTS),  # type: ignore[arg-type]
        )
        res = np.where(sites == 0, np.nan, res)
        t_r = self.resilience_threshold
        fragile_yes = ~np.isnan(res) & ~meets(res, t_r)
        fragile_no = meets(res, t_r)
        production = _tri(
            (sites >= 1) & fragile_yes & chain_yes[..., :n],
            (sites == 0) | fragile_no | chain_no[..., :n],
        )
        return {
            "sr": sr_b,
            "ei": ei,
            "ei_own": np.broadcast_to(ei_own, (*lead, n)),
            "ei_nodes": ei_nodes,
            "ei_incomplete": incomplete.astype(np.float64),
            "resilience": np.asarray(res, dtype=np.float64),
            "chain_critical": _tri(chain_yes, chain_no),
            "critical_production": production,
        }

    def explain(
        self, prepared: CcaInputs, results: Mapping[str, FloatArray]
    ) -> list[MaterialDetail]:
        """Contributions, the propagation source, resilience and critical production.

        See :mod:`critchem.criticality.methodologies.cca_explain`.
        """
        params = CcaParameters(
            sr=self.sr_params,
            ei=self.ei_params,
            thresholds={"sr": self.spec.threshold("sr"), "ei": self.spec.threshold("ei")},
            resilience_threshold=self.resilience_threshold,
        )
        return explain(prepared, results, params)
