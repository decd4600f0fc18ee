"""``/alerts``: filter alerts; acknowledge one (analyst role, CSRF-protected form POST)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from critchem.api.deps import AlertStoreDep
from critchem.api.security import AccountsDep, client_ip
from critchem.services import alerts
from critchem.web.alert_figures import alert_chart
from critchem.web.pages import alert_detail, dashboard
from critchem.web.render import page, twin, with_query
from critchem.web.session import check_csrf, local_path, page_principal

router = APIRouter(include_in_schema=False)

Severity = Annotated[Literal["info", "amber", "red"] | None, Query()]
State = Annotated[Literal["new", "acknowledged", "closed"] | None, Query()]
MoleculeQuery = Annotated[str | None, Query(max_length=100)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=2**31)]


def _blank(value: str | None) -> str | None:
    return value or None


@router.get("/alerts.json")
def alerts_json(
    store: AlertStoreDep,
    severity: Severity = None,
    state: State = None,
    molecule: MoleculeQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    """The alerts page's data."""
    data = dashboard.alerts_page(
        store,
        severity=severity,
        state=state,
        molecule=_blank(molecule),
        limit=limit,
        offset=offset,
    )
    return twin(data)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    store: AlertStoreDep,
    severity: Annotated[str | None, Query(max_length=10)] = None,
    state: Annotated[str | None, Query(max_length=20)] = None,
    molecule: MoleculeQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> HTMLResponse:
    """The alerts page: a filter form, the matching alerts, an acknowledge button per alert."""
    checked_severity: Severity = _blank(severity)  # type: ignore[assignment]
    checked_state: State = _blank(state)  # type: ignore[assignment]
    if checked_severity not in (None, "info", "amber", "red"):
        checked_severity = None
    if checked_state not in (None, "new", "acknowledged", "closed"):
        checked_state = None
    data = dashboard.alerts_page(
        store,
        severity=checked_severity,
        state=checked_state,
        molecule=_blank(molecule),
        limit=limit,
        offset=offset,
    )
    return page(
        request,
        "alerts.html.j2",
        title="Alerts",
        twin=with_query(request, "/alerts.json"),
        data=data,
        back=with_query(request, request.url.path),
    )


AlertId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/alerts/{alert_id}.json")
def alert_json(alert_id: AlertId, store: AlertStoreDep) -> JSONResponse:
    """The alert console's data."""
    return twin(alert_detail.alert_page(store, alert_id))


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert_console(request: Request, alert_id: AlertId, store: AlertStoreDep) -> HTMLResponse:
    """One alert: its series and baseline, evidence, codes, detectors, linked events, history."""
    data = alert_detail.alert_page(store, alert_id)
    return page(
        request,
        "alert.html.j2",
        title=f"Alert {alert_id}",
        twin=f"/alerts/{alert_id}.json",
        data=data,
        chart=alert_chart(data),
    )


@router.post("/alerts/{alert_id}/ack")
def acknowledge(
    alert_id: Annotated[int, Path(ge=1, le=2**62)],
    request: Request,
    store: AlertStoreDep,
    accounts: AccountsDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=2000)] = "/alerts",
) -> RedirectResponse:
    """Acknowledge a new alert as the signed-in analyst, then go back to the list."""
    check_csrf(request, csrf_token)
    alerts.acknowledge_as(
        store,
        accounts,
        page_principal(request),
        alert_id,
        note=note or None,
        ip=client_ip(request),
    )
    return RedirectResponse(local_path(back, "/alerts"), status_code=303)
