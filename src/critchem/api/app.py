"""``create_app(settings)``: the FastAPI application of the REST API.

Nothing is connected or loaded here: the alert store opens its database on first use and
the reference data load on the first request that needs them.

Run it with ``uvicorn critchem.api.app:create_app --factory`` (settings from the
``CRITCHEM_*`` environment variables) or with :func:`critchem.api.server.serve`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from critchem.api import problems
from critchem.api.routes import ROUTERS, health
from critchem.settings import Settings
from critchem.surveillance.alerts import AlertStore

API_PREFIX = "/api/v1"
"""Where the versioned routes are mounted."""

DESCRIPTION = (
    "Molecules, customs codes, trade indicators, criticality assessments and surveillance "
    "alerts of the EU Critical Chemicals Alliance. Errors are RFC 9457 problem details."
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    try:
        yield
    finally:
        app.state.alert_store.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API application for ``settings`` (default: read from the environment).

    OpenAPI 3 at ``/openapi.json``, interactive docs at ``/docs``, routes under ``/api/v1``
    and a liveness check at ``/health``.
    """
    settings = settings or Settings()
    app = FastAPI(
        title="critchem",
        version=version("critchem"),
        description=DESCRIPTION,
        lifespan=_lifespan,
        responses=problems.PROBLEM_RESPONSES,
    )
    app.state.settings = settings
    app.state.alert_store = AlertStore(settings.database_url)
    problems.install(app)
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(health.router, include_in_schema=False)
    return app
