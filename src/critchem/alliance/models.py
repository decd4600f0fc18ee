"""The Alliance's tables as typed SQLAlchemy ORM models.

``Organisation`` is an applicant or member (its status moves ``pending`` → ``approved`` /
``rejected`` / ``info_requested`` → ``withdrawn``), ``Signature`` one signed declaration
(append-only: the ORM refuses to change or delete it), ``Body`` the General Assembly, the
Steering Board or a working group with its voting rules, ``Seat`` a named seat of the Board,
``BodyMember`` an organisation in a working group, ``Meeting`` and ``Document`` a body's
calendar and papers, ``Motion`` an opinion, recommendation or amendment with its
``MotionVersion``s and ``Comment``s, ``Vote`` one organisation's vote, ``Deliverable`` an item
of the work programme. They share the declarative ``Base`` of the application database, so
one Alembic history covers them (revision ``0006``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from critchem.core.database import Base, UtcDateTime, utcnow

ORG_STATES: tuple[str, ...] = ("pending", "info_requested", "approved", "rejected", "withdrawn")
ORG_TYPES: tuple[str, ...] = (
    "company",
    "association",
    "investor",
    "research",
    "civil-society",
    "public-authority",
)
ORG_SIZES: tuple[str, ...] = ("micro", "small", "medium", "large")
MOTION_KINDS: tuple[str, ...] = ("opinion", "recommendation", "amendment")
MOTION_STATES: tuple[str, ...] = ("draft", "open", "closed", "withdrawn")


class Organisation(Base):
    """An organisation that applied to the Alliance, with its status."""

    __tablename__ = "alliance_organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    org_type: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    size: Mapped[str | None] = mapped_column(String(16))
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    molecules: Mapped[list[str]] = mapped_column(JSON, default=list)
    value_chains: Mapped[list[str]] = mapped_column(JSON, default=list)
    transparency_id: Mapped[str | None] = mapped_column(String(32))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(320))
    show_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    voter_username: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))

    signatures: Mapped[list[Signature]] = relationship(
        back_populates="organisation", order_by="Signature.id"
    )


class Signature(Base):
    """One signature of the declaration: version, text hash, signatory, time and address.

    Append-only: ``before_update`` and ``before_delete`` listeners refuse any change.
    """

    __tablename__ = "alliance_signature"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("alliance_organisation.id"), index=True)
    declaration_version: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    text_sha256: Mapped[str] = mapped_column(String(64))
    signatory: Mapped[str] = mapped_column(String(200))
    signatory_email: Mapped[str] = mapped_column(String(320))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    source_address: Mapped[str | None] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))

    organisation: Mapped[Organisation] = relationship(back_populates="signatures")


def _refuse_change(mapper: Any, connection: Any, target: Signature) -> None:
    raise PermissionError(f"signature {target.id} is a signed record: it cannot be altered")


event.listen(Signature, "before_update", _refuse_change)
event.listen(Signature, "before_delete", _refuse_change)


class Body(Base):
    """The General Assembly, the Steering Board or a working group, with its voting rules."""

    __tablename__ = "alliance_body"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    remit: Mapped[str] = mapped_column(Text, default="")
    membership: Mapped[str] = mapped_column(String(16))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class BodyMember(Base):
    """An organisation's membership of a working group (or chair of it)."""

    __tablename__ = "alliance_body_member"
    __table_args__ = (UniqueConstraint("body_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("alliance_body.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("alliance_organisation.id"))
    role: Mapped[str] = mapped_column(String(16), default="member")
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Seat(Base):
    """A named seat of the Steering Board with its term."""

    __tablename__ = "alliance_seat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("alliance_body.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("alliance_organisation.id"))
    holder: Mapped[str | None] = mapped_column(String(200))
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)


class Meeting(Base):
    """A meeting of a body: date, title, place and minutes."""

    __tablename__ = "alliance_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("alliance_body.id"), index=True)
    date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(200), default="")
    minutes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    body: Mapped[Body] = relationship()


class Document(Base):
    """A paper of a body (agenda, background note, minutes), by link or text."""

    __tablename__ = "alliance_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("alliance_body.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("alliance_meeting.id"))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Motion(Base):
    """An opinion, a recommendation, or an amendment (``parent_id``) of one."""

    __tablename__ = "alliance_motion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("alliance_body.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("alliance_meeting.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("alliance_motion.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    proposer: Mapped[str] = mapped_column(String(300))
    justification: Mapped[str | None] = mapped_column(Text)
    citations: Mapped[list[str]] = mapped_column(JSON, default=list)
    yes: Mapped[int | None] = mapped_column(Integer)
    no: Mapped[int | None] = mapped_column(Integer)
    abstain: Mapped[int | None] = mapped_column(Integer)
    members: Mapped[int | None] = mapped_column(Integer)
    quorum: Mapped[bool | None] = mapped_column(Boolean)
    adopted: Mapped[bool | None] = mapped_column(Boolean)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    versions: Mapped[list[MotionVersion]] = relationship(
        order_by="MotionVersion.number", cascade="all, delete-orphan"
    )


class MotionVersion(Base):
    """One version of a motion's text."""

    __tablename__ = "alliance_motion_version"
    __table_args__ = (UniqueConstraint("motion_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("alliance_motion.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Comment(Base):
    """A comment on a motion."""

    __tablename__ = "alliance_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("alliance_motion.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Vote(Base):
    """One organisation's vote on a motion (one row per organisation and motion)."""

    __tablename__ = "alliance_vote"
    __table_args__ = (UniqueConstraint("motion_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("alliance_motion.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("alliance_organisation.id"))
    choice: Mapped[str] = mapped_column(String(8))
    cast_by: Mapped[str] = mapped_column(String(200))
    cast_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Deliverable(Base):
    """An item of the Steering Board's work programme."""

    __tablename__ = "alliance_deliverable"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    owner_body_id: Mapped[int | None] = mapped_column(ForeignKey("alliance_body.id"))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    outputs: Mapped[list[str]] = mapped_column(JSON, default=list)
