"""One router per resource, all mounted under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from critchem.api.routes import (
    alerts,
    alliance,
    assessments,
    auth,
    codes,
    custody,
    evidence,
    feeds,
    funding,
    health,
    keys,
    lead_markets,
    molecules,
    projects,
    sites,
    trade,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    molecules.router,
    codes.router,
    trade.router,
    assessments.router,
    alerts.router,
    auth.router,
    users.router,
    projects.router,
    alliance.router,
    feeds.router,
    evidence.router,
    sites.router,
    funding.router,
    keys.router,
    lead_markets.router,
    custody.router,
)

__all__ = ["ROUTERS"]
