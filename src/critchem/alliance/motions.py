"""Opinions and recommendations: drafting, amendments, the vote, the result and publication.

A motion is drafted in a body (usually a working group): versions, comments and amendments
(each with its proposer and justification). The Steering Board puts it on a meeting's agenda
(``table``), which opens the vote in the meeting's body (the General Assembly for the
Alliance's opinions). One vote per member organisation, cast by its designated voter.
Amendments are voted before the text: the text takes no vote while an amendment is open, and
an adopted amendment becomes a new version of the text. Closing applies the body's quorum and
majority (``rules.decide``); an adopted opinion or recommendation gets its number, and is
published as HTML and PDF.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from critchem.accounts.roles import at_least
from critchem.alliance._base import ServiceBase, valid_id
from critchem.alliance.governance import body_member_ids, ensure_reference, vote_rules
from critchem.alliance.membership import Membership
from critchem.alliance.models import (
    MOTION_KINDS,
    Body,
    Comment,
    Meeting,
    Motion,
    MotionVersion,
    Organisation,
    Vote,
)
from critchem.alliance.rules import check_choice, decide
from critchem.alliance.schemas import (
    CommentOut,
    DecisionOut,
    MotionOut,
    VersionOut,
    VoteOut,
)
from critchem.alliance.validation import check_text
from critchem.core.errors import AllianceError, AllianceNotFoundError

PREFIX = {"opinion": "OP", "recommendation": "REC"}


def _voting_body(session: Session, motion: Motion) -> Body:
    if motion.meeting_id is not None:
        meeting = session.get(Meeting, motion.meeting_id)
        assert meeting is not None
        return meeting.body
    body = session.get(Body, motion.body_id)
    assert body is not None
    return body


def _visible(visibility: str, viewer_role: str) -> bool:
    if visibility == "public":
        return True
    if visibility == "members":
        return at_least(viewer_role, "member")
    return at_least(viewer_role, "secretariat")


class Motions(ServiceBase):
    """Drafting, amending, voting on and publishing the Alliance's texts."""

    @staticmethod
    def _motion(session: Session, motion_id: int) -> Motion:
        motion = session.get(Motion, motion_id) if valid_id(motion_id) else None
        if motion is None:
            raise AllianceNotFoundError(f"no motion {motion_id}")
        return motion

    def _out(self, session: Session, motion: Motion, viewer_role: str = "public") -> MotionOut:
        body = session.get(Body, motion.body_id)
        assert body is not None
        voting = _voting_body(session, motion)
        votes = session.scalars(
            select(Vote).where(Vote.motion_id == motion.id).order_by(Vote.cast_at, Vote.id)
        ).all()
        shown: list[VoteOut] | None = None
        if motion.state == "closed" and _visible(vote_rules(voting).visibility, viewer_role):
            names = {o.id: o.name for o in session.scalars(select(Organisation))}
            shown = [
                VoteOut(organisation=names[v.organisation_id], choice=v.choice, cast_at=v.cast_at)
                for v in votes
            ]
        amendments = session.scalars(
            select(Motion.id).where(Motion.parent_id == motion.id).order_by(Motion.id)
        )
        comments = session.scalars(
            select(Comment).where(Comment.motion_id == motion.id).order_by(Comment.id)
        )
        latest = motion.versions[-1]
        return MotionOut(
            id=motion.id,
            body=body.slug,
            meeting_id=motion.meeting_id,
            parent_id=motion.parent_id,
            kind=motion.kind,
            title=motion.title,
            state=motion.state,
            proposer=motion.proposer,
            justification=motion.justification,
            citations=list(motion.citations),
            text=latest.text,
            version=latest.number,
            versions=[
                VersionOut(
                    number=v.number,
                    text=v.text,
                    author=v.author,
                    note=v.note,
                    created_at=v.created_at,
                )
                for v in motion.versions
            ],
            comments=[
                CommentOut(author=c.author, text=c.text, created_at=c.created_at) for c in comments
            ],
            amendments=list(amendments),
            votes_cast=len(votes),
            yes=motion.yes,
            no=motion.no,
            abstain=motion.abstain,
            members=motion.members,
            quorum=motion.quorum,
            adopted=motion.adopted,
            number=motion.number,
            published_at=motion.published_at,
            votes=shown,
        )

    def create(
        self,
        *,
        body: str,
        kind: str,
        title: str,
        text: str,
        author: str,
        proposer: str,
        meeting_id: int | None = None,
        citations: list[str] | None = None,
    ) -> MotionOut:
        """Draft an opinion or a recommendation in ``body``; on a meeting's agenda if given."""
        if kind not in ("opinion", "recommendation"):
            raise AllianceError(f"kind: {kind!r} is not opinion or recommendation")
        if not text.strip():
            raise AllianceError("text: the motion has no text")
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            drafting = self._body(session, body)
            if meeting_id is not None:
                meeting = session.get(Meeting, meeting_id) if valid_id(meeting_id) else None
                if meeting is None:
                    raise AllianceNotFoundError(f"no meeting {meeting_id}")
            motion = Motion(
                body_id=drafting.id,
                meeting_id=meeting_id,
                kind=kind,
                title=check_text("title", title),
                state="open" if meeting_id is not None else "draft",
                proposer=proposer,
                citations=[c.strip() for c in citations or [] if c.strip()],
                created_at=self._clock(),
            )
            session.add(motion)
            session.flush()
            self._add_version(session, motion, text, author=author, note="")
            self._audit(
                session, author, "alliance.motion.create", f"motion:{motion.id}", {"kind": kind}
            )
            return self._out(session, motion)

    def revise(self, motion_id: int, text: str, *, author: str, note: str = "") -> MotionOut:
        """A new version of a draft's text."""
        with self._sessions() as session, session.begin():
            motion = self._motion(session, motion_id)
            if motion.state != "draft":
                raise AllianceError(
                    f"motion {motion_id} is {motion.state}: only a draft can be revised"
                )
            self._add_version(session, motion, text, author=author, note=note)
            self._audit(session, author, "alliance.motion.revise", f"motion:{motion.id}")
            return self._out(session, motion)

    def _add_version(
        self, session: Session, motion: Motion, text: str, *, author: str, note: str
    ) -> None:
        if not text.strip():
            raise AllianceError("text: the new version has no text")
        number = (
            session.scalar(
                select(func.max(MotionVersion.number)).where(MotionVersion.motion_id == motion.id)
            )
            or 0
        ) + 1
        session.add(
            MotionVersion(
                motion_id=motion.id,
                number=number,
                text=text,
                author=author,
                note=note[:500],
                created_at=self._clock(),
            )
        )
        session.flush()
        session.refresh(motion)

    def comment(self, motion_id: int, text: str, *, author: str) -> MotionOut:
        """Comment on a motion."""
        if not text.strip():
            raise AllianceError("text: the comment is empty")
        with self._sessions() as session, session.begin():
            motion = self._motion(session, motion_id)
            session.add(
                Comment(
                    motion_id=motion.id, author=author, text=text.strip(), created_at=self._clock()
                )
            )
            self._audit(session, author, "alliance.motion.comment", f"motion:{motion.id}")
            session.flush()
            return self._out(session, motion)

    def amend(
        self,
        motion_id: int,
        *,
        text: str,
        justification: str,
        proposer: int | str,
        author: str,
        title: str | None = None,
    ) -> MotionOut:
        """Propose an amendment: the replacement text, its proposer (a member) and why."""
        if not justification.strip():
            raise AllianceError("justification: an amendment needs its justification")
        with self._sessions() as session, session.begin():
            parent = self._motion(session, motion_id)
            if parent.kind == "amendment":
                raise AllianceError("an amendment cannot itself be amended: amend the text")
            if parent.state not in ("draft", "open"):
                raise AllianceError(
                    f"motion {motion_id} is {parent.state}: it can no longer be amended"
                )
            if parent.state == "open" and session.scalar(
                select(func.count()).select_from(Vote).where(Vote.motion_id == parent.id)
            ):
                raise AllianceError(
                    f"the vote on motion {motion_id} has started: amendments are closed"
                )
            org = Membership.approved(session, proposer)
            amendment = Motion(
                body_id=parent.body_id,
                meeting_id=parent.meeting_id,
                parent_id=parent.id,
                kind="amendment",
                title=check_text("title", title or f"Amendment to {parent.title}"),
                state=parent.state,
                proposer=org.name,
                justification=justification.strip(),
                created_at=self._clock(),
            )
            session.add(amendment)
            session.flush()
            self._add_version(session, amendment, text, author=author, note="")
            self._audit(
                session,
                author,
                "alliance.motion.amend",
                f"motion:{parent.id}",
                {"amendment": amendment.id, "proposer": org.name},
            )
            return self._out(session, amendment)

    def table(self, motion_id: int, meeting_id: int, *, actor: str) -> MotionOut:
        """The Steering Board puts a draft (and its amendments) on a meeting's agenda: voting opens."""
        with self._sessions() as session, session.begin():
            motion = self._motion(session, motion_id)
            if motion.kind == "amendment":
                raise AllianceError("table the text: its amendments follow it")
            if motion.state != "draft":
                raise AllianceError(
                    f"motion {motion_id} is {motion.state}: only a draft can be tabled"
                )
            meeting = session.get(Meeting, meeting_id) if valid_id(meeting_id) else None
            if meeting is None:
                raise AllianceNotFoundError(f"no meeting {meeting_id}")
            for item in [
                motion,
                *session.scalars(
                    select(Motion).where(Motion.parent_id == motion.id, Motion.state == "draft")
                ),
            ]:
                item.meeting_id, item.state = meeting.id, "open"
            self._audit(
                session,
                actor,
                "alliance.motion.table",
                f"motion:{motion.id}",
                {"meeting": meeting.id},
            )
            session.flush()
            return self._out(session, motion)

    def vote(
        self,
        motion_id: int,
        *,
        organisation: int | str,
        choice: str,
        actor: str,
        actor_organisation: str | None = None,
    ) -> MotionOut:
        """Record ``organisation``'s vote.

        ``actor_organisation`` is the organisation of a signed-in user voting for it: the user
        must belong to it and be its designated voter (when one is designated). Without it,
        the vote is recorded by the secretariat (e.g. cast in the meeting room).
        """
        try:
            checked = check_choice(choice)
        except ValueError as exc:
            raise AllianceError(f"choice: {exc}") from exc
        with self._sessions() as session, session.begin():
            motion = self._motion(session, motion_id)
            if motion.state == "closed":
                raise AllianceError(f"the vote on motion {motion_id} is closed: no more votes")
            if motion.state != "open":
                raise AllianceError(
                    f"motion {motion_id} is {motion.state}: it is not open for a vote"
                )
            open_amendments = session.scalars(
                select(Motion.id).where(
                    Motion.parent_id == motion.id, Motion.state.in_(("draft", "open"))
                )
            ).all()
            if open_amendments:
                listed = ", ".join(str(i) for i in open_amendments)
                raise AllianceError(
                    f"amendments are voted before the text: close amendment(s) {listed} first"
                )
            org = Membership.approved(session, organisation)
            if actor_organisation is not None:
                if actor_organisation.strip().lower() != org.name.lower():
                    raise AllianceError(
                        f"{actor} does not belong to {org.name!r}: they cannot vote for it"
                    )
                if org.voter_username and org.voter_username != actor:
                    raise AllianceError(
                        f"{org.name!r} votes through its designated voter {org.voter_username!r}"
                    )
            body = _voting_body(session, motion)
            if org.id not in body_member_ids(session, body):
                raise AllianceError(
                    f"{org.name!r} is not a member of the {body.name}: it cannot vote there"
                )
            rules = vote_rules(body)
            existing = session.scalar(
                select(Vote).where(Vote.motion_id == motion.id, Vote.organisation_id == org.id)
            )
            if existing is not None:
                if rules.revote == "refuse":
                    raise AllianceError(
                        f"{org.name!r} has already voted on motion {motion_id}: one vote per member"
                    )
                previous = existing.choice
                existing.choice, existing.cast_by, existing.cast_at = checked, actor, self._clock()
                self._audit(
                    session,
                    actor,
                    "alliance.vote.replace",
                    f"motion:{motion.id}",
                    {"organisation": org.name, "was": previous},
                )
            else:
                session.add(
                    Vote(
                        motion_id=motion.id,
                        organisation_id=org.id,
                        choice=checked,
                        cast_by=actor,
                        cast_at=self._clock(),
                    )
                )
                self._audit(
                    session,
                    actor,
                    "alliance.vote",
                    f"motion:{motion.id}",
                    {"organisation": org.name},
                )
            session.flush()
            return self._out(session, motion)

    def close(self, motion_id: int, *, actor: str) -> DecisionOut:
        """Close the vote: tally, quorum, majority; an adopted amendment amends the text."""
        with self._sessions() as session, session.begin():
            motion = self._motion(session, motion_id)
            if motion.state != "open":
                raise AllianceError(
                    f"motion {motion_id} is {motion.state}: only an open vote can be closed"
                )
            pending = session.scalars(
                select(Motion.id).where(
                    Motion.parent_id == motion.id, Motion.state.in_(("draft", "open"))
                )
            ).all()
            if pending:
                listed = ", ".join(str(i) for i in pending)
                raise AllianceError(
                    f"amendments are voted before the text: close amendment(s) {listed} first"
                )
            body = _voting_body(session, motion)
            members = len(body_member_ids(session, body))
            choices = session.scalars(select(Vote.choice).where(Vote.motion_id == motion.id)).all()
            decision = decide(choices, members, vote_rules(body))
            motion.yes, motion.no, motion.abstain = (
                decision.tally.yes,
                decision.tally.no,
                decision.tally.abstain,
            )
            motion.members, motion.quorum, motion.adopted = (
                members,
                decision.quorum,
                decision.adopted,
            )
            motion.state, motion.closed_at = "closed", self._clock()
            if decision.adopted and motion.parent_id is not None:
                parent = self._motion(session, motion.parent_id)
                self._add_version(
                    session,
                    parent,
                    motion.versions[-1].text,
                    author=motion.proposer,
                    note=f"amendment {motion.id} adopted",
                )
            if decision.adopted and motion.kind in PREFIX:
                year = motion.closed_at.year
                prefix = f"CCA/{PREFIX[motion.kind]}/{year}/"
                count = (
                    session.scalar(
                        select(func.count())
                        .select_from(Motion)
                        .where(Motion.number.like(f"{prefix}%"))
                    )
                    or 0
                )
                motion.number = f"{prefix}{count + 1:03d}"
            self._audit(
                session,
                actor,
                "alliance.vote.close",
                f"motion:{motion.id}",
                {
                    "yes": decision.tally.yes,
                    "no": decision.tally.no,
                    "abstain": decision.tally.abstain,
                    "quorum": decision.quorum,
                    "adopted": decision.adopted,
                },
            )
            session.flush()
            return DecisionOut(
                motion=motion.id,
                title=motion.title,
                yes=decision.tally.yes,
                no=decision.tally.no,
                abstain=decision.tally.abstain,
                members=members,
                quorum=decision.quorum,
                adopted=decision.adopted,
                number=motion.number,
            )

    def publish(self, motion_id: int, *, actor: str) -> MotionOut:
        """Publish an adopted opinion or recommendation (its number and date are fixed)."""
        with self._sessions() as session, session.begin():
            motion = self._motion(session, motion_id)
            if not motion.adopted or motion.kind not in PREFIX:
                raise AllianceError(
                    f"motion {motion_id} is not an adopted opinion or recommendation"
                )
            if motion.published_at is None:
                motion.published_at = self._clock()
                self._audit(
                    session,
                    actor,
                    "alliance.publish",
                    f"motion:{motion.id}",
                    {"number": motion.number},
                )
            session.flush()
            return self._out(session, motion)

    def show(self, motion_id: int, *, viewer_role: str = "public") -> MotionOut:
        """One motion; who voted what only as the voting body's rules allow ``viewer_role``."""
        with self._sessions() as session:
            return self._out(session, self._motion(session, motion_id), viewer_role)

    def list_motions(
        self, *, body: str | None = None, meeting_id: int | None = None, state: str | None = None
    ) -> list[MotionOut]:
        """Motions by id, filtered by drafting body, meeting or state."""
        with self._sessions() as session, session.begin():
            ensure_reference(session)
            query = select(Motion).order_by(Motion.id)
            if body:
                query = query.where(Motion.body_id == self._body(session, body).id)
            if meeting_id is not None:
                query = query.where(Motion.meeting_id == meeting_id)
            if state:
                query = query.where(Motion.state == state)
            return [self._out(session, m) for m in session.scalars(query)]

    def published(self) -> list[MotionOut]:
        """The published opinions and recommendations, newest first."""
        with self._sessions() as session:
            query = (
                select(Motion)
                .where(Motion.published_at.is_not(None))
                .order_by(Motion.published_at.desc())
            )
            return [self._out(session, m) for m in session.scalars(query)]


__all__ = ["MOTION_KINDS", "Motions"]
