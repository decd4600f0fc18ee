"""The public shapes of the evidence: one molecule's inputs, the coverage, the assessment."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProvenanceOut(_Public):
    """Where a value comes from."""

    dataset: str
    load_ids: list[str]
    file_hashes: list[str]
    method_version: str


class InputOut(_Public):
    """One input of a molecule, with its source; ``label`` is SYNTHETIC/ILLUSTRATIVE or empty."""

    value: float | str | None
    status: str
    source: str
    years: list[int]
    codes: list[str]
    note: str
    label: str
    upper_bound: bool
    provenance: ProvenanceOut


class MissingOut(_Public):
    """An input without a value, and why."""

    indicator: str
    reason: str
    status: str


class MoleculeEvidenceOut(_Public):
    """The evidence of one molecule in one year (``source`` is ``synthetic`` if any input is)."""

    molecule: str
    year: int
    build_id: str
    inputs: dict[str, InputOut]
    missing: list[MissingOut]
    synthetic_inputs: list[str]
    source: str


class CoverageRowOut(_Public):
    """One molecule and indicator of the coverage."""

    molecule: str
    indicator: str
    status: str
    label: str
    value: float | str | None
    source: str
    reason: str


class CoverageOut(_Public):
    """Per indicator the count of each status; per molecule and indicator the status and why."""

    year: int
    build_id: str
    built_at: str
    molecules: int
    statuses: list[str]
    indicators: dict[str, dict[str, int]]
    rows: list[CoverageRowOut]


class ImputationOut(_Public):
    """How missing inputs were imputed (only on request)."""

    method: str
    indicators: dict[str, list[float]]
    note: str


class EvidenceVerdictOut(_Public):
    """One verdict with the evidence of every input beside it."""

    model_config = ConfigDict(frozen=True, serialize_by_alias=True, validate_by_name=True)

    molecule: str
    verdict: str = Field(description="critical, not critical or undetermined")
    critical: bool | None
    criteria: dict[str, float | None]
    reasons: list[str]
    imputed: ImputationOut | None
    inputs: dict[str, InputOut]
    missing: list[MissingOut]
    synthetic_inputs: list[str]
    label: str
    cls: str | None = Field(
        default=None,
        alias="class",
        description="cca 0.2 class: critical, strategic, not critical or undetermined",
    )
    class_reason: str = ""


class EvidenceAssessmentOut(_Public):
    """An assessment from one evidence build."""

    methodology: str
    methodology_version: str
    year: int
    build_id: str
    impute: str | None
    thresholds: dict[str, float]
    counts: dict[str, int]
    classes_version: str = ""
    class_counts: dict[str, int] = {}
    materials: list[EvidenceVerdictOut]
    sites: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Critical production sites under these classes: rules, counts, coverage and every "
            "site with its units, chains, losses and verdict (critchem sites critical)"
        ),
    )
