"""``/evidence``: the evidence of the criticality inputs, its coverage and the verdicts from it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from critchem.api.deps import SettingsDep
from critchem.evidence.schemas import CoverageOut, EvidenceAssessmentOut, MoleculeEvidenceOut
from critchem.services import evidence

router = APIRouter(tags=["evidence"])

Year = Annotated[int, Path(ge=1988, le=2100, description="Reference year of the evidence.")]


@router.get("/evidence/{year}/coverage", response_model=CoverageOut, summary="Evidence coverage")
def coverage(year: Year, settings: SettingsDep) -> CoverageOut:
    """Per molecule and indicator: computed, group-code upper bound, confidential or missing."""
    return CoverageOut.model_validate(evidence.coverage(settings, year=year))


@router.get(
    "/evidence/{year}/molecules/{molecule}",
    response_model=MoleculeEvidenceOut,
    summary="Evidence of one molecule",
)
def molecule(
    year: Year, molecule: Annotated[str, Path(max_length=200)], settings: SettingsDep
) -> MoleculeEvidenceOut:
    """Each input with its source, years, codes and note; the missing ones with the reason."""
    return MoleculeEvidenceOut.model_validate(evidence.show(settings, molecule, year=year))


@router.get(
    "/evidence/{year}/assessment",
    response_model=EvidenceAssessmentOut,
    summary="Assessment from the evidence",
)
def assessment(
    year: Year,
    settings: SettingsDep,
    impute: Annotated[Literal["range"] | None, Query()] = None,
) -> EvidenceAssessmentOut:
    """The ``cca`` verdicts from the evidence; a verdict that needs a missing input is undetermined.

    ``sites`` gives the critical production sites under these classes.
    """
    return EvidenceAssessmentOut.model_validate(
        evidence.assess(settings, year=year, impute=impute, with_sites=True)
    )
