"""``/custody``: chain-of-custody records, their trace back through suppliers, their footprints.

A record is visible to its two parties and the secretariat only; to anyone else every route
answers 404, as for an id never recorded. Members record the transfers their organisation
supplies (keys need the ``write:custody`` scope).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from critchem.accounts import Principal
from critchem.api.problems import problem_responses
from critchem.api.security import AccountsDep, client_ip, require_role
from critchem.carbon.custody import CustodyBook, RecordIn, RecordOut, Trace
from critchem.carbon.custody.accounts import Statement
from critchem.carbon.custody.schemas import RECORD_ID, AccountIn, AccountOut
from critchem.services import custody

router = APIRouter(tags=["custody"], responses=problem_responses(403))
Member = Annotated[Principal, Depends(require_role("member"))]
RecordId = Annotated[str, Path(pattern=RECORD_ID, description="The record's id.")]
AccountId = Annotated[str, Path(pattern=RECORD_ID, description="The account's id.")]


class FootprintsOut(BaseModel):
    """The PACT v3 footprints of a traced batch this host holds, and the ids it does not."""

    data: list[dict[str, Any]]
    missing: list[str]


def _book(request: Request) -> CustodyBook:
    return custody.book(request.app.state.alert_store.session)


@router.post(
    "/custody/records",
    response_model=RecordOut,
    status_code=201,
    summary="Record a batch transfer",
)
def add_record(
    body: RecordIn, request: Request, principal: Member, accounts: AccountsDep
) -> RecordOut:
    """Record a transfer the caller's organisation supplies; 400 names every broken rule."""
    record = _book(request).add_one(body, custody.viewer_of(principal))
    accounts.audit(
        principal.actor,
        "custody_record",
        f"custody record {record.id}",
        {"supplier": record.supplier, "recipient": record.recipient},
        ip=client_ip(request),
    )
    return record


@router.get("/custody/records", response_model=list[RecordOut], summary="Custody records")
def list_records(request: Request, principal: Member) -> list[RecordOut]:
    """The records the caller's organisation is a party to (all, for the secretariat)."""
    return _book(request).records(custody.viewer_of(principal))


@router.get("/custody/records/{record_id}", response_model=RecordOut, summary="One custody record")
def get_record(record_id: RecordId, request: Request, principal: Member) -> RecordOut:
    """The record, if the caller's organisation is a party to it (else 404)."""
    return _book(request).get(record_id, custody.viewer_of(principal))


@router.get(
    "/custody/records/{record_id}/trace",
    response_model=Trace,
    summary="Trace a batch back through its suppliers",
)
def trace_record(record_id: RecordId, request: Request, principal: Member) -> Trace:
    """The graph of input batches; records the caller is no party to show no parties."""
    return _book(request).trace(record_id, custody.viewer_of(principal))


@router.get(
    "/custody/records/{record_id}/footprints",
    response_model=FootprintsOut,
    summary="The traced batches' PACT v3 footprints",
)
def record_footprints(record_id: RecordId, request: Request, principal: Member) -> FootprintsOut:
    """The PACT v3 footprints the traced records cite that this host holds."""
    found = _book(request).footprints(record_id, custody.viewer_of(principal))
    return FootprintsOut(data=found["data"], missing=found["missing"])


@router.post(
    "/custody/accounts",
    response_model=AccountOut,
    status_code=201,
    summary="Declare a site's mass-balance account",
)
def declare_account(
    body: AccountIn, request: Request, principal: Member, accounts: AccountsDep
) -> AccountOut:
    """Open the account of one of the caller's sites; 400 names the records that overdraw it."""
    made = _book(request).declare_account(body, custody.viewer_of(principal))
    accounts.audit(
        principal.actor,
        "custody_account",
        f"mass-balance account {made.id}",
        {"organisation": made.organisation, "site": made.site, "product": made.product},
        ip=client_ip(request),
    )
    return made


@router.get(
    "/custody/accounts", response_model=list[AccountOut], summary="Site mass-balance accounts"
)
def list_accounts(request: Request, principal: Member) -> list[AccountOut]:
    """The accounts of the caller's organisation (all, for the secretariat)."""
    return _book(request).accounts(custody.viewer_of(principal))


@router.get(
    "/custody/accounts/{account_id}/statement",
    response_model=Statement,
    summary="A site's mass-balance account per period",
)
def account_statement(
    account_id: AccountId,
    request: Request,
    principal: Member,
    until: Annotated[date | None, Query(description="Last day booked.")] = None,
) -> Statement:
    """Opening, credits in, claims out, expired and closing per period, with the records."""
    return _book(request).statement(account_id, custody.viewer_of(principal), until)
