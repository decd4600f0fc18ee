"""The Alliance's pages: overview, declaration, application form, members, bodies, texts.

Each page has its JSON twin at ``<page>.json``; the public pages, the application form and the
declaration are served in English, French, German and Turkish (``critchem.web.i18n``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from critchem.accounts.roles import at_least
from critchem.alliance import Alliance
from critchem.alliance.models import ORG_SIZES, ORG_TYPES
from critchem.core.errors import AllianceError, NotFoundError, PermissionDeniedError
from critchem.web.localized import localized_page
from critchem.web.render import twin
from critchem.web.session import page_principal

router = APIRouter(include_in_schema=False)


def alliance_of(request: Request) -> Alliance:
    """The Alliance services of the app (over the app's database, made by ``create_app``)."""
    alliance: Alliance = request.app.state.alliance
    return alliance


def markdown(text: str, *, shift: int = 0) -> str:
    """Markdown to HTML, raw HTML disabled (texts come from members); headings go ``shift``
    levels down (a text shown inside a page must not bring its own ``<h1>``)."""
    from markdown_it import MarkdownIt

    html = str(MarkdownIt("commonmark", {"html": False}).render(text))
    for level in range(6 - shift, 0, -1) if shift else ():
        html = html.replace(f"<h{level}>", f"<h{level + shift}>")
        html = html.replace(f"</h{level}>", f"</h{level + shift}>")
    return html


def _localized(request: Request, items: list[Any], kind: str) -> list[Any]:
    """``items`` (bodies or deliverables) with their names in the page's language, where shipped."""
    from critchem.alliance.governance import translated
    from critchem.web.i18n import negotiate

    lang = negotiate(request)
    return [item.model_copy(update=translated(kind, item.slug, lang)) for item in items]


def _overview(request: Request) -> dict[str, Any]:
    alliance = alliance_of(request)
    return {
        "counts": alliance.governance.counts(),
        "bodies": [b.model_dump(mode="json") for b in alliance.governance.bodies()],
        "meetings": [m.model_dump(mode="json") for m in alliance.governance.meetings()],
        "published": [
            {"id": m.id, "number": m.number, "title": m.title, "published_at": m.published_at}
            for m in alliance.motions.published()
        ],
        "deliverables": [d.model_dump(mode="json") for d in alliance.governance.deliverables()],
    }


@router.get("/alliance.json")
def overview_json(request: Request) -> JSONResponse:
    """The Alliance's bodies, meetings, published texts and work programme."""
    data = _overview(request)
    data["published"] = [
        {**p, "published_at": p["published_at"].isoformat()} for p in data["published"]
    ]
    return twin(data)


@router.get("/alliance", response_class=HTMLResponse)
def overview_page(request: Request) -> HTMLResponse:
    """The Alliance's home page."""
    alliance = alliance_of(request)
    return localized_page(
        request,
        "alliance.html.j2",
        title="Critical Chemicals Alliance",
        twin="/alliance.json",
        counts=alliance.governance.counts(),
        bodies=_localized(request, alliance.governance.bodies(), "bodies"),
        meetings=alliance.governance.meetings(),
        published=alliance.motions.published(),
        deliverables=_localized(request, alliance.governance.deliverables(), "deliverables"),
    )


@router.get("/alliance/meetings.ics")
def all_meetings_ics(request: Request) -> Response:
    """Every meeting as an iCalendar file."""
    from critchem.services.alliance import meetings_calendar

    return Response(meetings_calendar(alliance_of(request)), media_type="text/calendar")


@router.get("/alliance/declaration.json")
def declaration_json(request: Request, lang: str = "en") -> JSONResponse:
    """The declaration in ``lang``: version, language, SHA-256 and text."""
    from critchem.alliance.declaration import declaration

    found = declaration(lang)
    return twin(
        {
            "version": found.version,
            "language": found.language,
            "sha256": found.sha256,
            "text": found.text,
        }
    )


@router.get("/alliance/declaration", response_class=HTMLResponse)
def declaration_page(request: Request) -> HTMLResponse:
    """The declaration that applicants sign, in the visitor's language."""
    from critchem.alliance.declaration import declaration
    from critchem.web.i18n import negotiate

    found = declaration(negotiate(request))
    return localized_page(
        request,
        "alliance_declaration.html.j2",
        title="Declaration",
        twin=f"/alliance/declaration.json?lang={found.language}",
        declaration=found,
        declaration_html=markdown(found.text),
    )


def apply_form(
    request: Request, *, form: dict[str, Any] | None = None, error: str | None = None
) -> HTMLResponse:
    """The application form (again with the visitor's input and the error, if any)."""
    from critchem.alliance.declaration import declaration
    from critchem.web.i18n import gettext, negotiate

    lang = negotiate(request)
    found = declaration(lang)
    return localized_page(
        request,
        "alliance_apply.html.j2",
        title="Apply to join the Alliance",
        twin="/alliance/declaration.json",
        status=400 if error else 200,
        form=form or {},
        error=error,
        types=[(t, gettext(lang, t)) for t in ORG_TYPES],
        sizes=[(s, gettext(lang, s)) for s in ORG_SIZES],
        declaration=found,
        declaration_html=markdown(found.text, shift=1),
    )


@router.get("/alliance/apply", response_class=HTMLResponse)
def apply_page(request: Request) -> HTMLResponse:
    """The application form with the declaration to sign."""
    return apply_form(request)


@router.get("/alliance/members.json")
def members_json(request: Request) -> JSONResponse:
    """The public member directory."""
    return twin(
        {
            "members": [
                m.model_dump(mode="json") for m in alliance_of(request).membership.directory()
            ]
        }
    )


@router.get("/alliance/members", response_class=HTMLResponse)
def members_page(request: Request) -> HTMLResponse:
    """The public member directory: name, type, country (contact when the member opted in)."""
    return localized_page(
        request,
        "alliance_members.html.j2",
        title="Members of the Alliance",
        twin="/alliance/members.json",
        members=alliance_of(request).membership.directory(),
    )


def require_secretariat(request: Request) -> None:
    """Refuse unless the signed-in user is of the secretariat (or an admin)."""
    principal = page_principal(request)
    if not at_least(principal.role, "secretariat"):
        raise PermissionDeniedError("the applications are for the secretariat only: sign in")


@router.get("/alliance/applications.json")
def applications_json(request: Request) -> JSONResponse:
    """Every application (secretariat only)."""
    require_secretariat(request)
    found = alliance_of(request).membership.applications()
    response = twin({"applications": [a.model_dump(mode="json") for a in found]})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/alliance/applications", response_class=HTMLResponse)
def applications_page(request: Request) -> HTMLResponse:
    """The applications to review (secretariat only)."""
    require_secretariat(request)
    response = localized_page(
        request,
        "alliance_applications.html.j2",
        title="Applications",
        twin="/alliance/applications.json",
        applications=alliance_of(request).membership.applications(),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _body_context(request: Request, slug: str) -> dict[str, Any]:
    alliance = alliance_of(request)
    body = alliance.governance.body(slug)
    principal = page_principal(request)
    member_org = None
    if principal.organisation:
        try:
            found = alliance.membership.get(principal.organisation)
            member_org = found.name if found.status == "approved" else None
        except (AllianceError, NotFoundError):
            member_org = None
    return {
        "body": body,
        "meetings": alliance.governance.meetings(slug),
        "documents": alliance.governance.documents(slug),
        "motions": [m for m in alliance.motions.list_motions(body=slug) if m.kind != "amendment"],
        "can_join": bool(member_org)
        and body.membership == "open"
        and member_org not in body.members,
        "can_draft": bool(member_org)
        and (member_org in body.members or at_least(principal.role, "secretariat")),
    }


@router.get("/alliance/bodies/{slug}.json")
def body_json(request: Request, slug: str) -> JSONResponse:
    """A body: rules, members, seats, meetings, documents and texts."""
    context = _body_context(request, slug)
    return twin(
        {
            "body": context["body"].model_dump(mode="json"),
            "meetings": [m.model_dump(mode="json") for m in context["meetings"]],
            "documents": context["documents"],
            "motions": [
                {"id": m.id, "title": m.title, "kind": m.kind, "state": m.state}
                for m in context["motions"]
            ],
        }
    )


@router.get("/alliance/bodies/{slug}/meetings.ics")
def body_meetings_ics(request: Request, slug: str) -> Response:
    """A body's meetings as an iCalendar file."""
    from critchem.services.alliance import meetings_calendar

    alliance = alliance_of(request)
    alliance.governance.body(slug)
    return Response(meetings_calendar(alliance, slug), media_type="text/calendar")


@router.get("/alliance/bodies/{slug}", response_class=HTMLResponse)
def body_page(request: Request, slug: str) -> HTMLResponse:
    """A body's page: members, meetings, documents, texts; join and draft for members."""
    context = _body_context(request, slug)
    context["body"] = _localized(request, [context["body"]], "bodies")[0]
    return localized_page(
        request,
        "alliance_body.html.j2",
        title=context["body"].name,
        twin=f"/alliance/bodies/{slug}.json",
        **context,
    )


def _motion_context(request: Request, motion_id: int) -> dict[str, Any]:
    alliance = alliance_of(request)
    principal = page_principal(request)
    motion = alliance.motions.show(motion_id, viewer_role=principal.role)
    can_vote = False
    if principal.organisation and motion.state == "open":
        try:
            org = alliance.membership.get(principal.organisation)
            can_vote = org.status == "approved" and org.voter_username in (None, principal.username)
        except (AllianceError, NotFoundError):
            can_vote = False
    return {
        "motion": motion,
        "text_html": markdown(motion.text, shift=1),
        "amendments": [alliance.motions.show(a) for a in motion.amendments],
        "meetings": alliance.governance.meetings(),
        "can_vote": can_vote,
        "is_secretariat": at_least(principal.role, "secretariat"),
    }


@router.get("/alliance/motions/{motion_id}.json")
def motion_json(request: Request, motion_id: int) -> JSONResponse:
    """A text with its versions, amendments, comments and, once closed, its result."""
    principal = page_principal(request)
    return twin(alliance_of(request).motions.show(motion_id, viewer_role=principal.role))


@router.get("/alliance/motions/{motion_id}", response_class=HTMLResponse)
def motion_page(request: Request, motion_id: int) -> HTMLResponse:
    """A text: read, amend, vote, close, publish (as the user's role allows)."""
    context = _motion_context(request, motion_id)
    return localized_page(
        request,
        "alliance_motion.html.j2",
        title=context["motion"].title,
        twin=f"/alliance/motions/{motion_id}.json",
        **context,
    )


@router.get("/alliance/motions/{motion_id}/publication.html", response_class=HTMLResponse)
def publication_html(request: Request, motion_id: int) -> HTMLResponse:
    """The published text as a standalone HTML document."""
    from critchem.reports.opinion import opinion_html
    from critchem.services.alliance import publication

    motion, meeting = publication(alliance_of(request), motion_id)
    return HTMLResponse(opinion_html(motion, meeting))


@router.get("/alliance/motions/{motion_id}/publication.pdf")
def publication_pdf(request: Request, motion_id: int) -> Response:
    """The published text as a PDF."""
    from critchem.reports.opinion import opinion_pdf
    from critchem.services.alliance import publication

    motion, meeting = publication(alliance_of(request), motion_id)
    name = (motion.number or f"motion-{motion_id}").replace("/", "-")
    return Response(
        opinion_pdf(motion, meeting),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )
