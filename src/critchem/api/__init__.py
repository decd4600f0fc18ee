"""The REST API: ``create_app(settings)`` builds the FastAPI application (see ``app``)."""

from __future__ import annotations

from critchem.api.app import create_app
from critchem.api.security import API_PREFIX

__all__ = ["API_PREFIX", "create_app"]
