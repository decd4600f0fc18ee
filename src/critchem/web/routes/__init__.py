"""One router per page, each with its JSON twin at ``<page>.json``."""

from __future__ import annotations

from fastapi import APIRouter

from critchem.web.routes import (
    alerts,
    alliance,
    alliance_actions,
    assessments,
    capacity,
    custody,
    evidence,
    funding,
    instruments,
    lead_markets,
    login,
    methodology,
    molecules,
    overview,
    projects,
    sites,
    timeline,
)

ROUTERS: tuple[APIRouter, ...] = (
    overview.router,
    molecules.router,
    alerts.router,
    assessments.router,
    methodology.router,
    projects.router,
    funding.router,
    instruments.router,
    lead_markets.router,
    custody.router,
    capacity.router,
    evidence.router,
    timeline.router,
    sites.router,
    login.router,
    alliance.router,
    alliance_actions.router,
)

__all__ = ["ROUTERS"]
