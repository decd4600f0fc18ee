"""Membership by declaration: apply, review, approve or reject, withdraw, re-apply.

An organisation applies by signing the declaration (``apply``): the signature records the
declaration's version and the SHA-256 of the text signed, the signatory, the time and the
source address, and can never be altered. The secretariat approves, rejects with a reason or
asks for information (``review``). An approved organisation's users (accounts whose
``organisation`` is its name) act for it; its designated voter casts its votes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from critchem.alliance._base import ServiceBase
from critchem.alliance.declaration import CURRENT_VERSION, declaration
from critchem.alliance.models import Organisation, Signature
from critchem.alliance.schemas import MemberOut, OrganisationOut, SignatureOut
from critchem.alliance.validation import (
    check_country,
    check_email,
    check_list,
    check_size,
    check_text,
    check_transparency_id,
    check_type,
)
from critchem.core.errors import AllianceError

REVIEWABLE = ("pending", "info_requested")


def signature_digest(
    *,
    organisation: str,
    version: str,
    language: str,
    text_sha256: str,
    signatory: str,
    email: str,
    signed_at: datetime,
    address: str | None,
) -> str:
    """SHA-256 over the signed facts (canonical JSON): a later change of any field shows."""
    facts = {
        "organisation": organisation,
        "version": version,
        "language": language,
        "text_sha256": text_sha256,
        "signatory": signatory,
        "email": email,
        "signed_at": signed_at.isoformat(),
        "address": address,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def _signature_out(sig: Signature) -> SignatureOut:
    return SignatureOut(
        id=sig.id,
        declaration_version=sig.declaration_version,
        language=sig.language,
        text_sha256=sig.text_sha256,
        signatory=sig.signatory,
        signed_at=sig.signed_at,
        digest=sig.digest,
    )


def organisation_out(org: Organisation) -> OrganisationOut:
    """The secretariat's view of an organisation."""
    return OrganisationOut(
        id=org.id,
        name=org.name,
        type=org.org_type,
        country=org.country,
        size=org.size,
        sectors=list(org.sectors),
        molecules=list(org.molecules),
        value_chains=list(org.value_chains),
        transparency_id=org.transparency_id,
        contact_name=org.contact_name,
        contact_email=org.contact_email,
        show_contact=org.show_contact,
        voter_username=org.voter_username,
        status=org.status,
        reason=org.reason,
        applied_at=org.applied_at,
        decided_at=org.decided_at,
        decided_by=org.decided_by,
        signatures=[_signature_out(s) for s in org.signatures],
    )


def member_out(org: Organisation) -> MemberOut:
    """The public directory's view: contact details only when the member opted in."""
    return MemberOut(
        id=org.id,
        name=org.name,
        type=org.org_type,
        country=org.country,
        member_since=org.decided_at,
        contact_name=org.contact_name if org.show_contact else None,
        contact_email=org.contact_email if org.show_contact else None,
    )


