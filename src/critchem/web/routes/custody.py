"""``/custody``: the signed-in organisation's chain-of-custody records and mass-balance accounts.

As in the API, a record is shown to its two parties and the secretariat only; anyone else gets
the same "no custody record" as for an id never recorded. ``/custody/records/{id}`` traces a
batch back to its origins (records the viewer is no party to show no parties, batch or
quantities); ``/custody/accounts/{id}`` is a site account's statement per period. Every page
has its JSON twin. Without signing in, the pages show no record.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from critchem.accounts.roles import Principal
from critchem.carbon.custody import CustodyBook, RecordOut, Trace, Viewer
from critchem.carbon.custody.accounts import Statement
from critchem.carbon.custody.schemas import RECORD_ID, AccountOut
from critchem.services import custody
from critchem.web.render import page, twin, with_query
from critchem.web.session import page_principal

router = APIRouter(include_in_schema=False)
RecordId = Annotated[str, Path(pattern=RECORD_ID)]
Until = Annotated[date | None, Query()]


class CustodyPageOut(BaseModel):
    """The records and accounts the viewer may see."""

    viewer: str
    records: list[RecordOut]
    accounts: list[AccountOut]


class RecordPageOut(BaseModel):
    """A record and its trace back to the origins."""

    record: RecordOut
    trace: Trace


def _viewer(request: Request) -> Viewer:
    """The signed-in principal as a viewer; nobody (no record) when not signed in."""
    principal: Principal = page_principal(request)
    if not principal.username:
        return Viewer(organisation="", actor="anonymous")
    return custody.viewer_of(principal)


def _book(request: Request) -> CustodyBook:
    return custody.book(request.app.state.alert_store.session)


def _who(viewer: Viewer) -> str:
    if viewer.actor == "anonymous":
        return "not signed in (sign in to see your organisation's records)"
    if viewer.secretariat:
        return "the secretariat (every record)"
    return viewer.organisation or "no organisation (no record)"


def _index(request: Request) -> CustodyPageOut:
    viewer, book = _viewer(request), _book(request)
    return CustodyPageOut(
        viewer=_who(viewer), records=book.records(viewer), accounts=book.accounts(viewer)
    )


def _record(request: Request, record_id: str) -> RecordPageOut:
    viewer, book = _viewer(request), _book(request)
    return RecordPageOut(record=book.get(record_id, viewer), trace=book.trace(record_id, viewer))


def _statement(request: Request, account_id: str, until: date | None) -> Statement:
    return _book(request).statement(account_id, _viewer(request), until)


@router.get("/custody.json")
def custody_json(request: Request) -> JSONResponse:
    """The viewer's records and accounts."""
    return twin(_index(request))


@router.get("/custody", response_class=HTMLResponse)
def custody_page(request: Request) -> HTMLResponse:
    """The viewer's chain-of-custody records and site mass-balance accounts."""
    return page(
        request,
        "custody.html.j2",
        title="Chain of custody",
        twin="/custody.json",
        data=_index(request),
    )


@router.get("/custody/records/{record_id}.json")
def record_json(request: Request, record_id: RecordId) -> JSONResponse:
    """A record and its trace."""
    return twin(_record(request, record_id))


@router.get("/custody/records/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, record_id: RecordId) -> HTMLResponse:
    """A record, traced back through its suppliers to the origins."""
    return page(
        request,
        "custody_record.html.j2",
        title=f"Custody record {record_id}",
        twin=f"/custody/records/{record_id}.json",
        data=_record(request, record_id),
    )


@router.get("/custody/accounts/{account_id}.json")
def account_json(request: Request, account_id: RecordId, until: Until = None) -> JSONResponse:
    """A site account's statement."""
    return twin(_statement(request, account_id, until))


@router.get("/custody/accounts/{account_id}", response_class=HTMLResponse)
def account_page(request: Request, account_id: RecordId, until: Until = None) -> HTMLResponse:
    """A site's mass-balance account per period: credits in, claims out, expired, carried."""
    return page(
        request,
        "custody_account.html.j2",
        title=f"Mass-balance account {account_id}",
        twin=with_query(request, f"/custody/accounts/{account_id}.json"),
        data=_statement(request, account_id, until),
    )
