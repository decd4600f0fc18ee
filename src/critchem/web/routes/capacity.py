"""``/capacity``: EU demand against capacity per critical molecule, and the map of sites."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from critchem.api.deps import SettingsDep
from critchem.api.security import AccountsDep, client_ip
from critchem.services import investment
from critchem.web import investment_figures
from critchem.web.pages import capacity_page
from critchem.web.pages.capacity_page import CapacityPageOut
from critchem.web.render import page, twin, with_query
from critchem.web.session import page_principal

router = APIRouter(include_in_schema=False)

Selected = Annotated[
    list[str] | None,
    Query(max_length=500, description="Project ids (repeat); default: the selection."),
]
Given = Annotated[bool, Query(description="Use exactly the selected ids, even none.")]


def _data(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    selected: list[str] | None,
    given: bool,
) -> CapacityPageOut:
    chosen = [s for s in selected or [] if s]
    return capacity_page.capacity_page(
        page_principal(request),
        pipeline=investment.default_pipeline_path(settings),
        accounts=accounts,
        selected=chosen if chosen or given else None,
        ip=client_ip(request),
        store_root=settings.store,
    )


@router.get("/capacity.json")
def capacity_json(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    selected: Selected = None,
    given: Given = False,
) -> JSONResponse:
    """The capacity page's data."""
    return twin(_data(request, settings, accounts, selected, given))


@router.get("/capacity", response_class=HTMLResponse)
def capacity(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    selected: Selected = None,
    given: Given = False,
) -> HTMLResponse:
    """The capacity-gap view with its bar chart, the map and the project choice."""
    data = _data(request, settings, accounts, selected, given)
    return page(
        request,
        "capacity.html.j2",
        title="Capacity gaps",
        twin=with_query(request, "/capacity.json"),
        data=data,
        charts=investment_figures.capacity_charts(data),
    )
