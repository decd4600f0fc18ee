"""``GET /health``: the service is up; ``GET /ready``: it can serve (its database answers)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from critchem.api.schemas import HealthOut

router = APIRouter(tags=["service"])


@router.get("/health", response_model=HealthOut, summary="Liveness check")
def health(request: Request) -> HealthOut:
    """Answers ``ok`` with the package version while the service runs.

    The version is the app's (read from the package metadata once, by ``create_app``):
    reading the metadata took half a millisecond per request.
    """
    return HealthOut(status="ok", version=request.app.version)


@router.get("/ready", summary="Readiness check")
def ready(request: Request) -> JSONResponse:
    """200 when the database answers a query, else 503 with the reason (for load balancers)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with request.app.state.alert_store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        return JSONResponse(
            {"status": "unavailable", "database": reason},
            status_code=503,
            headers={"Cache-Control": "no-store"},
        )
    return JSONResponse(
        {"status": "ready", "database": "ok", "version": request.app.version},
        headers={"Cache-Control": "no-store"},
    )
