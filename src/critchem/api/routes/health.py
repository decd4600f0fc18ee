"""``GET /health``: the service is up."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter

from critchem.api.schemas import HealthOut

router = APIRouter(tags=["service"])


@router.get("/health", response_model=HealthOut, summary="Liveness check")
def health() -> HealthOut:
    """Answers ``ok`` with the package version while the service runs."""
    return HealthOut(status="ok", version=version("critchem"))