class Membership(ServiceBase):
    """Applications, reviews and the member directory."""

    def apply(
        self,
        *,
        name: str,
        org_type: str,
        country: str,
        signatory: str,
        email: str,
        accept_declaration: bool,
        size: str | None = None,
        sectors: list[str] | None = None,
        molecules: list[str] | None = None,
        value_chains: list[str] | None = None,
        transparency_id: str | None = None,
        show_contact: bool = False,
        voter_username: str | None = None,
        language: str = "en",
        declaration_version: str = CURRENT_VERSION,
        address: str | None = None,
    ) -> OrganisationOut:
        """Record an application and its signed declaration; status ``pending``.

        A rejected or withdrawn organisation may apply again (same record, a new signature);
        a pending or approved one may not.
        """
        if not accept_declaration:
            raise AllianceError(
                "accept_declaration: the declaration must be signed to apply "
                "(read it with `critchem alliance declaration`)"
            )
        name = check_text("name", name)
        fields = {
            "org_type": check_type(org_type),
            "country": check_country(country),
            "size": check_size(size),
            "sectors": check_list("sectors", sectors),
            "molecules": check_list("molecules", molecules),
            "value_chains": check_list("value_chains", value_chains),
            "transparency_id": check_transparency_id(transparency_id),
            "contact_name": check_text("signatory", signatory, limit=200),
            "contact_email": check_email(email),
            "show_contact": bool(show_contact),
            "voter_username": (voter_username or "").strip() or None,
        }
        text = declaration(language, declaration_version)
        now = self._clock()
        with self._sessions() as session, session.begin():
            org = session.scalar(select(Organisation).where(Organisation.name.ilike(name)))
            if org is not None and org.status not in ("rejected", "withdrawn"):
                raise AllianceError(
                    f"name: {org.name!r} has already applied (status {org.status}); "
                    "a new application is possible after a rejection or a withdrawal"
                )
            if org is None:
                org = Organisation(name=name, applied_at=now, **fields)
                session.add(org)
            else:
                for key, value in fields.items():
                    setattr(org, key, value)
                org.applied_at = now
            org.status, org.reason, org.decided_at, org.decided_by = "pending", None, None, None
            session.flush()
            session.add(
                Signature(
                    organisation_id=org.id,
                    declaration_version=text.version,
                    language=text.language,
                    text_sha256=text.sha256,
                    signatory=fields["contact_name"],
                    signatory_email=fields["contact_email"],
                    signed_at=now,
                    source_address=address,
                    digest=signature_digest(
                        organisation=org.name,
                        version=text.version,
                        language=text.language,
                        text_sha256=text.sha256,
                        signatory=str(fields["contact_name"]),
                        email=str(fields["contact_email"]),
                        signed_at=now,
                        address=address,
                    ),
                )
            )
            self._audit(
                session,
                str(fields["contact_name"]),
                "alliance.apply",
                f"organisation:{org.id}",
                {"name": org.name, "declaration": text.version, "sha256": text.sha256},
                ip=address,
            )
            session.flush()
            session.refresh(org)
            return organisation_out(org)

    def review(
        self,
        ref: int | str,
        *,
        decision: str,
        actor: str,
        reason: str | None = None,
    ) -> OrganisationOut:
        """``approve``, ``reject`` (a reason is required) or ``ask-info`` (a question)."""
        if decision not in ("approve", "reject", "ask-info"):
            raise AllianceError(f"decision: {decision!r} is not approve, reject or ask-info")
        if decision != "approve" and not (reason or "").strip():
            raise AllianceError(f"reason: a {decision} needs a reason or a question")
        with self._sessions() as session, session.begin():
            org = self._organisation(session, ref)
            if org.status not in REVIEWABLE:
                raise AllianceError(
                    f"{org.name!r} is {org.status}: only a pending application (or one "
                    "waiting for information) can be reviewed"
                )
            org.status = {
                "approve": "approved",
                "reject": "rejected",
                "ask-info": "info_requested",
            }[decision]
            org.reason = (reason or "").strip() or None
            org.decided_at = self._clock() if decision != "ask-info" else None
            org.decided_by = actor if decision != "ask-info" else None
            self._audit(
                session, actor, f"alliance.{decision}", f"organisation:{org.id}", {"reason": reason}
            )
            session.flush()
            return organisation_out(org)

    def withdraw(self, ref: int | str, *, actor: str) -> OrganisationOut:
        """Withdraw a member or an application: it stops voting at once."""
        with self._sessions() as session, session.begin():
            org = self._organisation(session, ref)
            if org.status in ("withdrawn", "rejected"):
                raise AllianceError(f"{org.name!r} is already {org.status}")
            org.status = "withdrawn"
            org.decided_at, org.decided_by = self._clock(), actor
            self._audit(session, actor, "alliance.withdraw", f"organisation:{org.id}")
            session.flush()
            return organisation_out(org)

    def set_voter(self, ref: int | str, username: str, *, actor: str) -> OrganisationOut:
        """Designate the user who casts the organisation's votes."""
        with self._sessions() as session, session.begin():
            org = self._organisation(session, ref)
            org.voter_username = username.strip() or None
            self._audit(
                session, actor, "alliance.voter", f"organisation:{org.id}", {"voter": username}
            )
            session.flush()
            return organisation_out(org)

    def get(self, ref: int | str) -> OrganisationOut:
        """One organisation (secretariat view)."""
        with self._sessions() as session:
            return organisation_out(self._organisation(session, ref))

    def applications(self, status: str | None = None) -> list[OrganisationOut]:
        """Every application, newest first, optionally of one status."""
        with self._sessions() as session:
            query = select(Organisation).order_by(
                Organisation.applied_at.desc(), Organisation.id.desc()
            )
            if status:
                query = query.where(Organisation.status == status)
            return [organisation_out(o) for o in session.scalars(query)]

    def members(self) -> list[OrganisationOut]:
        """The approved members, by name."""
        return sorted(self.applications("approved"), key=lambda o: o.name.lower())

    def directory(self) -> list[MemberOut]:
        """The public member directory: name, type and country (contact only if opted in)."""
        with self._sessions() as session:
            query = (
                select(Organisation)
                .where(Organisation.status == "approved")
                .order_by(Organisation.name)
            )
            return [member_out(o) for o in session.scalars(query)]

    @staticmethod
    def approved(session: Session, ref: int | str) -> Organisation:
        """The organisation ``ref`` if it is an approved member; why not otherwise."""
        org = ServiceBase._organisation(session, ref)
        if org.status != "approved":
            raise AllianceError(
                f"{org.name!r} is not a member of the Alliance (status {org.status})"
            )
        return org
