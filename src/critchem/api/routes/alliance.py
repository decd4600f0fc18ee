"""``/alliance``: apply to join, the member directory, texts and votes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from critchem.accounts.roles import Principal
from critchem.alliance import Alliance
from critchem.alliance.schemas import MemberOut, MotionOut, OrganisationOut
from critchem.api.problems import problem_responses
from critchem.api.security import PrincipalDep, client_ip, require_role

router = APIRouter(tags=["alliance"], responses=problem_responses(400))
Member = Annotated[Principal, Depends(require_role("member"))]
MotionId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The motion's id.")]
LINE = r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"
"""One line of text, not blank, no control character."""


def _alliance(request: Request) -> Alliance:
    alliance: Alliance = request.app.state.alliance
    return alliance


class ApplicationIn(BaseModel):
    """An application to join the Alliance, signing its declaration."""

    name: str = Field(min_length=1, max_length=300, pattern=LINE)
    type: Literal[
        "company", "association", "investor", "research", "civil-society", "public-authority"
    ]
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code.")
    signatory: str = Field(min_length=1, max_length=200, pattern=LINE)
    email: str = Field(
        max_length=320, pattern=r"^[^@\s\x00-\x1f]{1,64}@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]{2,}$"
    )
    accept_declaration: Literal[True] = Field(description="The declaration must be signed.")
    size: Literal["micro", "small", "medium", "large"] | None = None
    sectors: list[Annotated[str, Field(max_length=100, pattern=LINE)]] = Field(
        default=[], max_length=50
    )
    molecules: list[Annotated[str, Field(max_length=100, pattern=LINE)]] = Field(
        default=[], max_length=200
    )
    value_chains: list[Annotated[str, Field(max_length=100, pattern=LINE)]] = Field(
        default=[], max_length=50
    )
    transparency_id: str | None = Field(default=None, pattern=r"^\d{9,12}-\d{2}$")
    show_contact: bool = False
    language: Literal["en", "fr", "de", "tr"] = "en"


class VoteIn(BaseModel):
    """A vote of the caller's organisation."""

    choice: Literal["yes", "no", "abstain"]


@router.post(
    "/alliance/applications",
    response_model=OrganisationOut,
    status_code=201,
    summary="Apply to join the Alliance",
)
def apply(body: ApplicationIn, request: Request) -> OrganisationOut:
    """Record an application with its signed declaration (status ``pending``)."""
    return _alliance(request).membership.apply(
        name=body.name,
        org_type=body.type,
        country=body.country,
        signatory=body.signatory,
        email=body.email,
        accept_declaration=body.accept_declaration,
        size=body.size,
        sectors=body.sectors,
        molecules=body.molecules,
        value_chains=body.value_chains,
        transparency_id=body.transparency_id,
        show_contact=body.show_contact,
        language=body.language,
        address=client_ip(request),
    )


@router.get("/alliance/members", response_model=list[MemberOut], summary="Member directory")
def members(request: Request) -> list[MemberOut]:
    """The approved members: name, type, country; contact details when the member opted in."""
    return _alliance(request).membership.directory()


@router.get(
    "/alliance/motions/{motion_id}",
    response_model=MotionOut,
    summary="An opinion, recommendation or amendment",
    responses=problem_responses(404),
)
def motion(motion_id: MotionId, request: Request, principal: PrincipalDep) -> MotionOut:
    """A text with its versions and result; who voted what only as the body's rules allow."""
    return _alliance(request).motions.show(motion_id, viewer_role=principal.role)


@router.post(
    "/alliance/motions/{motion_id}/votes",
    response_model=MotionOut,
    status_code=201,
    summary="Vote for the caller's organisation",
    responses=problem_responses(401, 403, 404),
)
def vote(motion_id: MotionId, body: VoteIn, request: Request, principal: Member) -> MotionOut:
    """Cast the caller's organisation's vote (its designated voter only, once per motion)."""
    return _alliance(request).motions.vote(
        motion_id,
        organisation=principal.organisation,
        choice=body.choice,
        actor=principal.actor,
        actor_organisation=principal.organisation,
    )
