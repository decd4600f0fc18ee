"""EU chemical production sites from the Hotmaps industrial database.

One parser for the Hotmaps layout (``;``-separated, coordinates as
``SRID=4326;POINT(lon lat)``), which keeps every row: a row that cannot be used is
rejected with its line number and the reason, so that ``rows_read == len(sites) +
len(rejected)``. Known errors of the source are corrected from versioned tables
(``data/site_corrections.tsv``, ``data/country_labels.tsv``), never in the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from critchem.nomenclature import load_countries
from critchem.nomenclature._files import data_text, read_rows

BUNDLED = "hotmaps_chemical_sites_2014.csv"
"""The shipped extract: the "Chemical industry" rows of the Hotmaps database."""

SOURCE = "hotmaps_industrial_database_2014"

REQUIRED_COLUMNS = ("SiteID", "CompanyName", "SiteName", "City", "Country", "geom", "Subsector")

_NUMBER = r"(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
_POINT = re.compile(rf"^SRID=4326;POINT\(\s*{_NUMBER}\s+{_NUMBER}\s*\)$")


@dataclass(frozen=True)
class Site:
    """One production site, as published (public data: EU ETS and E-PRTR registers)."""

    site_id: str
    company: str
    name: str
    city: str
    country: str
    """ISO 3166-1 alpha-2 (Greece ``GR``), after the corrections."""
    lon: float | None
    lat: float | None
    subsector: str
    emissions_ets_2014_t: float | None
    emissions_eprtr_2014_t: float | None
    corrections: tuple[str, ...] = ()
    """What was corrected in the source row, and why."""

    @property
    def located(self) -> bool:
        """Whether the site has coordinates (it can be put on a map)."""
        return self.lon is not None and self.lat is not None

    @property
    def eu27(self) -> bool:
        """Whether the site is in a Member State of today's EU."""
        return in_eu27(self.country)


def in_eu27(country: str) -> bool:
    """Whether ``country`` (a Comext code) is a Member State of today's EU."""
    countries = load_countries()
    return country in countries and countries.get(country).is_eu()


@dataclass(frozen=True)
class RejectedRow:
    """A source row that could not be used: its line in the file and why."""

    line: int
    site_id: str
    reason: str


@dataclass(frozen=True)
class SiteLoad:
    """The result of reading one sites file; ``rows_read = stored + rejected``."""

    source: str
    rows_read: int
    sites: tuple[Site, ...]
    rejected: tuple[RejectedRow, ...]

    def summary(self) -> str:
        """One line that reconciles the load."""
        return (
            f"{self.source}: read {self.rows_read} = kept {len(self.sites)} "
            f"+ rejected {len(self.rejected)}"
        )


@cache
def _country_labels() -> dict[str, str]:
    return {
        r["label"]: r["iso2"]
        for r in read_rows("critchem.production", "country_labels.tsv", delimiter="\t")
    }


@cache
def _corrections() -> dict[str, tuple[tuple[str, str, str], ...]]:
    table: dict[str, list[tuple[str, str, str]]] = {}
    for r in read_rows("critchem.production", "site_corrections.tsv", delimiter="\t"):
        table.setdefault(r["site_id"], []).append((r["field"], r["value"], r["reason"]))
    return {k: tuple(v) for k, v in table.items()}


def parse_point(text: str) -> tuple[float, float] | None:
    """Longitude and latitude of a ``SRID=4326;POINT(lon lat)`` text; ``None`` when empty.

    >>> parse_point("SRID=4326;POINT(16.520111 48.136)")
    (16.520111, 48.136)
    >>> parse_point("") is None
    True
    """
    text = text.strip()
    if not text:
        return None
    match = _POINT.match(text)
    if match is None:
        raise ValueError(f"coordinates {text!r} are not SRID=4326;POINT(lon lat)")
    lon, lat = float(match.group(1)), float(match.group(2))
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise ValueError(f"coordinates {text!r} are outside -180..180, -90..90")
    return lon, lat


def _number(text: str, column: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number") from None


def _site(row: dict[str, str]) -> Site:
    site_id = row["SiteID"].strip()
    company, name = row["CompanyName"].strip(), row["SiteName"].strip()
    if not company and not name:
        raise ValueError("the row names neither a company nor a site")
    fixes = _corrections().get(site_id, ())
    label = row["Country"].strip()
    country = _country_labels().get(label)
    notes: list[str] = []
    for field, value, reason in fixes:
        if field == "country":
            country = value
            notes.append(f"country {label!r} -> {value}: {reason}")
    if country is None:
        raise ValueError(f"country {label!r} is not in country_labels.tsv")
    point = parse_point(row["geom"])
    return Site(
        site_id=site_id,
        company=company or name,
        name=name or company,
        city=row["City"].strip(),
        country=country,
        lon=point[0] if point else None,
        lat=point[1] if point else None,
        subsector=row["Subsector"].strip(),
        emissions_ets_2014_t=_number(row.get("Emissions_ETS_2014", ""), "Emissions_ETS_2014"),
        emissions_eprtr_2014_t=_number(row.get("Emissions_EPRTR_2014", ""), "Emissions_EPRTR_2014"),
        corrections=tuple(notes),
    )


def parse_sites(text: str, *, source: str = SOURCE, subsector: str | None = None) -> SiteLoad:
    """Read a Hotmaps-layout sites file; rows of another ``subsector`` are left out, not rejected.

    Raises
    ------
    ValueError
        When a required column is missing (names them).
    """
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(
            f"{source}: missing columns {', '.join(missing)} (Hotmaps layout expected)"
        )
    sites: list[Site] = []
    rejected: list[RejectedRow] = []
    read = 0
    for row in reader:
        if subsector is not None and row["Subsector"].strip() != subsector:
            continue
        read += 1
        try:
            sites.append(_site(row))
        except ValueError as exc:
            rejected.append(RejectedRow(reader.line_num, row["SiteID"].strip(), str(exc)))
    return SiteLoad(source, read, tuple(sites), tuple(rejected))


def read_sites(path: Path, *, subsector: str | None = "Chemical industry") -> SiteLoad:
    """Read a Hotmaps sites file from disk (by default its chemical sites only)."""
    return parse_sites(path.read_text(encoding="utf-8-sig"), source=path.name, subsector=subsector)


@cache
def load_sites() -> SiteLoad:
    """The shipped chemical sites (cached)."""
    return parse_sites(data_text("critchem.production", BUNDLED), source=BUNDLED)


def by_company(sites: Iterable[Site], company: str) -> list[Site]:
    """The sites whose company name contains ``company`` (case-insensitive)."""
    needle = company.casefold()
    return [s for s in sites if needle in s.company.casefold()]
