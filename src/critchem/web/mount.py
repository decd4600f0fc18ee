"""``install(app)``: mount the pages, the static files and the HTML error pages on an app."""

from __future__ import annotations

from http import HTTPStatus
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from critchem.core.errors import (
    AuthenticationError,
    CritchemError,
    NotFoundError,
    PermissionDeniedError,
)
from critchem.web.render import page
from critchem.web.routes import ROUTERS

API_PATHS = ("/api/", "/openapi.json", "/docs", "/redoc", "/health", "/static/")


def wants_html(request: Request) -> bool:
    """Whether the error of ``request`` should be a page (a browser asking for a page)."""
    path = request.url.path
    if path.startswith(API_PATHS) or path.endswith(".json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _status(exc: Exception) -> int:
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, AuthenticationError):
        return 401
    if isinstance(exc, PermissionDeniedError):
        return 403
    return 400


def install(app: FastAPI) -> None:
    """Add the pages to ``app`` (after the API: the problem handlers must be installed)."""
    for router in ROUTERS:
        app.include_router(router)
    static = Path(str(resources.files("critchem.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    for kind in (CritchemError, HTTPException):
        problem = app.exception_handlers[kind]

        async def handler(request: Request, exc: Exception, problem: object = problem) -> Response:
            if not wants_html(request):
                response = problem(request, exc)  # type: ignore[operator]
                assert isinstance(response, Response)
                return response
            status = _status(exc)
            detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
            if status == 404 and isinstance(exc, HTTPException):
                detail = f"There is no page at {request.url.path}."
            return page(
                request,
                "error.html.j2",
                title=HTTPStatus(status).phrase,
                twin=None,
                status=status,
                status_code=status,
                detail=detail,
                suggestions=getattr(exc, "suggestions", []),
            )

        app.add_exception_handler(kind, handler)
