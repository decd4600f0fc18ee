"""Countries and trade partners as Comext codes them.

Canonical codes are ISO 3166-1 alpha-2 (Greece ``GR``, as Comext writes it; Eurostat's ``EL``
is accepted as an alias). Comext's own codes are kept: the numeric geonomenclature codes of
the older bulk layout (001 France, 003 Netherlands ...), Ceuta ``XC``, Melilla ``XL``, Kosovo
``XK``, Serbia ``XS``, the non-geographic and confidential Q-codes (``QP`` ... ``QZ``; ``QA``
is Qatar) and the aggregates ``WORLD``, ``EU27_2020``, ``EXT_EU27_2020``, ``INT_EU27_2020``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from critchem.core.errors import UnknownCountryError
from critchem.nomenclature._files import read_rows

ALIASES: dict[str, str] = {"EL": "GR", "UK": "GB"}
"""Eurostat codes that differ from ISO 3166-1 alpha-2 and the code critchem stores."""


@dataclass(frozen=True, slots=True)
class Partner:
    """A country, territory, confidential or aggregate partner code."""

    code: str
    name: str
    kind: str  # country | territory | non-geographic | confidential | aggregate
    iso2: str | None
    iso3: str | None
    geonom_numeric: str | None
    eu_from: date | None
    eu_to: date | None

    def is_eu(self, on: date | None = None) -> bool:
        """Whether the partner is an EU Member State on ``on`` (default: today's EU27)."""
        if self.eu_from is None:
            return False
        when = on or date.today()
        return self.eu_from <= when and (self.eu_to is None or when <= self.eu_to)

    @property
    def is_confidential(self) -> bool:
        """Whether the code hides the real partner (confidential or not specified)."""
        return self.kind == "confidential"

    @property
    def is_geographic(self) -> bool:
        """Whether the code is a real country or territory."""
        return self.kind in {"country", "territory"}


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


class Countries:
    """Lookup of partners by Comext code, alias, ISO3 or numeric geonomenclature code.

    >>> c = load_countries()
    >>> c.get("EL").code, c.from_geonom("003").code, c.get("QA").name
    ('GR', 'NL', 'Qatar')
    >>> len(c.eu27())
    27
    """

    def __init__(self, partners: list[Partner]) -> None:
        self._by_code = {p.code: p for p in partners}
        self._by_iso3 = {p.iso3: p for p in partners if p.iso3 and p.kind == "country"}
        self._by_geonom = {p.geonom_numeric: p for p in partners if p.geonom_numeric}

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.canonical(code) in self._by_code

    def __iter__(self) -> Iterator[Partner]:
        return iter(self._by_code.values())

    @staticmethod
    def canonical(code: str) -> str:
        """The code critchem stores for ``code`` (``EL`` → ``GR``), upper-cased and stripped."""
        key = code.strip().upper()
        return ALIASES.get(key, key)

    def get(self, code: str) -> Partner:
        """The partner for a Comext/ISO alpha-2 code or an ISO alpha-3 code."""
        key = self.canonical(code)
        partner = self._by_code.get(key) or self._by_iso3.get(key)
        if partner is None:
            raise UnknownCountryError(f"Unknown country or partner code {code!r}")
        return partner

    def name(self, code: str) -> str:
        """The name of a partner code in words, or the code itself when it is unknown.

        >>> load_countries().name("RU"), load_countries().name("XX")
        ('Russian Federation', 'XX')
        """
        try:
            return self.get(code).name
        except UnknownCountryError:
            return code

    def from_geonom(self, numeric: str) -> Partner:
        """The partner for a numeric geonomenclature code of the older Comext layout."""
        key = numeric.strip().zfill(3)
        try:
            return self._by_geonom[key]
        except KeyError:
            raise UnknownCountryError(f"Unknown numeric geonomenclature code {numeric!r}") from None

    def eu27(self, on: date | None = None) -> list[Partner]:
        """The Member States on ``on`` (default: today)."""
        return [p for p in self._by_code.values() if p.kind == "country" and p.is_eu(on)]


@cache
def load_countries() -> Countries:
    """Load the shipped partner table (cached)."""
    partners = [
        Partner(
            code=r["comext_code"],
            name=r["name"],
            kind=r["kind"],
            iso2=r["iso2"] or None,
            iso3=r["iso3"] or None,
            geonom_numeric=r["geonom_numeric"] or None,
            eu_from=_date(r["eu_from"]),
            eu_to=_date(r["eu_to"]),
        )
        for r in read_rows("critchem.nomenclature", "countries.csv")
    ]
    return Countries(partners)
