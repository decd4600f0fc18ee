"""The Alliance's bodies, seats, working-group membership, meetings, documents and work programme.

The bodies and the first deliverables ship as data (``data/bodies.yaml``,
``data/work_programme.yaml``) and are written to the database on first use; the Steering
Board may create more working groups (``create_body``).
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from critchem.alliance._base import ServiceBase, valid_id
from critchem.alliance.membership import Membership
from critchem.alliance.models import (
    Body,
    BodyMember,
    Deliverable,
    Document,
    Meeting,
    Motion,
    Organisation,
    Seat,
)
from critchem.alliance.rules import VoteRules
from critchem.alliance.schemas import BodyOut, DeliverableOut, MeetingOut, SeatOut
from critchem.alliance.validation import check_text
from critchem.core.errors import AllianceError, AllianceNotFoundError

SLUG = re.compile(r"^[a-z][a-z0-9-]{1,62}$")


@cache
def _data(name: str) -> dict[str, Any]:
    text = resources.files("critchem.alliance").joinpath("data", name).read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def translated(kind: str, slug: str, lang: str) -> dict[str, str]:
    """The fields of a shipped body (``kind="bodies"``) or deliverable (``"deliverables"``) in
    ``lang`` (``name``/``remit`` or ``title``), empty when the data has none in that language."""
    name = "bodies.yaml" if kind == "bodies" else "work_programme.yaml"
    for spec in _data(name)[kind]:
        if spec["slug"] == slug:
            found: dict[str, str] = spec.get("translations", {}).get(lang, {})
            return dict(found)
    return {}


def vote_rules(body: Body) -> VoteRules:
    """The voting rules of ``body`` as declared in its data."""
    rules = body.rules or {}
    return VoteRules(
        quorum=Fraction(str(rules.get("quorum", "1/2"))),
        majority=rules.get("majority", "simple"),
        abstentions_count=bool(rules.get("abstentions_count", False)),
        revote=rules.get("revote", "refuse"),
        visibility=rules.get("visibility", "members"),
    )


def ensure_reference(session: Session) -> None:
    """Write the shipped bodies and deliverables that the database does not have yet."""
    known = set(session.scalars(select(Body.slug)))
    for spec in _data("bodies.yaml")["bodies"]:
        if spec["slug"] not in known:
            session.add(
                Body(
                    slug=spec["slug"],
                    kind=spec["kind"],
                    name=spec["name"],
                    remit=spec.get("remit", ""),
                    membership=spec["membership"],
                    rules=dict(spec.get("rules", {})),
                )
            )
    have = set(session.scalars(select(Deliverable.slug)))
    for spec in _data("work_programme.yaml")["deliverables"]:
        if spec["slug"] not in have:
            session.add(
                Deliverable(slug=spec["slug"], title=spec["title"], outputs=spec.get("outputs", []))
            )
    session.flush()


def body_member_ids(session: Session, body: Body) -> list[int]:
    """The approved organisations that vote in ``body``.

    The General Assembly: every approved member. The Steering Board: the organisations that
    hold a seat. A working group: the organisations that joined it.
    """
    approved = select(Organisation.id).where(Organisation.status == "approved")
    if body.membership == "all-members":
        return list(session.scalars(approved.order_by(Organisation.id)))
    if body.membership == "seats":
        query = select(Seat.organisation_id).where(
            Seat.body_id == body.id, Seat.organisation_id.in_(approved)
        )
    else:
        query = select(BodyMember.organisation_id).where(
            BodyMember.body_id == body.id, BodyMember.organisation_id.in_(approved)
        )
    return sorted({int(i) for i in session.scalars(query) if i is not None})


def _names(session: Session, ids: list[int]) -> list[str]:
    if not ids:
        return []
    return list(
        session.scalars(
            select(Organisation.name).where(Organisation.id.in_(ids)).order_by(Organisation.name)
        )
    )


class Governance(ServiceBase):
    """Bodies, seats, working groups, meetings, documents and deliverables."""

    def body(self, slug: str) -> BodyOut:
        """One body with its members, chairs and seats."""
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            return self._body_out(session, self._body(session, slug))

    def bodies(self) -> list[BodyOut]:
        """Every body: the General Assembly, the Steering Board, then the working groups."""
        order = {"assembly": 0, "board": 1, "working-group": 2}
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            found = sorted(
                session.scalars(select(Body)), key=lambda b: (order.get(b.kind, 3), b.id)
            )
            return [self._body_out(session, b) for b in found]

    def _body_out(self, session: Session, body: Body) -> BodyOut:
        chairs = select(BodyMember.organisation_id).where(
            BodyMember.body_id == body.id, BodyMember.role == "chair"
        )
        seats = session.scalars(select(Seat).where(Seat.body_id == body.id).order_by(Seat.id))
        return BodyOut(
            slug=body.slug,
            kind=body.kind,
            name=body.name,
            remit=body.remit,
            membership=body.membership,
            rules=dict(body.rules),
            members=_names(session, body_member_ids(session, body)),
            chairs=_names(session, [int(i) for i in session.scalars(chairs)]),
            seats=[
                SeatOut(
                    id=s.id,
                    name=s.name,
                    category=s.category,
                    organisation=(
                        session.get(Organisation, s.organisation_id).name  # type: ignore[union-attr]
                        if s.organisation_id
                        else None
                    ),
                    holder=s.holder,
                    term_start=s.term_start,
                    term_end=s.term_end,
                )
                for s in seats
            ],
        )

    def create_body(self, slug: str, name: str, remit: str, *, actor: str) -> BodyOut:
        """A new working group created by the Steering Board (default working-group rules)."""
        if not SLUG.match(slug):
            raise AllianceError(f"slug: {slug!r} must be lower-case letters, digits and hyphens")
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            if session.scalar(select(Body.id).where(Body.slug == slug)) is not None:
                raise AllianceError(f"slug: a body {slug!r} already exists")
            rules = dict(_data("bodies.yaml")["bodies"][-1]["rules"])
            body = Body(
                slug=slug,
                kind="working-group",
                name=check_text("name", name, limit=200),
                remit=remit.strip(),
                membership="open",
                rules=rules,
            )
            session.add(body)
            self._audit(session, actor, "alliance.body.create", f"body:{slug}")
            session.flush()
            return self._body_out(session, body)

    def join(self, slug: str, org: int | str, *, actor: str, role: str = "member") -> BodyOut:
        """An approved member joins a working group (``role``: member or chair)."""
        if role not in ("member", "chair"):
            raise AllianceError(f"role: {role!r} is not member or chair")
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            body = self._body(session, slug)
            if body.membership != "open":
                raise AllianceError(f"{body.name} is not a working group: it cannot be joined")
            member = Membership.approved(session, org)
            existing = session.scalar(
                select(BodyMember).where(
                    BodyMember.body_id == body.id, BodyMember.organisation_id == member.id
                )
            )
            if existing is None:
                session.add(
                    BodyMember(
                        body_id=body.id,
                        organisation_id=member.id,
                        role=role,
                        joined_at=self._clock(),
                    )
                )
            else:
                existing.role = role
            self._audit(
                session,
                actor,
                "alliance.join",
                f"body:{slug}",
                {"organisation": member.name, "role": role},
            )
            session.flush()
            return self._body_out(session, body)

    def add_seat(
        self,
        name: str,
        category: str,
        *,
        actor: str,
        organisation: int | str | None = None,
        holder: str | None = None,
        term_start: date | None = None,
        term_end: date | None = None,
    ) -> BodyOut:
        """A named seat of the Steering Board, with its holder and term."""
        categories = _data("bodies.yaml")["bodies"][1]["seat_categories"]
        if category not in categories:
            raise AllianceError(f"category: {category!r} is not one of {', '.join(categories)}")
        if term_start and term_end and term_end < term_start:
            raise AllianceError("term_end: the term ends before it starts")
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            board = self._body(session, "steering-board")
            org_id = Membership.approved(session, organisation).id if organisation else None
            session.add(
                Seat(
                    body_id=board.id,
                    name=check_text("name", name, limit=200),
                    category=category,
                    organisation_id=org_id,
                    holder=holder,
                    term_start=term_start,
                    term_end=term_end,
                )
            )
            self._audit(session, actor, "alliance.seat", "body:steering-board", {"seat": name})
            session.flush()
            return self._body_out(session, board)

    # -- meetings ---------------------------------------------------------------------------

    def create_meeting(
        self, body: str, when: date, title: str, *, actor: str, location: str = ""
    ) -> MeetingOut:
        """Schedule a meeting of ``body``."""
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            found = self._body(session, body)
            meeting = Meeting(
                body_id=found.id,
                date=when,
                title=check_text("title", title),
                location=location.strip(),
                created_at=self._clock(),
            )
            session.add(meeting)
            session.flush()
            self._audit(session, actor, "alliance.meeting.create", f"meeting:{meeting.id}")
            return self._meeting_out(session, meeting)

    def set_minutes(self, meeting_id: int, minutes: str, *, actor: str) -> MeetingOut:
        """Keep the minutes of a meeting."""
        with self._sessions() as session, session.begin():
            meeting = self._meeting(session, meeting_id)
            meeting.minutes = minutes
            self._audit(session, actor, "alliance.meeting.minutes", f"meeting:{meeting.id}")
            return self._meeting_out(session, meeting)

    @staticmethod
    def _meeting(session: Session, meeting_id: int) -> Meeting:
        meeting = session.get(Meeting, meeting_id) if valid_id(meeting_id) else None
        if meeting is None:
            raise AllianceNotFoundError(f"no meeting {meeting_id}")
        return meeting

    @staticmethod
    def _meeting_out(session: Session, meeting: Meeting) -> MeetingOut:
        motions = session.scalars(
            select(Motion.id).where(Motion.meeting_id == meeting.id).order_by(Motion.id)
        )
        return MeetingOut(
            id=meeting.id,
            body=meeting.body.slug,
            date=meeting.date,
            title=meeting.title,
            location=meeting.location,
            minutes=meeting.minutes,
            motions=list(motions),
        )

    def meeting(self, meeting_id: int) -> MeetingOut:
        """One meeting."""
        with self._sessions() as session:
            return self._meeting_out(session, self._meeting(session, meeting_id))

    def meetings(self, body: str | None = None) -> list[MeetingOut]:
        """The meetings, by date, of one body or all."""
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            query = select(Meeting).order_by(Meeting.date, Meeting.id)
            if body:
                query = query.where(Meeting.body_id == self._body(session, body).id)
            return [self._meeting_out(session, m) for m in session.scalars(query)]

    def add_document(
        self,
        body: str,
        title: str,
        *,
        actor: str,
        url: str | None = None,
        text: str | None = None,
        meeting_id: int | None = None,
    ) -> dict[str, Any]:
        """File a document with a body (by link or text)."""
        if not url and not text:
            raise AllianceError("a document needs a url or a text")
        if url and not url.startswith(("https://", "http://", "/")):
            raise AllianceError(f"url: {url!r} must be an http(s) address or a site path")
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            found = self._body(session, body)
            doc = Document(
                body_id=found.id,
                meeting_id=meeting_id,
                title=check_text("title", title),
                url=url,
                text=text,
                created_at=self._clock(),
            )
            session.add(doc)
            session.flush()
            self._audit(session, actor, "alliance.document", f"body:{body}", {"title": title})
            return {"id": doc.id, "body": body, "title": doc.title, "url": url}

    def documents(self, body: str) -> list[dict[str, Any]]:
        """The documents of a body, newest first."""
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            found = self._body(session, body)
            query = (
                select(Document).where(Document.body_id == found.id).order_by(Document.id.desc())
            )
            return [
                {
                    "id": d.id,
                    "title": d.title,
                    "url": d.url,
                    "text": d.text,
                    "meeting": d.meeting_id,
                }
                for d in session.scalars(query)
            ]

    # -- work programme --------------------------------------------------------------------

    def deliverables(self) -> list[DeliverableOut]:
        """The work programme: deliverables, owner working group, due date, status, outputs."""
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            out = []
            for d in session.scalars(select(Deliverable).order_by(Deliverable.id)):
                owner = session.get(Body, d.owner_body_id) if d.owner_body_id else None
                out.append(
                    DeliverableOut(
                        slug=d.slug,
                        title=d.title,
                        owner=owner.slug if owner else None,
                        due=d.due,
                        status=d.status,
                        outputs=list(d.outputs),
                    )
                )
            return out

    def set_deliverable(
        self,
        slug: str,
        *,
        actor: str,
        owner: str | None = None,
        due: date | None = None,
        status: str | None = None,
    ) -> DeliverableOut:
        """The Steering Board sets a deliverable's owner, due date or status."""
        if status and status not in ("planned", "in-progress", "delivered", "dropped"):
            raise AllianceError(
                f"status: {status!r} is not planned, in-progress, delivered or dropped"
            )
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            item = session.scalar(select(Deliverable).where(Deliverable.slug == slug))
            if item is None:
                raise AllianceNotFoundError(f"no deliverable {slug!r}")
            if owner:
                item.owner_body_id = self._body(session, owner).id
            if due:
                item.due = due
            if status:
                item.status = status
            self._audit(session, actor, "alliance.deliverable", f"deliverable:{slug}")
        return next(d for d in self.deliverables() if d.slug == slug)

    def counts(self) -> dict[str, int]:
        """How many members, applications pending, meetings and motions there are."""
        with self._sessions() as session:
            status = dict(
                session.execute(
                    select(Organisation.status, func.count()).group_by(Organisation.status)
                ).all()
            )
            return {
                "members": int(status.get("approved", 0)),
                "pending": int(status.get("pending", 0)) + int(status.get("info_requested", 0)),
                "meetings": int(session.scalar(select(func.count()).select_from(Meeting)) or 0),
                "motions": int(session.scalar(select(func.count()).select_from(Motion)) or 0),
            }
