"""``/sites/critical``: critical production sites with their chains, shares and coupling."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from critchem.api.deps import SettingsDep
from critchem.services.critical_sites import critical_sites
from critchem.services.sites import CriticalSitesOut

router = APIRouter(tags=["sites"])


@router.get("/sites/critical", response_model=CriticalSitesOut, summary="Critical production sites")
def critical(
    settings: SettingsDep,
    evidence_year: Annotated[
        int | None,
        Query(
            ge=1988, le=2100, description="Classes from the evidence of this year (default: demo)."
        ),
    ] = None,
) -> CriticalSitesOut:
    """Every EU site of the public registers: verdict, chains through it, EU shares, losses."""
    return critical_sites(settings=settings, evidence_year=evidence_year)
