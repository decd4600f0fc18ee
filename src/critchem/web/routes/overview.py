"""``/``: the critical list and the newest alerts (twin: ``/index.json``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from critchem.api.deps import AlertStoreDep
from critchem.web.pages import dashboard
from critchem.web.render import page, twin

router = APIRouter(include_in_schema=False)


@router.get("/index.json")
def overview_json(store: AlertStoreDep) -> JSONResponse:
    """The overview's data."""
    return twin(dashboard.overview(store))


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, store: AlertStoreDep) -> HTMLResponse:
    """The overview page."""
    data = dashboard.overview(store)
    return page(request, "overview.html.j2", title="Overview", twin="/index.json", data=data)
