"""``/alerts``: list, show, acknowledge and close surveillance alerts.

Reading is open to everyone; acknowledging and closing change an alert's state, need the
analyst role, are recorded under the authenticated user's name and written to the audit log.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from critchem.api.deps import AlertStoreDep
from critchem.api.problems import problem_responses
from critchem.api.schemas import MAX_PAGE, AcknowledgeIn, CloseIn, IsoDate, Page
from critchem.api.security import AccountsDep, Analyst, client_ip
from critchem.services import alerts
from critchem.services.alerts import AlertDetailOut, AlertOut

router = APIRouter(prefix="/alerts", tags=["alerts"])

State = Literal["new", "acknowledged", "closed"]
Severity = Literal["info", "amber", "red"]
AlertId = Annotated[int, Path(ge=1, le=2**62, description="Alert id.")]
TRANSITION_PROBLEMS = problem_responses(403, 409)
"""A transition needs the analyst role (403) and a state that allows it (409)."""


@router.get("", response_model=Page[AlertOut], summary="List alerts")
def list_alerts(
    store: AlertStoreDep,
    state: State | None = None,
    severity: Severity | None = None,
    molecule: Annotated[str | None, Query(max_length=100, description="Molecule id.")] = None,
    product: Annotated[str | None, Query(max_length=20, description="CN8 code.")] = None,
    since: Annotated[
        IsoDate | None, Query(description="Last seen on or after (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> Response:
    """Alerts matching every filter given, latest period first.

    The JSON of a page is kept in the store's memo until an alert changes: the most asked
    route then answers without querying or serialising the page again.
    """

    def render() -> bytes:
        items, total = alerts.page_alerts(
            store,
            state=state,
            severity=severity,
            molecule=molecule,
            product=product,
            since=since,
            limit=limit,
            offset=offset,
        )
        page = Page[AlertOut](items=items, total=total, limit=limit, offset=offset)
        return page.model_dump_json().encode()

    key = ("page.json", state, severity, molecule, product, since, limit, offset)
    return Response(store.memo.get(key, store.version(), render), media_type="application/json")


@router.get("/{alert_id}", response_model=AlertDetailOut, summary="Show one alert")
def show_alert(alert_id: AlertId, store: AlertStoreDep) -> AlertDetailOut:
    """One alert with its provenance, evidence, events and state history."""
    return alerts.show_alert(store, alert_id)


@router.post(
    "/{alert_id}/ack",
    response_model=AlertOut,
    summary="Acknowledge an alert",
    responses=TRANSITION_PROBLEMS,
)
def acknowledge(
    alert_id: AlertId,
    body: AcknowledgeIn,
    store: AlertStoreDep,
    accounts: AccountsDep,
    analyst: Analyst,
    request: Request,
) -> AlertOut:
    """Acknowledge a new alert (analyst role); any other state is a 409."""
    return alerts.acknowledge_as(
        store, accounts, analyst, alert_id, note=body.note, ip=client_ip(request)
    )


@router.post(
    "/{alert_id}/close",
    response_model=AlertOut,
    summary="Close an alert",
    responses=TRANSITION_PROBLEMS,
)
def close(
    alert_id: AlertId,
    body: CloseIn,
    store: AlertStoreDep,
    accounts: AccountsDep,
    analyst: Analyst,
    request: Request,
) -> AlertOut:
    """Close a new or acknowledged alert with a reason (analyst role); a closed alert is a 409."""
    return alerts.close_as(
        store, accounts, analyst, alert_id, reason=body.reason, ip=client_ip(request)
    )
