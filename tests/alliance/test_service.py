"""Membership, governance, drafting and voting through the service, with the rules enforced."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from critchem.accounts.models import AuditEntry
from critchem.alliance import Alliance
from critchem.alliance.declaration import declaration
from critchem.alliance.models import Signature
from critchem.core.errors import AllianceError, AllianceNotFoundError
from tests.alliance.conftest import apply, member


def test_application_records_the_signed_declaration(alliance: Alliance) -> None:
    org = alliance.membership.apply(
        name="Example Chemicals A",
        org_type="company",
        country="el",
        signatory="Ana Example",
        email="ana@example.org",
        accept_declaration=True,
        transparency_id="153882995425-37",
        sectors=["fertilisers", "fertilisers", " "],
        language="fr",
        address="192.0.2.1",
    )
    assert (org.status, org.country, org.sectors) == ("pending", "GR", ["fertilisers"])
    [sig] = org.signatures
    assert sig.declaration_version == "1" and sig.language == "fr"
    assert sig.text_sha256 == declaration("fr").sha256
    assert sig.signatory == "Ana Example"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("accept_declaration", False, "declaration must be signed"),
        ("transparency_id", "1234-5", "transparency_id"),
        ("org_type", "bank", "type: 'bank' is not one of"),
        ("country", "XX", "country: 'XX'"),
        ("email", "not-an-address", "email:"),
        ("name", "  ", "name: required"),
    ],
)
def test_bad_applications_are_refused_with_the_field(
    alliance: Alliance, field: str, value: object, message: str
) -> None:
    fields: dict[str, object] = {
        "name": "Example Chemicals B",
        "org_type": "company",
        "country": "DE",
        "signatory": "Bo",
        "email": "bo@example.org",
        "accept_declaration": True,
    }
    fields[field] = value
    with pytest.raises(AllianceError, match=message):
        alliance.membership.apply(**fields)
    assert alliance.membership.applications() == []


def test_a_signature_cannot_be_altered(alliance: Alliance, alert_db_url: str) -> None:
    from critchem.surveillance.alerts import AlertStore

    apply(alliance, "Example Chemicals A")
    store = AlertStore(alert_db_url)
    try:
        with store.session() as session, session.begin():
            signature = session.scalars(select(Signature)).one()
            signature.signatory = "Someone else"
            with pytest.raises(PermissionError, match="cannot be altered"):
                session.flush()
            session.rollback()
    finally:
        store.dispose()


def test_review_approve_reject_and_reapply(alliance: Alliance) -> None:
    first = apply(alliance, "Example Chemicals A")
    second = apply(alliance, "Example Association B", org_type="association")
    with pytest.raises(AllianceError, match="needs a reason"):
        alliance.membership.review(second, decision="reject", actor="sec")
    alliance.membership.review(first, decision="approve", actor="sec")
    rejected = alliance.membership.review(
        second, decision="reject", actor="sec", reason="not active"
    )
    assert rejected.status == "rejected" and rejected.reason == "not active"
    with pytest.raises(AllianceError, match="only a pending application"):
        alliance.membership.review(first, decision="reject", actor="sec", reason="x")
    with pytest.raises(AllianceError, match="already applied"):
        apply(alliance, "example chemicals a")
    again = alliance.membership.get(
        apply(alliance, "Example Association B", org_type="association")
    )
    assert again.status == "pending" and len(again.signatures) == 2
    assert [m.name for m in alliance.membership.members()] == ["Example Chemicals A"]


def test_directory_shows_contacts_only_when_opted_in(alliance: Alliance) -> None:
    member(alliance, "Example Chemicals A")
    opted = apply(alliance, "Example Research C", org_type="research", show_contact=True)
    alliance.membership.review(opted, decision="approve", actor="sec")
    entries = {m.name: m for m in alliance.membership.directory()}
    assert entries["Example Chemicals A"].contact_email is None
    assert entries["Example Research C"].contact_email == "contact@example.org"


def _assembly_vote(alliance: Alliance, names: list[str]) -> tuple[int, int]:
    for name in names:
        member(alliance, name)
    meeting = alliance.governance.create_meeting(
        "general-assembly", date(2026, 6, 30), "Second General Assembly", actor="sec"
    )
    motion = alliance.motions.create(
        body="trade-resilience",
        kind="opinion",
        title="Opinion on early warning",
        text="The Alliance asks for a monthly bulletin.",
        author="drafter",
        proposer=names[0],
    )
    return meeting.id, motion.id


def test_the_whole_path_amendment_first_then_the_text(alliance: Alliance) -> None:
    names = ["Org A", "Org B", "Org C", "Org D"]
    meeting, motion = _assembly_vote(alliance, names)
    alliance.governance.join("trade-resilience", "Org A", actor="a")
    alliance.motions.revise(motion, "The Alliance asks for a weekly bulletin.", author="drafter")
    amendment = alliance.motions.amend(
        motion,
        text="The Alliance asks for a weekly bulletin in every EU language.",
        justification="Members read it in their language.",
        proposer="Org B",
        author="b",
    ).id
    with pytest.raises(AllianceError, match="not open for a vote"):
        alliance.motions.vote(motion, organisation="Org A", choice="yes", actor="sec")
    tabled = alliance.motions.table(motion, meeting, actor="board")
    assert tabled.state == "open" and tabled.amendments == [amendment]
    with pytest.raises(AllianceError, match="amendments are voted before the text"):
        alliance.motions.vote(motion, organisation="Org A", choice="yes", actor="sec")
    for org, choice in zip(names, ["yes", "yes", "no", "abstain"], strict=True):
        alliance.motions.vote(amendment, organisation=org, choice=choice, actor="sec")
    assert alliance.motions.close(amendment, actor="sec").adopted
    text = alliance.motions.show(motion)
    assert text.version == 3 and "every EU language" in text.text
    for org in names[:3]:
        alliance.motions.vote(motion, organisation=org, choice="yes", actor="sec")
    decision = alliance.motions.close(motion, actor="sec")
    assert (decision.yes, decision.no, decision.abstain, decision.quorum, decision.adopted) == (
        3,
        0,
        0,
        True,
        True,
    )
    assert decision.number == "CCA/OP/2026/001"
    with pytest.raises(AllianceError, match="closed: no more votes"):
        alliance.motions.vote(motion, organisation="Org D", choice="yes", actor="sec")
    published = alliance.motions.publish(motion, actor="sec")
    assert published.published_at is not None
    assert alliance.motions.show(motion, viewer_role="public").votes is None
    assert len(alliance.motions.show(motion, viewer_role="member").votes or []) == 3


def test_one_vote_per_member_and_only_members_vote(alliance: Alliance) -> None:
    meeting, motion = _assembly_vote(alliance, ["Org A", "Org B"])
    alliance.motions.table(motion, meeting, actor="board")
    outsider = apply(alliance, "Org Pending")
    alliance.motions.vote(motion, organisation="Org A", choice="yes", actor="sec")
    with pytest.raises(AllianceError, match="already voted"):
        alliance.motions.vote(motion, organisation="Org A", choice="no", actor="sec")
    with pytest.raises(AllianceError, match="not a member of the Alliance"):
        alliance.motions.vote(motion, organisation=outsider, choice="yes", actor="sec")
    alliance.membership.withdraw("Org B", actor="org b")
    with pytest.raises(AllianceError, match="status withdrawn"):
        alliance.motions.vote(motion, organisation="Org B", choice="yes", actor="sec")
    with pytest.raises(AllianceError, match="choice"):
        alliance.motions.vote(motion, organisation="Org A", choice="maybe", actor="sec")
    with pytest.raises(AllianceNotFoundError):
        alliance.motions.vote(motion, organisation="Nobody", choice="yes", actor="sec")


def test_working_groups_let_a_vote_be_replaced_while_open(alliance: Alliance) -> None:
    member(alliance, "Org A")
    member(alliance, "Org B")
    alliance.governance.join("innovation", "Org A", actor="a")
    meeting = alliance.governance.create_meeting("innovation", date(2026, 3, 1), "WG", actor="s")
    motion = alliance.motions.create(
        body="innovation",
        kind="recommendation",
        title="Pilot lines",
        text="Fund pilot lines.",
        author="a",
        proposer="Org A",
        meeting_id=meeting.id,
    ).id
    alliance.motions.vote(motion, organisation="Org A", choice="no", actor="a")
    alliance.motions.vote(motion, organisation="Org A", choice="yes", actor="a")
    with pytest.raises(AllianceError, match="not a member of the Working group on innovation"):
        alliance.motions.vote(motion, organisation="Org B", choice="yes", actor="b")
    decision = alliance.motions.close(motion, actor="s")
    assert (decision.yes, decision.no, decision.members, decision.adopted) == (1, 0, 1, True)
    assert decision.number == "CCA/REC/2026/001"


def test_the_designated_voter_casts_the_vote(alliance: Alliance) -> None:
    meeting, motion = _assembly_vote(alliance, ["Org A", "Org B"])
    alliance.motions.table(motion, meeting, actor="board")
    alliance.membership.set_voter("Org A", "ana", actor="sec")
    with pytest.raises(AllianceError, match="designated voter 'ana'"):
        alliance.motions.vote(
            motion, organisation="Org A", choice="yes", actor="bob", actor_organisation="Org A"
        )
    with pytest.raises(AllianceError, match="does not belong"):
        alliance.motions.vote(
            motion, organisation="Org A", choice="yes", actor="ana", actor_organisation="Org B"
        )
    alliance.motions.vote(
        motion, organisation="Org A", choice="yes", actor="ana", actor_organisation="Org A"
    )


def test_no_quorum_means_not_adopted(alliance: Alliance) -> None:
    meeting, motion = _assembly_vote(alliance, ["Org A", "Org B", "Org C"])
    alliance.motions.table(motion, meeting, actor="board")
    alliance.motions.vote(motion, organisation="Org A", choice="yes", actor="sec")
    decision = alliance.motions.close(motion, actor="sec")
    assert (decision.quorum, decision.adopted, decision.number) == (False, False, None)
    with pytest.raises(AllianceError, match="not an adopted"):
        alliance.motions.publish(motion, actor="sec")


def test_every_state_change_is_audited(alliance: Alliance, alert_db_url: str) -> None:
    from critchem.surveillance.alerts import AlertStore

    meeting, motion = _assembly_vote(alliance, ["Org A", "Org B"])
    alliance.motions.table(motion, meeting, actor="board")
    alliance.motions.vote(motion, organisation="Org A", choice="yes", actor="sec")
    alliance.motions.close(motion, actor="sec")
    store = AlertStore(alert_db_url)
    try:
        with store.session() as session:
            actions = set(session.scalars(select(AuditEntry.action)))
    finally:
        store.dispose()
    assert {
        "alliance.apply",
        "alliance.approve",
        "alliance.meeting.create",
        "alliance.motion.create",
        "alliance.motion.table",
        "alliance.vote",
        "alliance.vote.close",
    } <= actions


def test_bodies_ship_as_data_and_seats_have_terms(alliance: Alliance) -> None:
    slugs = [b.slug for b in alliance.governance.bodies()]
    assert slugs[:2] == ["general-assembly", "steering-board"]
    assert {"trade-resilience", "innovation", "sustainable-production"} <= set(slugs)
    member(alliance, "Example Association B")
    board = alliance.governance.add_seat(
        "Industry association seat 1",
        "industry-association",
        actor="sec",
        organisation="Example Association B",
        term_start=date(2026, 1, 13),
        term_end=date(2028, 1, 12),
    )
    assert board.members == ["Example Association B"]
    with pytest.raises(AllianceError, match="ends before it starts"):
        alliance.governance.add_seat(
            "x", "region", actor="s", term_start=date(2026, 2, 1), term_end=date(2026, 1, 1)
        )
    assert [d.slug for d in alliance.governance.deliverables()] == [
        "criteria",
        "mapping",
        "investment",
    ]
