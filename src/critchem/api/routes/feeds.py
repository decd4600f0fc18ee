"""``/feeds``: the Atom feed of the alerts (``/feeds/alerts.atom``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from critchem.api.deps import AlertStoreDep
from critchem.api.schemas import MAX_PAGE
from critchem.services import alerts
from critchem.services.feeds import ATOM_MEDIA_TYPE, alerts_feed

router = APIRouter(prefix="/feeds", tags=["alerts"])


@router.get(
    "/alerts.atom",
    summary="Atom feed of the alerts",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
)
def alerts_atom(
    request: Request,
    store: AlertStoreDep,
    molecule: Annotated[str | None, Query(max_length=100, description="Molecule id.")] = None,
    severity: Literal["info", "amber", "red"] | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> Response:
    """The latest alerts as an Atom (RFC 4287) feed, optionally of one molecule or severity."""
    items, _ = alerts.page_alerts(store, molecule=molecule, severity=severity, limit=limit)
    body = alerts_feed(
        items,
        self_url=str(request.url),
        site_url=str(request.base_url).rstrip("/") + "/api/v1/alerts",
        molecule=molecule,
        severity=severity,
    )
    return Response(body, media_type=ATOM_MEDIA_TYPE)
