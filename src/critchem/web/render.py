"""Rendering: the Jinja2 templates of the pages, and their JSON twins."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from pydantic import BaseModel

from critchem.core.labels import data_labels, label_line
from critchem.web.session import csrf_token, page_principal, set_csrf_cookie


def _percent(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}%}"


def _number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


class LazyCsrfToken:
    """The CSRF token of a page, made when one of its forms first shows it.

    A page without a form (most pages to an anonymous visitor) then sets no CSRF cookie and
    draws no random value; a page with forms shows the same token in each of them.
    """

    __slots__ = ("_request",)

    def __init__(self, request: Request) -> None:
        self._request = request

    def __str__(self) -> str:
        return csrf_token(self._request)

    def __html__(self) -> str:
        return str(self)  # hexadecimal HMAC: nothing to escape


@cache
def environment() -> Environment:
    """The template environment (autoescaped HTML), built on first use.

    Templates are package data: ``auto_reload`` off, or Jinja checks every template file's
    modification time on every render (41 % of the molecule page's time under load). The
    compiled templates are kept beside the compiled reference tables (Jinja keys each by the
    template's name and checks its source's checksum), so a fresh process does not compile
    the molecule page's templates again (0.4 s of its first view).
    """
    env = Environment(
        bytecode_cache=_bytecode_cache(),
        loader=PackageLoader("critchem.web", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["pct"] = _percent
    env.filters["num"] = _number
    return env


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates, or none when the cache folder cannot be made.

    The folder is made readable by its owner only: a compiled template is code that runs.
    """
    from critchem.nomenclature._compiled import cache_dir

    folder = cache_dir().parent / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def page(
    request: Request,
    template: str,
    *,
    title: str,
    twin: str | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The HTML page ``template`` with the signed-in user, a CSRF token and its twin's link.

    The CSRF cookie is sent with the page when one of its forms shows the token.
    """
    principal = page_principal(request)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            title=title,
            twin=twin,
            principal=principal,
            csrf_token=LazyCsrfToken(request),
            path=request.url.path,
            data_label=page_label(context),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    set_csrf_cookie(request, response)
    return response


def page_label(context: dict[str, Any]) -> str:
    """The SYNTHETIC / ILLUSTRATIVE sentence the data of a page call for (empty if none).

    Every page shows it above its content (``base.html.j2``) when a record it holds says
    ``source: synthetic`` or ``illustrative`` (:func:`critchem.core.labels.data_labels`).
    """
    plain = [
        value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        for value in context.values()
        if isinstance(value, BaseModel | dict | list | tuple)
    ]
    return label_line(data_labels(plain))


def with_query(request: Request, path: str) -> str:
    """``path`` followed by this request's query string, if it has one."""
    query = request.url.query
    return f"{path}?{query}" if query else path


def twin(data: BaseModel | dict[str, Any]) -> JSONResponse:
    """The JSON twin of a page: the same data the page shows."""
    if isinstance(data, BaseModel):
        return JSONResponse(data.model_dump(mode="json"))
    return JSONResponse(data)
