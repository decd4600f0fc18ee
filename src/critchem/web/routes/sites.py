"""``/sites/critical``: the critical production sites on a map, with their chains and losses."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import Markup

from critchem.reports.sites_map import SiteMark, sites_map_svg
from critchem.services.critical_sites import critical_sites
from critchem.web.render import page, twin

router = APIRouter(include_in_schema=False)


@router.get("/sites/critical.json")
def critical_json() -> JSONResponse:
    """The page's data."""
    return twin(critical_sites())


@router.get("/sites/critical", response_class=HTMLResponse)
def critical_page(request: Request) -> HTMLResponse:
    """The map and the table of every site."""
    data = critical_sites()
    marks = [
        SiteMark(label=s["site"], lon=s["lon"], lat=s["lat"], verdict=s["verdict"])
        for s in data.sites
        if s["lon"] is not None and s["lat"] is not None
    ]
    title = "Critical production sites"
    return page(
        request,
        "sites_critical.html.j2",
        title=title,
        twin="/sites/critical.json",
        data=data,
        site_map=Markup(sites_map_svg(marks, f"{data.label + ': ' if data.label else ''}{title}")),
    )
