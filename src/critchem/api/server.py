"""Serve the API with uvicorn."""

from __future__ import annotations

import uvicorn

from critchem.api.app import create_app
from critchem.settings import Settings


def serve(host: str, port: int, settings: Settings | None = None) -> None:
    """Run the API on ``host:port`` until interrupted (settings: default from the environment)."""
    uvicorn.run(create_app(settings), host=host, port=port)
