"""Criticality services: assess materials with a methodology, compare two assessments.

The CLI, the API and the web pages call these; they return the public schemas of
:mod:`critchem.criticality.schemas` (``AssessmentOut.rows()`` gives one flat row per material
for CSV output).
"""

from __future__ import annotations

from pathlib import Path

from critchem.criticality import InputFiles, compare_assessments, get_methodology
from critchem.criticality.base import methodologies
from critchem.criticality.schemas import AssessmentOut, ComparisonOut

__all__ = ["AssessmentOut", "ComparisonOut", "assess", "compare", "list_methodologies"]


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
    return method.assess(files, draws=sensitivity_draws, seed=seed)


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
