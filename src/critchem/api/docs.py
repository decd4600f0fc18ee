"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from assets shipped in the package, no CDN.

The assets are in ``critchem/web/static/vendor`` with their licences and source
(``SOURCES.md`` there); the validator badge of Swagger UI (a call to an outside service) and
ReDoc's web fonts are switched off.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

VENDOR = "/static/vendor"
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)
"""Content-Security-Policy of the two pages: nothing from elsewhere, not even ReDoc's footer
logo (its image then falls back to the plain "API docs by Redocly" text)."""


def install_docs(app: FastAPI) -> None:
    """Add ``/docs`` and ``/redoc`` to ``app`` (built with ``docs_url=redoc_url=None``)."""
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _locked(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{app.title}: API",
                swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
                swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
                swagger_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
                swagger_ui_parameters={"validatorUrl": None},
            )
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _locked(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{app.title}: API reference",
                redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
                redoc_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
                with_google_fonts=False,
            )
        )


def _locked(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = CSP
    return response
