"""Languages of the public pages: gettext catalogues (Babel), a switch and ``Accept-Language``.

The catalogues are the ``.po`` files in ``web/locale/<lang>/LC_MESSAGES/messages.po``, read with
Babel and compiled in memory on first use (no compiled ``.mo`` file is shipped, so the source
and what runs cannot drift apart). A page's language is, in order: the ``lang`` query
parameter, the ``critchem_lang`` cookie that the switch sets, the browser's
``Accept-Language`` (RFC 9110 §12.5.4, by quality), and English.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from typing import Any

from fastapi import Request
from jinja2 import Environment, PackageLoader, select_autoescape

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "de": "Deutsch", "tr": "Türkçe"}
"""The languages of the public pages, by code, each named in itself."""
COOKIE = "critchem_lang"


def parse_accept_language(header: str) -> list[str]:
    """The primary language codes of an ``Accept-Language`` header, best first.

    >>> parse_accept_language("de-CH, fr;q=0.9, en;q=0.8, *;q=0.1")
    ['de', 'fr', 'en']
    >>> parse_accept_language("fr;q=0, tr")
    ['tr']
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, index, tag.split("-")[0]))
    seen: list[str] = []
    for _, _, code in sorted(ranked):
        if code not in seen:
            seen.append(code)
    return seen


def negotiate(request: Request) -> str:
    """The language of ``request``'s page (see the module's docstring)."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return str(candidate)
    for code in parse_accept_language(request.headers.get("accept-language", "")):
        if code in LANGUAGES:
            return code
    return "en"


@cache
def translations(lang: str) -> Any:
    """The gettext translations of ``lang`` (``NullTranslations`` for English)."""
    from babel.support import NullTranslations, Translations

    if lang == "en" or lang not in LANGUAGES:
        return NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    source = resources.files("critchem.web").joinpath("locale", lang, "LC_MESSAGES", "messages.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


@cache
def environment(lang: str) -> Environment:
    """The page templates with the gettext functions of ``lang`` installed (``_``, ``ngettext``)."""
    env = Environment(
        loader=PackageLoader("critchem.web", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    from critchem.web.render import environment as base

    env.filters.update(base().filters)
    return env


def gettext(lang: str, message: str) -> str:
    """``message`` in ``lang`` (for messages built in Python, e.g. form errors)."""
    return str(translations(lang).gettext(message))
