"""The Alliance's forms: apply, review, join, draft, amend, comment, table, vote, close, publish.

Every form carries the CSRF token; a refused action shows the page again with the reason
(no traceback, nothing half-done: each action is one transaction of the service).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from critchem.accounts.roles import at_least
from critchem.core.errors import AccountError, AllianceError, PermissionDeniedError
from critchem.web.routes.alliance import alliance_of, apply_form, require_secretariat
from critchem.web.session import check_csrf, page_principal

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=300)]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def _signed_in(request: Request) -> str:
    principal = page_principal(request)
    if principal.username is None:
        raise PermissionDeniedError("sign in first")
    return principal.username


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.post("/alliance/apply", response_model=None)
def apply(
    request: Request,
    csrf_token: Short = "",
    name: Short = "",
    org_type: Short = "",
    country: Short = "",
    size: Short = "",
    sectors: Short = "",
    molecules: Short = "",
    value_chains: Short = "",
    transparency_id: Short = "",
    signatory: Short = "",
    email: Short = "",
    show_contact: Short = "",
    username: Short = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    accept_declaration: Short = "",
    lang: Short = "en",
) -> Response:
    """Record an application (and, if asked, the organisation's first user, inactive until
    the application is approved)."""
    from critchem.services.alliance import apply_with_account
    from critchem.web.localized import localized_page

    check_csrf(request, csrf_token)
    form = {
        "name": name,
        "org_type": org_type,
        "country": country,
        "size": size,
        "sectors": sectors,
        "molecules": molecules,
        "value_chains": value_chains,
        "transparency_id": transparency_id,
        "signatory": signatory,
        "email": email,
        "show_contact": show_contact == "yes",
        "username": username,
    }
    try:
        org = apply_with_account(
            alliance_of(request),
            request.app.state.accounts,
            username=username.strip() or None,
            password=password,
            name=name,
            org_type=org_type,
            country=country,
            size=size or None,
            sectors=_split(sectors),
            molecules=_split(molecules),
            value_chains=_split(value_chains),
            transparency_id=transparency_id or None,
            signatory=signatory,
            email=email,
            show_contact=show_contact == "yes",
            accept_declaration=accept_declaration == "yes",
            language=lang,
            address=request.client.host if request.client else None,
        )
    except (AllianceError, AccountError) as exc:
        return apply_form(request, form=form, error=str(exc))
    return localized_page(
        request, "alliance_applied.html.j2", title="Application received", twin=None, org=org
    )


@router.post("/alliance/applications/{org_id}/review")
def review(
    request: Request,
    org_id: int,
    csrf_token: Short = "",
    decision: Short = "",
    reason: Text = "",
) -> RedirectResponse:
    """Approve (which activates the organisation's users), reject, or ask for information."""
    from critchem.services.alliance import review_with_accounts

    check_csrf(request, csrf_token)
    require_secretariat(request)
    review_with_accounts(
        alliance_of(request),
        request.app.state.accounts,
        org_id,
        decision=decision,
        reason=reason or None,
        actor=_signed_in(request),
    )
    return _back("/alliance/applications")


@router.post("/alliance/bodies/{slug}/join")
def join(request: Request, slug: str, csrf_token: Short = "") -> RedirectResponse:
    """The signed-in user's organisation joins a working group."""
    check_csrf(request, csrf_token)
    actor = _signed_in(request)
    alliance_of(request).governance.join(slug, page_principal(request).organisation, actor=actor)
    return _back(f"/alliance/bodies/{slug}")


@router.post("/alliance/bodies/{slug}/motions")
def draft(
    request: Request,
    slug: str,
    csrf_token: Short = "",
    kind: Short = "opinion",
    title: Short = "",
    text: Text = "",
    citations: Text = "",
) -> RedirectResponse:
    """Draft a text in a body the user's organisation belongs to."""
    check_csrf(request, csrf_token)
    actor = _signed_in(request)
    principal = page_principal(request)
    alliance = alliance_of(request)
    body = alliance.governance.body(slug)
    if principal.organisation not in body.members and not at_least(principal.role, "secretariat"):
        raise PermissionDeniedError(
            f"only members of the {body.name} draft its texts: join it first"
        )
    motion = alliance.motions.create(
        body=slug,
        kind=kind,
        title=title,
        text=text,
        author=actor,
        proposer=principal.organisation or "Secretariat",
        citations=_split(citations),
    )
    return _back(f"/alliance/motions/{motion.id}")


@router.post("/alliance/motions/{motion_id}/amend")
def amend(
    request: Request,
    motion_id: int,
    csrf_token: Short = "",
    text: Text = "",
    justification: Text = "",
) -> RedirectResponse:
    """Propose an amendment for the user's organisation."""
    check_csrf(request, csrf_token)
    actor = _signed_in(request)
    found = alliance_of(request).motions.amend(
        motion_id,
        text=text,
        justification=justification,
        proposer=page_principal(request).organisation,
        author=actor,
    )
    return _back(f"/alliance/motions/{found.id}")


@router.post("/alliance/motions/{motion_id}/comment")
def comment(
    request: Request, motion_id: int, csrf_token: Short = "", text: Text = ""
) -> RedirectResponse:
    """Comment on a text."""
    check_csrf(request, csrf_token)
    alliance_of(request).motions.comment(motion_id, text, author=_signed_in(request))
    return _back(f"/alliance/motions/{motion_id}")


@router.post("/alliance/motions/{motion_id}/table")
def table(
    request: Request, motion_id: int, csrf_token: Short = "", meeting_id: int = Form(0)
) -> RedirectResponse:
    """Put a draft on a meeting's agenda (recorded by the secretariat for the Steering Board)."""
    check_csrf(request, csrf_token)
    require_secretariat(request)
    alliance_of(request).motions.table(motion_id, meeting_id, actor=_signed_in(request))
    return _back(f"/alliance/motions/{motion_id}")


@router.post("/alliance/motions/{motion_id}/vote")
def vote(
    request: Request, motion_id: int, csrf_token: Short = "", choice: Short = ""
) -> RedirectResponse:
    """The designated voter casts the organisation's vote."""
    check_csrf(request, csrf_token)
    actor = _signed_in(request)
    organisation = page_principal(request).organisation
    alliance_of(request).motions.vote(
        motion_id,
        organisation=organisation,
        choice=choice,
        actor=actor,
        actor_organisation=organisation,
    )
    return _back(f"/alliance/motions/{motion_id}")


@router.post("/alliance/motions/{motion_id}/close")
def close(request: Request, motion_id: int, csrf_token: Short = "") -> RedirectResponse:
    """Close the vote (secretariat)."""
    check_csrf(request, csrf_token)
    require_secretariat(request)
    found = alliance_of(request).motions.close(motion_id, actor=_signed_in(request))
    motion = alliance_of(request).motions.show(found.motion)
    return _back(f"/alliance/motions/{motion.parent_id or motion.id}")


@router.post("/alliance/motions/{motion_id}/publish")
def publish(request: Request, motion_id: int, csrf_token: Short = "") -> RedirectResponse:
    """Publish an adopted text (secretariat)."""
    check_csrf(request, csrf_token)
    require_secretariat(request)
    alliance_of(request).motions.publish(motion_id, actor=_signed_in(request))
    return _back(f"/alliance/motions/{motion_id}")
