"""``/codes``: a CN8 or HS code with its label, parents, correspondences and molecules."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from critchem.api.deps import SettingsDep
from critchem.nomenclature import CN_YEARS
from critchem.services import codes
from critchem.services.schemas import CodeOut

router = APIRouter(prefix="/codes", tags=["codes"])

CODE_PATTERN = r"^[\s.]*([0-9][\s.]*[0-9][\s.]*){1,4}$"
"""2, 4, 6 or 8 digits, with any spaces and dots between them."""


@router.get("/{code}", response_model=CodeOut, summary="Show a CN8 or HS code")
def show_code(
    code: Annotated[
        str,
        Path(
            max_length=20,
            description="8-digit CN or 2/4/6-digit HS code; spaces and dots are ignored.",
            # Documented, checked by the service (whose message names the expected lengths).
            json_schema_extra={"pattern": CODE_PATTERN},
        ),
    ],
    settings: SettingsDep,
    year: Annotated[
        int | None,
        Query(
            ge=min(CN_YEARS),
            le=max(CN_YEARS),
            description="Combined Nomenclature year (default: the cn_year setting).",
        ),
    ] = None,
    lang: Annotated[
        Literal["en", "fr", "de"],
        Query(description="Language of a CN8 label (English where not sourced, marked)."),
    ] = "en",
) -> CodeOut:
    """A CN8 code of ``year`` or an HS 2022 code, fully described."""
    return codes.show_code(code, year=year or settings.cn_year, lang=lang)
