"""Sourced couplings between real sites: pipeline networks and on-site integration.

``site_links.csv`` holds one fact per row, each with its source and date:

* ``pipeline``: the site is connected to the pipeline network ``network`` that carries
  ``molecule`` (the ARG ethylene network Antwerp–Rhine/Ruhr, the southern German ethylene
  pipeline EPS ...). Sites on networks that share a site form one cluster
  (:mod:`critchem.criticality.clusters`);
* ``on-site``: the site's unit of ``molecule`` feeds its unit of ``feeds`` on the same site
  (a chlor-alkali cell feeding the isocyanate plant next to it).

A site is named as the capacity registers name it (company, site, country), so a link joins
the units of :mod:`critchem.production.registers`. Every row is kept or rejected with its line
and reason (``rows_read = kept + rejected``); a row without source or date is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from critchem.nomenclature._files import data_text
from critchem.production.registers import (
    PublicDate,
    RegisterLoad,
    _country,
    _date,
    _molecule,
    _read,
    _required,
    _source,
    source_type,
)

SITE_LINKS = "site_links.csv"
LINK_COLUMNS = (
    "id",
    "network",
    "kind",
    "molecule",
    "feeds",
    "company",
    "site",
    "country",
    "as_of",
    "source",
)

LinkKind = Literal["pipeline", "on-site"]
KINDS: tuple[LinkKind, ...] = ("pipeline", "on-site")


@dataclass(frozen=True)
class SiteLink:
    """One sourced coupling of a real site."""

    id: str
    network: str
    """The pipeline network (``ARG``, ``EPS``) or, for ``on-site``, the site's own name."""
    kind: LinkKind
    molecule: str
    """The molecule the pipeline carries, or the molecule whose unit feeds another on site."""
    feeds: str | None
    """``on-site`` only: the registry molecule whose unit is fed on the same site."""
    company: str
    site: str
    country: str
    as_of: PublicDate
    source: str
    note: str = ""
    source_type: str = ""

    @property
    def site_key(self) -> str:
        """The site's key, as :class:`~critchem.criticality.sites.CriticalSite` writes it."""
        return f"{self.country}:{self.company}:{self.site}"


def _kind(text: str) -> LinkKind:
    for kind in KINDS:
        if text.strip() == kind:
            return kind
    raise ValueError(f"kind {text.strip()!r} is not one of {', '.join(KINDS)}")


def _link(row: Mapping[str, str]) -> SiteLink:
    source = _source(row)
    kind = _kind(row.get("kind") or "")
    molecule = _molecule(row.get("molecule") or "", optional=False)
    feeds = _molecule(row.get("feeds") or "", optional=True)
    assert molecule is not None
    if kind == "on-site" and feeds is None:
        raise ValueError("an on-site link names the molecule it feeds (column feeds)")
    if kind == "pipeline" and feeds is not None:
        raise ValueError("a pipeline link carries one molecule; feeds is for on-site links")
    return SiteLink(
        id=_required(row, "id"),
        network=_required(row, "network"),
        kind=kind,
        molecule=molecule,
        feeds=feeds,
        company=_required(row, "company"),
        site=_required(row, "site"),
        country=_country(row.get("country") or ""),
        as_of=_date(row, "as_of"),
        source=source,
        note=(row.get("note") or "").strip(),
        source_type=source_type(row),
    )


def parse_site_links(text: str, *, source: str = SITE_LINKS) -> RegisterLoad[SiteLink]:
    """Read a file of site couplings; unsourced, undated or malformed rows are refused.

    >>> load = parse_site_links(
    ...     "id,network,kind,molecule,feeds,company,site,country,as_of,source\\n"
    ...     "L1,Net,pipeline,ethylene,,Co,Town,DE,2013,https://a\\n"
    ...     "L2,Net,pipeline,ethylene,,Co,Town,DE,2013,\\n"
    ...     "L3,Town,on-site,chlorine,,Co,Town,DE,2017,https://b\\n", source="t.csv")
    >>> load.summary()
    't.csv: read 3 = kept 1 + rejected 2'
    >>> [r.reason for r in load.rejected]  # doctest: +NORMALIZE_WHITESPACE
    ['no source: a register row names its source (URL or document)',
     'an on-site link names the molecule it feeds (column feeds)']

    Raises
    ------
    ReferenceDataError
        When a required column is missing (names them).
    """
    return _read(text, source, LINK_COLUMNS, _link, "id")


@cache
def load_site_links() -> RegisterLoad[SiteLink]:
    """The shipped couplings (cached)."""
    return parse_site_links(data_text("critchem.production", SITE_LINKS))
