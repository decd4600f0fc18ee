"""Production capacities declared by members, per site and molecule (company-confidential).

A capacity row names a site of the public register (a Hotmaps ``site_id`` of
:func:`~critchem.production.sites.load_sites`) or of the fictitious illustrative sites, a
registry molecule, the capacity in tonnes per year, the member organisation that owns the
site, the status of the plant (``operating``, ``announced_closure``, ``closed``) with the date
it was declared, and a source. Every row is kept or rejected with its line and the reason, so
that ``rows_read == len(capacities) + len(rejected)``; a row without a source or a date is
rejected.

The figures are confidential to the owning organisation: who may see a row is decided by
:func:`critchem.accounts.disclosure.visible`, and aggregates go through
:func:`critchem.accounts.disclosure.suppress_small_aggregates` (see
``critchem.services.production``). The shipped file ``data/illustrative_member_capacities.csv``
is ILLUSTRATIVE: fictitious companies ("Example Chemicals A") on fictitious sites
(``data/illustrative_sites.csv``), invented figures, all ``operating``: no closure status
without a real source, and no real company or site.
Published capacities of real plants are in :mod:`critchem.production.registers`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from critchem.core.errors import ReferenceDataError
from critchem.molecules import load_registry
from critchem.nomenclature._files import data_text
from critchem.production.sites import RejectedRow, Site, SiteLoad, load_sites, parse_sites

BUNDLED = "illustrative_member_capacities.csv"
"""The shipped, illustrative member declarations (fictitious companies and sites)."""

ILLUSTRATIVE_SITES = "illustrative_sites.csv"
"""The fictitious sites of the illustrative declarations (Hotmaps layout)."""

CapacityStatus = Literal["operating", "announced_closure", "closed"]
STATUSES: tuple[CapacityStatus, ...] = ("operating", "announced_closure", "closed")

REQUIRED_COLUMNS = (
    "site_id",
    "molecule",
    "capacity_t",
    "organisation",
    "status",
    "status_date",
    "source",
)


@dataclass(frozen=True)
class SiteCapacity:
    """One declared capacity: a molecule made at a site, in tonnes per year."""

    site_id: str
    molecule: str
    capacity_t: float
    organisation: str
    """The member organisation that owns the site (and may see this row)."""
    status: CapacityStatus
    source: str
    illustrative: bool
    status_date: date | None = None
    """The date the status was declared."""

    @property
    def producing(self) -> bool:
        """Whether the plant produces today (operating, or operating until an announced closure)."""
        return self.status != "closed"


@dataclass(frozen=True)
class CapacityLoad:
    """The result of reading one capacities file; ``rows_read = kept + rejected``."""

    source: str
    rows_read: int
    capacities: tuple[SiteCapacity, ...]
    rejected: tuple[RejectedRow, ...]

    def summary(self) -> str:
        """One line that reconciles the load."""
        return (
            f"{self.source}: read {self.rows_read} = kept {len(self.capacities)} "
            f"+ rejected {len(self.rejected)}"
        )


def _status(text: str) -> CapacityStatus:
    for status in STATUSES:
        if text == status:
            return status
    raise ValueError(f"status {text!r} is not one of {', '.join(STATUSES)}")


def _capacity(
    row: Mapping[str, str],
    sites: Mapping[str, Site],
    owners: dict[str, str],
    seen: set[tuple[str, str]],
) -> SiteCapacity:
    site_id = row["site_id"].strip()
    site = sites.get(site_id)
    if site is None:
        raise ValueError(f"site_id {site_id!r} is not a site of the production register")
    if not site.eu27:
        raise ValueError(f"site {site_id} is in {site.country}, not in an EU Member State")
    molecule = row["molecule"].strip()
    if molecule not in load_registry():
        raise ValueError(f"molecule {molecule!r} is not in the molecule registry")
    text = row["capacity_t"].strip()
    try:
        capacity = float(text)
    except ValueError:
        raise ValueError(f"capacity_t {text!r} is not a number") from None
    if not capacity > 0 or capacity == float("inf"):
        raise ValueError(f"capacity_t {text!r} must be a positive number of tonnes per year")
    organisation = row["organisation"].strip()
    if not organisation:
        raise ValueError("organisation is empty: name the member organisation owning the site")
    owner = owners.setdefault(site_id, organisation)
    if owner.casefold() != organisation.casefold():
        raise ValueError(
            f"site {site_id} is already declared by organisation {owner!r}, not {organisation!r}"
        )
    if (site_id, molecule) in seen:
        raise ValueError(f"site {site_id} declares {molecule} twice")
    seen.add((site_id, molecule))
    source = (row.get("source") or "").strip()
    if not source:
        raise ValueError("source is empty: every declaration names its source")
    flag = (row.get("illustrative") or "").strip().casefold()
    illustrative = flag in {"yes", "true", "1"}
    status = _status(row["status"].strip())
    if illustrative and status != "operating":
        raise ValueError(
            f"status {status!r} on an illustrative row: a closure is a fact that needs a real "
            "source (the closure register); illustrative declarations are operating only"
        )
    return SiteCapacity(
        site_id=site_id,
        molecule=molecule,
        capacity_t=capacity,
        organisation=organisation,
        status=status,
        source=source,
        illustrative=illustrative,
        status_date=_date(row.get("status_date") or ""),
    )


def _date(text: str) -> date:
    text = text.strip()
    if not text:
        raise ValueError("status_date is empty: every status carries the date it was declared")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"status_date {text!r} is not a date (YYYY-MM-DD)") from None


def parse_capacities(
    text: str, *, source: str = BUNDLED, sites: Iterable[Site] | None = None
) -> CapacityLoad:
    """Read a capacities CSV against the production register (default: the shipped sites).

    >>> load = parse_capacities(
    ...     "site_id,molecule,capacity_t,organisation,status,status_date,source\\n"
    ...     "EXS-001,ammonia,900000,Example Chemicals A,operating,2026-01-01,example\\n"
    ...     "EXS-001,ammonia,-1,Example Chemicals A,operating,2026-01-01,example\\n",
    ...     source="test.csv")
    >>> load.summary()
    'test.csv: read 2 = kept 1 + rejected 1'
    >>> load.rejected[0].reason
    "capacity_t '-1' must be a positive number of tonnes per year"

    Raises
    ------
    ReferenceDataError
        When a required column is missing (names them).
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ReferenceDataError(
            f"{source}: missing columns {', '.join(missing)} "
            f"(expected {', '.join(REQUIRED_COLUMNS)})"
        )
    register = {s.site_id: s for s in (capacity_sites() if sites is None else sites)}
    owners: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    kept: list[SiteCapacity] = []
    rejected: list[RejectedRow] = []
    read = 0
    for row in reader:
        read += 1
        try:
            kept.append(_capacity(row, register, owners, seen))
        except ValueError as exc:
            rejected.append(
                RejectedRow(reader.line_num, (row.get("site_id") or "").strip(), str(exc))
            )
    return CapacityLoad(source, read, tuple(kept), tuple(rejected))


