"""The REST API: ``create_app(settings)`` builds the FastAPI application (see ``app``)."""

from __future__ import annotations

from critchem.api.app import API_PREFIX, create_app

__all__ = ["API_PREFIX", "create_app"]
