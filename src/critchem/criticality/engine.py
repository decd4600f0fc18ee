"""The part of an assessment every methodology shares: verdict, score, rank, output record."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import numpy as np

from critchem.criticality.base import InputFiles, MaterialDetail, Methodology, Prepared
from critchem.criticality.explain import verdict_sentence
from critchem.criticality.formulas import meets
from critchem.criticality.schemas import (
    AssessmentOut,
    CriterionOut,
    MaterialOut,
    MaterialSensitivity,
    Provenance,
)
from critchem.criticality.sensitivity import SensitivityResult, monte_carlo
from critchem.criticality.verdict import ranks, verdict, weighted_ratio


def _code_version() -> str:
    try:
        return metadata.version("critchem")
    except metadata.PackageNotFoundError:
        return "unknown"


def _opt(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _sensitivity(mc: SensitivityResult, i: int) -> MaterialSensitivity:
    q = mc.rank_quantiles[:, i]
    return MaterialSensitivity(
        p_critical=float(mc.p_critical[i]),
        p_undetermined=float(mc.p_undetermined[i]),
        rank_p05=int(q[0]) or None,
        rank_p50=int(q[1]) or None,
        rank_p95=int(q[-1]) or None,
        intervals={
            c: None if np.isnan(iv[:, i]).any() else (float(iv[0, i]), float(iv[1, i]))
            for c, iv in mc.intervals.items()
        },
    )


def assess(
    method: Methodology[Any], files: InputFiles, *, draws: int = 0, seed: int = 0
) -> AssessmentOut:
    """Assess the materials of ``files`` with ``method``; with ``draws`` > 0 add a Monte Carlo run.

    >>> from critchem.criticality import demo_files, get_methodology
    >>> out = assess(get_methodology("eu-crm"), demo_files("eu-crm"))
    >>> out.methodology
    'eu-crm'
    """
    return run(method, method.read_inputs(files), draws=draws, seed=seed)


def run(
    method: Methodology[Any], prepared: Prepared, *, draws: int = 0, seed: int = 0
) -> AssessmentOut:
    """Evaluate, judge, rank and explain every material; add a Monte Carlo run if ``draws``."""
    spec = method.spec
    results = method.evaluate(prepared.arrays)
    criteria = list(spec.criteria)
    values = {c: results[c] for c in criteria}
    thresholds = {c: spec.threshold(c) for c in criteria}
    weights = dict(spec.aggregation.weights)
    critical, not_critical = verdict(spec.aggregation.verdict, values, thresholds)
    score = weighted_ratio(values, weights, thresholds)
    rank = ranks(score)
    details: list[MaterialDetail] = method.explain(prepared, results)
    mc = monte_carlo(method, prepared, draws=draws, seed=seed) if draws > 0 else None
    materials: list[MaterialOut] = []
    for i, name in enumerate(prepared.materials):
        detail = details[i]
        verdict_i = True if critical[i] else False if not_critical[i] else None
        crits = {
            c: CriterionOut(
                name=spec.criteria[c].name,
                value=_opt(values[c][i]),
                threshold=thresholds[c],
                met=None if math.isnan(values[c][i]) else bool(meets(values[c][i], thresholds[c])),
                driver=detail.drivers.get(c),
                contributions=detail.contributions.get(c, []),
            )
            for c in criteria
        }
        materials.append(
            MaterialOut(
                material=name,
                critical=verdict_i,
                score=_opt(score[i]),
                rank=None if math.isnan(score[i]) else int(rank[i]),
                explanation=verdict_sentence(name, crits, verdict_i, spec.aggregation.verdict),
                criteria=crits,
                components=detail.components,
                stages=detail.stages,
                inputs=detail.inputs,
                missing=detail.missing,
                sensitivity=None if mc is None else _sensitivity(mc, i),
            )
        )
    materials.sort(key=lambda m: (m.rank is None, m.rank or 0, m.material.casefold()))
    return AssessmentOut(
        methodology=method.name,
        methodology_version=method.version,
        verdict_rule=spec.aggregation.verdict,
        stages=list(spec.stages),
        thresholds=thresholds,
        weights=weights,
        materials=materials,
        provenance=Provenance(
            methodology=method.name,
            methodology_version=method.version,
            methodology_sha256=method.spec_sha256,
            code_version=_code_version(),
            assessed_at=datetime.now(UTC),
            files=list(prepared.files),
            reference_data=list(prepared.reference_data),
        ),
        sensitivity=None if mc is None else mc.settings,
    )
