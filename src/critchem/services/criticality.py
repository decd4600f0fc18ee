"""Criticality services: assess materials with a methodology, compare two assessments.

The CLI, the API and the web pages call these; they return the public schemas of
:mod:`critchem.criticality.schemas` (``AssessmentOut.rows()`` gives one flat row per material
for CSV output).
"""

from __future__ import annotations

from pathlib import Path

from critchem.criticality import InputFiles, compare_assessments, demo_files, get_methodology
from critchem.criticality.demo import is_illustrative
from critchem.criticality.engine import assess as assess_files
from critchem.criticality.explain import top_terms
from critchem.criticality.registry import methodologies
from critchem.criticality.schemas import AssessmentOut, ComparisonOut, Scalar

__all__ = [
    "AssessmentOut",
    "ComparisonOut",
    "assess",
    "assess_demo",
    "compare",
    "critical_list",
    "list_methodologies",
]


def assess(
    methodology: str,
    inputs: Path,
    *,
    end_uses: Path | None = None,
    value_added: Path | None = None,
    supply_shares: Path | None = None,
    sensitivity_draws: int = 0,
    seed: int = 0,
) -> AssessmentOut:
    """Assess the materials of ``inputs`` with ``methodology`` (e.g. ``"eu-crm"``).

    Parameters
    ----------
    methodology
        A registered methodology name (see :func:`list_methodologies`).
    inputs
        The stage inputs CSV (one row per material and stage).
    end_uses, value_added
        End-use shares per NACE sector and the sectors' value added; both are needed for the
        economic importance (without them EI is not assessed and verdicts that need it are
        undetermined).
    supply_shares
        Supply shares per country, from which the HHIs left empty in ``inputs`` are computed.
    sensitivity_draws
        Monte Carlo draws (0: none).
    seed
        Seed of the Monte Carlo draws.

    Raises
    ------
    UnknownMethodologyError
        The methodology is not registered.
    AssessmentInputError
        An input file is malformed (the message names the file, line and column).

    Examples
    --------
    >>> from critchem.criticality import demo_files
    >>> files = demo_files()
    >>> out = assess("eu-crm", files.inputs)
    >>> [(m.material, round(m.criteria["sr"].value or 0, 2)) for m in out.materials]
    [('antimony', 4.15), ('cobalt', 1.67)]
    """
    if sensitivity_draws < 0:
        raise ValueError("sensitivity_draws must be 0 or more")
    method = get_methodology(methodology)
    files = InputFiles(
        inputs=inputs, end_uses=end_uses, value_added=value_added, supply_shares=supply_shares
    )
    out = assess_files(method, files, draws=sensitivity_draws, seed=seed)
    if is_illustrative(Path(inputs)):
        out = out.model_copy(update={"source": "illustrative"})
    return out


def assess_demo(methodology: str, *, sensitivity_draws: int = 0, seed: int = 0) -> AssessmentOut:
    """Assess the shipped demo inputs of ``methodology`` (``eu-crm`` or ``cca``).

    Raises
    ------
    UnknownMethodologyError
        The methodology is not registered.
    NotFoundError
        No demo inputs are shipped for it.

    Examples
    --------
    >>> out = assess_demo("cca")
    >>> len(out.materials), out.methodology_version
    (18, '0.2')
    """
    get_methodology(methodology)
    files = demo_files(methodology)
    return assess(
        methodology,
        files.inputs,
        end_uses=files.end_uses,
        value_added=files.value_added,
        supply_shares=files.supply_shares,
        sensitivity_draws=sensitivity_draws,
        seed=seed,
    )


def critical_list(out: AssessmentOut, *, terms: int = 2) -> list[dict[str, Scalar]]:
    """The critical materials of ``out``, best ranked first, each with why it is critical.

    One row per material whose verdict is critical, or whose production is (``cca``): the
    criterion values, the ``terms`` largest contributions of each criterion (``why_<id>``),
    the Monte Carlo probability and rank interval when the assessment has them, and the
    critical-production verdict with the chain it would cut when the methodology gives one.

    Examples
    --------
    >>> rows = critical_list(assess_demo("cca"))
    >>> [r["material"] for r in rows][:3]
    ['silicon', 'methionine', 'hydrogen-fluoride']
    """
    rows: list[dict[str, Scalar]] = []
    for m in out.materials:
        production = m.components.get("critical_production")
        if m.critical is not True and production is not True:
            continue
        row: dict[str, Scalar] = {"material": m.material, "critical": m.critical, "rank": m.rank}
        for cid, crit in m.criteria.items():
            row[cid] = crit.value
        if m.sensitivity is not None:
            s = m.sensitivity
            row["p_critical"] = s.p_critical
            row["rank_interval"] = (
                f"{s.rank_p05}–{s.rank_p95}" if s.rank_p05 and s.rank_p95 else None
            )
        for cid, crit in m.criteria.items():
            row[f"why_{cid}"] = top_terms(crit, terms)
        if "critical_production" in m.components:
            row["critical_production"] = production
            row["critical_chain"] = m.components.get("critical_chain")
        rows.append(row)
    return rows


def _load(x: AssessmentOut | Path) -> AssessmentOut:
    if isinstance(x, AssessmentOut):
        return x
    return AssessmentOut.model_validate_json(x.read_text(encoding="utf-8"))


def compare(a: AssessmentOut | Path, b: AssessmentOut | Path) -> ComparisonOut:
    """What entered, left and moved from assessment ``a`` to ``b`` (objects or JSON files)."""
    return compare_assessments(_load(a), _load(b))


def list_methodologies() -> list[str]:
    """The registered methodology names."""
    return methodologies()


def classes_view(out: AssessmentOut) -> dict[str, object]:
    """The four classes (cca 0.2) of a ``cca`` assessment and its agreement with the Alliance's
    reference lists, JSON-ready (empty lists for other methodologies)."""
    if out.methodology != "cca":
        return {"classes": [], "agreement": [], "reference_lists": [], "rules": None}
    from dataclasses import asdict

    from critchem.criticality.classes import (
        agreement,
        classify,
        load_class_rules,
        load_reference_lists,
    )

    classes = classify(out)
    return {
        "classes": [asdict(c) for c in classes],
        "agreement": [asdict(r) for r in agreement(out, classes)],
        "reference_lists": [asdict(r) for r in load_reference_lists()],
        "rules": asdict(load_class_rules()),
    }
