"""Pages in the visitor's language: the i18n templates, the language switch's cookie."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from critchem.web.i18n import COOKIE, LANGUAGES, environment, gettext, negotiate
from critchem.web.render import LazyCsrfToken
from critchem.web.session import page_principal, set_csrf_cookie


def localized_page(
    request: Request,
    template: str,
    *,
    title: str,
    twin: str | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The HTML page ``template`` in the negotiated language, with ``<html lang>`` set.

    A ``?lang=`` choice is remembered in a cookie for the next pages.
    """
    lang = negotiate(request)
    env = environment(lang)
    html = env.get_template(template).render(
        request=request,
        title=gettext(lang, title),
        twin=twin,
        principal=page_principal(request),
        csrf_token=LazyCsrfToken(request),
        path=request.url.path,
        lang=lang,
        languages=LANGUAGES,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language, Cookie"
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(COOKIE, str(chosen), max_age=365 * 86400, samesite="lax")
    set_csrf_cookie(request, response)
    return response
