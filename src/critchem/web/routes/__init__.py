"""One router per page, each with its JSON twin at ``<page>.json``."""

from __future__ import annotations

from fastapi import APIRouter

from critchem.web.routes import alerts, assessments, login, methodology, molecules, overview

ROUTERS: tuple[APIRouter, ...] = (
    overview.router,
    molecules.router,
    alerts.router,
    assessments.router,
    methodology.router,
    login.router,
)

__all__ = ["ROUTERS"]
