"""``/funding``: run a portfolio optimisation (analyst role, CSRF-protected form) and its what-if.

``GET /funding`` shows the form; posting it to ``/funding`` shows the result and posting it
to ``/funding.json`` returns the same result as JSON (``GET /funding.json``: the form's data).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from critchem.api.deps import SettingsDep
from critchem.api.security import AccountsDep, client_ip
from critchem.services import investment
from critchem.web.pages import funding_page
from critchem.web.pages.funding_page import FundingPageOut
from critchem.web.render import page, twin
from critchem.web.session import CSRF_FIELD, check_csrf, page_principal

router = APIRouter(include_in_schema=False)


def _show(request: Request, data: FundingPageOut) -> HTMLResponse:
    return page(request, "funding.html.j2", title="Funding", twin="/funding.json", data=data)


async def _run(request: Request, settings: SettingsDep, accounts: AccountsDep) -> FundingPageOut:
    form = await request.form()
    token = form.get(CSRF_FIELD)
    check_csrf(request, token if isinstance(token, str) else None)
    fields = {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}
    principal = page_principal(request)
    funding_page.require_analyst(principal)
    return await run_in_threadpool(
        funding_page.funding_page,
        principal,
        pipeline=investment.default_pipeline_path(settings),
        accounts=accounts,
        request=funding_page.parse_form(fields),
        ip=client_ip(request),
    )


@router.get("/funding.json")
def funding_json(request: Request, settings: SettingsDep, accounts: AccountsDep) -> JSONResponse:
    """The form's data: objectives, instruments and budgets, candidates, time limit."""
    data = funding_page.funding_page(
        page_principal(request),
        pipeline=investment.default_pipeline_path(settings),
        accounts=accounts,
    )
    return twin(data)


@router.post("/funding.json")
async def funding_run_json(
    request: Request, settings: SettingsDep, accounts: AccountsDep
) -> JSONResponse:
    """Run the posted form and return the page's data as JSON."""
    return twin(await _run(request, settings, accounts))


@router.get("/funding", response_class=HTMLResponse)
def funding_form(request: Request, settings: SettingsDep, accounts: AccountsDep) -> HTMLResponse:
    """The optimisation form."""
    data = funding_page.funding_page(
        page_principal(request),
        pipeline=investment.default_pipeline_path(settings),
        accounts=accounts,
    )
    return _show(request, data)


@router.post("/funding", response_class=HTMLResponse)
async def funding_run(
    request: Request, settings: SettingsDep, accounts: AccountsDep
) -> HTMLResponse:
    """Run the posted form (analyst role, CSRF token) and show the portfolios side by side."""
    return _show(request, await _run(request, settings, accounts))
