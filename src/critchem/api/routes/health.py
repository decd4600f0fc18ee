"""``GET /health``: the service is up."""

from __future__ import annotations

from fastapi import APIRouter, Request

from critchem.api.schemas import HealthOut

router = APIRouter(tags=["service"])


@router.get("/health", response_model=HealthOut, summary="Liveness check")
def health(request: Request) -> HealthOut:
    """Answers ``ok`` with the package version while the service runs.

    The version is the app's (read from the package metadata once, by ``create_app``):
    reading the metadata took half a millisecond per request.
    """
    return HealthOut(status="ok", version=request.app.version)
