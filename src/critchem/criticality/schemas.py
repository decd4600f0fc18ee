"""Public schemas of an assessment: one record per material, its explanation and provenance.

``AssessmentOut`` renders as JSON as it is (``model_dump_json``) and as one flat row per
material for CSV (``columns()`` and ``rows()``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

Scalar = float | int | str | bool | None
"""A value of a flat CSV cell."""


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class FileRef(_Public):
    """An input file: its role, name and sha256."""

    role: str
    name: str
    sha256: str


class InputRef(_Public):
    """Where one input value came from: file, 1-based lines and column (or how it was derived)."""

    indicator: str
    stage: str | None = None
    sector: str | None = None
    value: float
    file: str
    lines: list[int]
    column: str
    note: str = ""


class Contribution(_Public):
    """One component of a criterion.

    ``term`` components add up to the criterion's value; a ``reduction`` is how much a factor
    (recycling, substitution) lowered it (a negative number), an ``increase`` how much a factor
    (a rising import trend) raised it (a positive number).
    """

    component: str
    kind: Literal["term", "reduction", "increase"]
    value: float
    share: float | None = None


class CriterionOut(_Public):
    """One criterion of one material: value, threshold, whether it is met and why."""

    name: str
    value: float | None
    threshold: float
    met: bool | None
    driver: str | None = None
    contributions: list[Contribution] = []


class StageOut(_Public):
    """The supply risk of one stage (extraction or processing) and its components."""

    stage: str
    supply_basis: str
    sr: float
    gs_weight: float
    hhi_gs: float | None
    hhi_eu: float | None
    import_reliance: float | None
    eol_rir: float
    si_sr: float


class MaterialSensitivity(_Public):
    """Monte Carlo results of one material."""

    p_critical: float
    p_undetermined: float
    rank_p05: int | None
    rank_p50: int | None
    rank_p95: int | None
    intervals: dict[str, tuple[float, float] | None]


class MaterialOut(_Public):
    """The verdict on one material, with every component and input that explains it."""

    material: str
    critical: bool | None
    score: float | None
    rank: int | None
    explanation: str
    criteria: dict[str, CriterionOut]
    components: dict[str, Scalar]
    stages: list[StageOut] = []
    inputs: list[InputRef] = []
    missing: list[str] = []
    sensitivity: MaterialSensitivity | None = None

    def flat_row(self, stages: Sequence[str] = ()) -> dict[str, Scalar]:
        """One flat row for CSV: criteria, thresholds, components, stage SRs, sensitivity.

        ``stages`` are the methodology's stages, each given a ``sr_<stage>`` column (empty when
        the material was not assessed at that stage).
        """
        row: dict[str, Scalar] = {
            "material": self.material,
            "critical": self.critical,
            "score": self.score,
            "rank": self.rank,
        }
        for cid, crit in self.criteria.items():
            row[cid] = crit.value
            row[f"{cid}_threshold"] = crit.threshold
        row.update(self.components)
        by_stage = {st.stage: st.sr for st in self.stages}
        for name in [*stages, *(st for st in by_stage if st not in stages)]:
            row[f"sr_{name}"] = by_stage.get(name)
        if self.sensitivity is not None:
            s = self.sensitivity
            row.update(
                p_critical=s.p_critical,
                p_undetermined=s.p_undetermined,
                rank_p05=s.rank_p05,
                rank_p50=s.rank_p50,
                rank_p95=s.rank_p95,
            )
            for key, interval in s.intervals.items():
                row[f"{key}_p05"] = interval[0] if interval else None
                row[f"{key}_p95"] = interval[1] if interval else None
        row["missing"] = "; ".join(self.missing)
        return row


class SensitivitySettings(_Public):
    """How the Monte Carlo analysis was run."""

    draws: int
    seed: int
    inputs: dict[str, str]
    thresholds: dict[str, str]
    weight_concentration: float
    quantiles: tuple[float, float] = (0.05, 0.95)


class Provenance(_Public):
    """Where an assessment came from: methodology, code, input and reference files."""

    methodology: str
    methodology_version: str
    methodology_sha256: str
    code_version: str
    assessed_at: datetime
    files: list[FileRef]
    reference_data: list[str] = []


class AssessmentOut(_Public):
    """An assessment: one record per material, ranked by score, with its provenance."""

    methodology: str
    methodology_version: str
    verdict_rule: str
    stages: list[str] = []
    thresholds: dict[str, float]
    weights: dict[str, float]
    materials: list[MaterialOut]
    provenance: Provenance
    sensitivity: SensitivitySettings | None = None
    source: str = ""
    """``illustrative`` when the inputs are the shipped illustrative demo placeholders."""

    def rows(self) -> list[dict[str, Scalar]]:
        """One flat row per material, all with the same columns (see :meth:`columns`)."""
        cols = self.columns()
        flat = (m.flat_row(self.stages) for m in self.materials)
        return [{c: row.get(c) for c in cols} for row in flat]

    def columns(self) -> list[str]:
        """The CSV columns: the union of the materials' flat rows, in first-seen order."""
        seen: dict[str, None] = {}
        for m in self.materials:
            seen.update(dict.fromkeys(m.flat_row(self.stages)))
        return list(seen)

    def material(self, name: str) -> MaterialOut:
        """The record of one material (case-insensitive)."""
        key = name.strip().casefold()
        for m in self.materials:
            if m.material.casefold() == key:
                return m
        raise KeyError(name)


class MoveOut(_Public):
    """A material assessed in both: its rank, score and criterion changes."""

    material: str
    critical_a: bool | None
    critical_b: bool | None
    rank_a: int | None
    rank_b: int | None
    rank_delta: int | None
    score_delta: float | None
    deltas: dict[str, float | None]


class ComparisonOut(_Public):
    """What changed from assessment ``a`` to assessment ``b``.

    ``entered``: critical in b but not in a; ``left``: critical in a but not in b; ``added`` and
    ``removed``: assessed in only one; ``moved``: every material in both, the largest rank
    change first (``rank_delta`` > 0 is a move up towards rank 1).
    """

    a: str
    b: str
    entered: list[str]
    left: list[str]
    added: list[str]
    removed: list[str]
    moved: list[MoveOut]