def read_capacities(path: Path) -> CapacityLoad:
    """Read a capacities file from disk."""
    return parse_capacities(path.read_text(encoding="utf-8-sig"), source=path.name)


@cache
def load_illustrative_sites() -> SiteLoad:
    """The fictitious sites of the illustrative declarations (cached); not in the register."""
    return parse_sites(
        data_text("critchem.production", ILLUSTRATIVE_SITES), source=ILLUSTRATIVE_SITES
    )


def capacity_sites() -> tuple[Site, ...]:
    """The sites a declaration may name: the public register and the fictitious sites."""
    return load_sites().sites + load_illustrative_sites().sites


@cache
def load_capacities() -> CapacityLoad:
    """The shipped, ILLUSTRATIVE capacities (cached)."""
    return parse_capacities(data_text("critchem.production", BUNDLED), source=BUNDLED)


def molecule_sites(
    molecule: str, capacities: Iterable[SiteCapacity] | None = None
) -> list[tuple[Site, SiteCapacity]]:
    """The sites declaring a capacity for ``molecule``, with it, largest first.

    >>> [(s.site_id, c.organisation) for s, c in molecule_sites("silicon")]
    [('EXS-085', 'Example Chemicals AS')]
    """
    rows = load_capacities().capacities if capacities is None else tuple(capacities)
    register = {s.site_id: s for s in capacity_sites()}
    found = [
        (register[c.site_id], c) for c in rows if c.molecule == molecule and c.site_id in register
    ]
    return sorted(found, key=lambda pair: (-pair[1].capacity_t, pair[0].site_id))
