"""``/methodologies`` and ``/assessments``: criticality assessments of uploaded inputs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from critchem.core.errors import AssessmentInputError
from critchem.criticality.schemas import AssessmentOut, ComparisonOut
from critchem.services import criticality

router = APIRouter(tags=["criticality"])

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""The largest input file accepted (10 MiB)."""

Upload = Annotated[UploadFile | None, File(description="CSV file.")]


@router.get("/methodologies", response_model=list[str], summary="Registered methodologies")
def methodologies() -> list[str]:
    """The names accepted as ``methodology`` by ``POST /assessments``."""
    return criticality.list_methodologies()


def _save(upload: UploadFile | None, folder: Path, role: str) -> Path | None:
    if upload is None:
        return None
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise AssessmentInputError(f"{role}.csv is larger than {MAX_UPLOAD_BYTES} bytes")
    path = folder / f"{role}.csv"
    path.write_bytes(data)
    return path


@router.post("/assessments", response_model=AssessmentOut, summary="Run an assessment")
def assess(
    methodology: Annotated[str, Form(max_length=100)] = "eu-crm",
    demo: Annotated[
        bool, Form(description="Assess the shipped demo inputs of the methodology.")
    ] = False,
    inputs: Upload = None,
    end_uses: Upload = None,
    value_added: Upload = None,
    supply_shares: Upload = None,
    sensitivity_draws: Annotated[int, Form(ge=0, le=10_000)] = 0,
    seed: Annotated[int, Form(ge=0)] = 0,
) -> AssessmentOut:
    """Assess the materials of the uploaded CSV files (or of the demo) with a methodology.

    The files are the ones of ``critchem assess``: ``inputs`` (required unless ``demo``),
    and optionally ``end_uses`` and ``value_added`` (needed for the economic importance of
    ``eu-crm``) and ``supply_shares``; ``cca`` reads ``inputs`` only. With
    ``sensitivity_draws`` > 0 each material gets its probability of being critical and its
    rank interval. A malformed file is a 400 naming the file, the line and the column.
    """
    if demo:
        return criticality.assess_demo(methodology, sensitivity_draws=sensitivity_draws, seed=seed)
    if inputs is None:
        raise AssessmentInputError("No inputs file: upload `inputs` or set `demo`")
    with tempfile.TemporaryDirectory(prefix="critchem-assess-") as tmp:
        folder = Path(tmp)
        saved = {
            role: _save(upload, folder, role)
            for role, upload in (
                ("inputs", inputs),
                ("end_uses", end_uses),
                ("value_added", value_added),
                ("supply_shares", supply_shares),
            )
        }
        assert saved["inputs"] is not None
        return criticality.assess(
            methodology,
            saved["inputs"],
            end_uses=saved["end_uses"],
            value_added=saved["value_added"],
            supply_shares=saved["supply_shares"],
            sensitivity_draws=sensitivity_draws,
            seed=seed,
        )


class ComparisonIn(BaseModel):
    """Two assessments (as ``POST /assessments`` returns them) to compare."""

    model_config = ConfigDict(frozen=True)

    a: AssessmentOut = Field(description="The assessment before (e.g. last year's).")
    b: AssessmentOut = Field(description="The assessment after.")


@router.post(
    "/assessments/compare", response_model=ComparisonOut, summary="Compare two assessments"
)
def compare(body: ComparisonIn) -> ComparisonOut:
    """What entered, left and moved from assessment ``a`` to ``b`` (years or versions)."""
    return criticality.compare(body.a, body.b)
