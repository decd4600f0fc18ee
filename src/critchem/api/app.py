"""``create_app(settings)``: the FastAPI application of the REST API.

Nothing is connected or loaded here: the alert store opens its database on first use and
the reference data load on the first request that needs them.

Run it with ``uvicorn critchem.api.app:create_app --factory`` (settings from the
``CRITCHEM_*`` environment variables) or with :func:`critchem.api.server.serve`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from importlib.metadata import version

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from critchem import web
from critchem.accounts import Accounts
from critchem.accounts.secret import ensure_secret
from critchem.accounts.throttle import Limits, SignInLimiter
from critchem.alliance import Alliance
from critchem.api import problems
from critchem.api.docs import install_docs
from critchem.api.hardening import Hardening
from critchem.api.pact_retries import deliver_periodically
from critchem.api.representations import Representations
from critchem.api.routes import ROUTERS, health, pact
from critchem.api.security import API_PREFIX, CHECK_CREDENTIALS
from critchem.carbon.pact.host import PactHost
from critchem.core.settings import Settings
from critchem.surveillance.alerts import AlertStore

DESCRIPTION = (
    "Molecules, customs codes, trade indicators, criticality assessments and surveillance "
    "alerts of the EU Critical Chemicals Alliance. Errors are RFC 9457 problem details."
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    every = app.state.settings.pact_deliver_every_seconds
    retries = (
        asyncio.create_task(deliver_periodically(app.state.pact_host, every)) if every > 0 else None
    )
    try:
        yield
    finally:
        if retries is not None:
            retries.cancel()
            with suppress(asyncio.CancelledError):
                await retries
        app.state.alert_store.dispose()


def check_secret(settings: Settings) -> Settings:
    """``settings`` with a usable signing key (see ``critchem.accounts.secret``).

    Raises
    ------
    InsecureSettingsError
        Naming the setting to change and how to make a key.
    """
    return ensure_secret(settings)


def sign_in_limits(settings: Settings) -> Limits:
    """The thresholds of the sign-in limiter, from the ``auth_*`` settings."""
    return Limits(
        per_pair=settings.auth_rate_limit_per_minute,
        spray_accounts=settings.auth_spray_accounts,
        account_failures=settings.auth_account_failures,
        global_failures=settings.auth_global_failures,
        window=timedelta(minutes=settings.auth_window_minutes),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API application for ``settings`` (default: read from the environment).

    OpenAPI 3 at ``/openapi.json``, interactive docs at ``/docs``, routes under ``/api/v1``
    and a liveness check at ``/health``. Refuses (``InsecureSettingsError``) to build a
    production app with the development secret key.
    """
    settings = settings or Settings()
    settings = check_secret(settings)
    app = FastAPI(
        title="critchem",
        version=version("critchem"),
        description=DESCRIPTION,
        lifespan=_lifespan,
        responses=problems.PROBLEM_RESPONSES,
        docs_url=None,
        redoc_url=None,
    )
    install_docs(app)
    app.state.settings = settings
    app.state.alert_store = AlertStore(settings.database_url)
    app.state.accounts = Accounts(app.state.alert_store.session)
    app.state.alliance = Alliance(app.state.alert_store.session)
    app.state.auth_limiter = SignInLimiter(app.state.alert_store.session, sign_in_limits(settings))
    app.state.pact_host = PactHost(
        app.state.alert_store.session,
        secret=settings.secret_key,
        token_minutes=settings.access_token_minutes,
        timeout=settings.webhook_timeout_seconds,
        retry_first=timedelta(seconds=settings.pact_retry_first_seconds),
    )
    problems.install(app)
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    app.add_middleware(Representations, prefix=API_PREFIX)
    app.add_middleware(Hardening, max_request_bytes=settings.max_request_bytes)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX, dependencies=CHECK_CREDENTIALS)
    app.include_router(health.router, include_in_schema=False)
    app.include_router(pact.router)
    web.install(app)
    return app
