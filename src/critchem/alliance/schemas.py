"""Public schemas of the Alliance: applications, members, bodies, meetings, motions and votes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class SignatureOut(BaseModel):
    """A signed declaration: version, language, text hash, signatory, time and address."""

    id: int
    declaration_version: str
    language: str
    text_sha256: str
    signatory: str
    signed_at: datetime
    digest: str


class OrganisationOut(BaseModel):
    """An applicant or member as the secretariat sees it."""

    id: int
    name: str
    type: str
    country: str
    size: str | None
    sectors: list[str]
    molecules: list[str]
    value_chains: list[str]
    transparency_id: str | None
    contact_name: str
    contact_email: str
    show_contact: bool
    voter_username: str | None
    status: str
    reason: str | None
    applied_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    signatures: list[SignatureOut]


class MemberOut(BaseModel):
    """A member in the public directory: contact details only when the member opted in."""

    id: int
    name: str
    type: str
    country: str
    member_since: datetime | None
    contact_name: str | None = None
    contact_email: str | None = None


class SeatOut(BaseModel):
    """A named seat of a body and its term."""

    id: int
    name: str
    category: str
    organisation: str | None
    holder: str | None
    term_start: date | None
    term_end: date | None


class BodyOut(BaseModel):
    """A body of the Alliance with its voting rules and its members."""

    slug: str
    kind: str
    name: str
    remit: str
    membership: str
    rules: dict[str, Any]
    members: list[str]
    chairs: list[str]
    seats: list[SeatOut]


class MeetingOut(BaseModel):
    """A meeting of a body."""

    id: int
    body: str
    date: date
    title: str
    location: str
    minutes: str | None
    motions: list[int]


class VersionOut(BaseModel):
    """One version of a motion's text."""

    number: int
    text: str
    author: str
    note: str
    created_at: datetime


class CommentOut(BaseModel):
    """A comment on a motion."""

    author: str
    text: str
    created_at: datetime


class VoteOut(BaseModel):
    """One organisation's vote (shown only as the body's rules allow)."""

    organisation: str
    choice: str
    cast_at: datetime


class MotionOut(BaseModel):
    """An opinion, recommendation or amendment, its current text and, once closed, its result."""

    id: int
    body: str
    meeting_id: int | None
    parent_id: int | None
    kind: str
    title: str
    state: str
    proposer: str
    justification: str | None
    citations: list[str]
    text: str
    version: int
    versions: list[VersionOut]
    comments: list[CommentOut]
    amendments: list[int]
    votes_cast: int
    yes: int | None
    no: int | None
    abstain: int | None
    members: int | None
    quorum: bool | None
    adopted: bool | None
    number: str | None
    published_at: datetime | None
    votes: list[VoteOut] | None


class DecisionOut(BaseModel):
    """The result of a closed vote."""

    motion: int
    title: str
    yes: int
    no: int
    abstain: int
    members: int
    quorum: bool
    adopted: bool
    number: str | None


class DeliverableOut(BaseModel):
    """An item of the work programme and the platform pages that deliver it."""

    slug: str
    title: str
    owner: str | None
    due: date | None
    status: str
    outputs: list[str]
