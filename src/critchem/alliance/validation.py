"""Checks of an application's fields, each with a message that names the field."""

from __future__ import annotations

import re

from critchem.alliance.models import ORG_SIZES, ORG_TYPES
from critchem.core.errors import AllianceError

TRANSPARENCY_ID = re.compile(r"^\d{9,12}-\d{2}$")
"""EU Transparency Register identification number: 9 to 12 digits, a hyphen, 2 digits
(e.g. ``153882995425-37``; older entries have fewer leading digits)."""

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def check_transparency_id(value: str | None) -> str | None:
    """The Transparency Register id, normalised, or ``None`` when not given.

    >>> check_transparency_id(" 153882995425-37 ")
    '153882995425-37'
    >>> check_transparency_id("12345")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    critchem.core.errors.AllianceError: transparency_id: '12345' is not an EU Transparency ...
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not TRANSPARENCY_ID.match(text):
        raise AllianceError(
            f"transparency_id: {text!r} is not an EU Transparency Register id "
            "(9-12 digits, a hyphen, 2 digits, e.g. 153882995425-37)"
        )
    return text


def check_choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``; an error naming ``field`` and the choices."""
    text = value.strip().lower()
    if text not in allowed:
        raise AllianceError(f"{field}: {value!r} is not one of {', '.join(allowed)}")
    return text


def check_type(value: str) -> str:
    """An organisation type (company, association, investor, research, civil-society, ...)."""
    return check_choice("type", value, ORG_TYPES)


def check_size(value: str | None) -> str | None:
    """An organisation size (micro, small, medium, large) or ``None``."""
    return None if not value else check_choice("size", value, ORG_SIZES)


def check_text(field: str, value: str, *, limit: int = 300) -> str:
    """A required one-line text of at most ``limit`` characters."""
    text = " ".join(value.split())
    if not text:
        raise AllianceError(f"{field}: required")
    if len(text) > limit:
        raise AllianceError(f"{field}: at most {limit} characters ({len(text)} given)")
    return text


def check_email(value: str) -> str:
    """An e-mail address (one ``@`` and a domain with a dot)."""
    text = value.strip()
    if not EMAIL.match(text) or len(text) > 320:
        raise AllianceError(f"email: {value!r} is not an e-mail address")
    return text


def check_country(value: str) -> str:
    """An ISO 3166-1 alpha-2 country code known to the project (Greece as GR or EL)."""
    from critchem.nomenclature.countries import load_countries

    code = value.strip().upper()
    if code == "EL":
        code = "GR"
    countries = load_countries()
    if len(code) != 2 or code not in countries or not countries.get(code).is_geographic:
        raise AllianceError(f"country: {value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def check_list(field: str, values: list[str] | None) -> list[str]:
    """A list of short labels, stripped, without duplicates or empties."""
    seen: list[str] = []
    for value in values or []:
        text = " ".join(str(value).split())
        if len(text) > 100:
            raise AllianceError(f"{field}: {text[:30]!r}... is longer than 100 characters")
        if text and text not in seen:
            seen.append(text)
    return seen
