"""Hazard and regulatory status of the registry molecules, shown beside a verdict, never inside it.

Two versioned data files with provenance (see ``data/SOURCES.md``):

- ``clp_annex_vi.tsv``: the harmonised classification of Annex VI, Table 3, of Regulation (EC)
  No 1272/2008 (CLP) for the registry molecules, copied from ECHA's export as amended by the
  23rd ATP (Delegated Regulation (EU) 2025/1222);
- ``regulatory_status.tsv``: a register of the REACH Annex XIV and XVII entries, SVHC
  candidate-list inclusions, F-gas (Regulation (EU) 2024/573), ODS (Regulation (EU) 2024/590)
  and PFAS restriction-proposal entries, each with its legal reference, date and source.

A molecule with no row has no harmonised classification (or none found in the registers): it
is never reported as "not hazardous".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from critchem.core.errors import ReferenceDataError
from critchem.nomenclature._files import read_rows

CLP_FILE = "clp_annex_vi.tsv"
REGULATORY_FILE = "regulatory_status.tsv"
CLP_SOURCE = (
    "Regulation (EC) No 1272/2008, Annex VI, Table 3, as amended up to the 23rd ATP "
    "(Delegated Regulation (EU) 2025/1222); ECHA export"
)
INSTRUMENTS = (
    "REACH Annex XVII",
    "REACH Annex XIV",
    "REACH SVHC candidate list",
    "F-gas Regulation (EU) 2024/573",
    "ODS Regulation (EU) 2024/590",
    "Universal PFAS restriction proposal",
)
_MINIMUM = re.compile(r"\s*\*+$")


@dataclass(frozen=True, slots=True)
class ClpEntry:
    """One Annex VI entry that covers a registry molecule."""

    molecule_id: str
    index_no: str
    chemical_name: str
    hazard_classes: tuple[str, ...]
    h_codes: tuple[str, ...]
    notes: str
    atp: str
    celex: str
    in_application: str


@dataclass(frozen=True, slots=True)
class RegulatoryEntry:
    """One regulatory entry of a molecule: instrument, status, legal reference, date, source."""

    molecule_id: str
    instrument: str
    status: str
    reference: str
    date: str
    date_is: str
    source_url: str
    note: str


def clp_classes(entries: tuple[ClpEntry, ...] | list[ClpEntry]) -> list[str]:
    """The hazard classes and categories of the entries, in Annex VI order, without repeats.

    The asterisk that Annex VI puts after a minimum classification (e.g. ``Acute Tox. 3 *``) is
    dropped; classes repeated for several exposure routes are listed once.

    >>> e = ClpEntry("x", "1", "x", ("Carc. 1A", "Acute Tox. 4 *", "Acute Tox. 4 *"), (), "",
    ...              "", "", "")
    >>> clp_classes([e])
    ['Carc. 1A', 'Acute Tox. 4']
    """
    out: list[str] = []
    for entry in entries:
        for text in entry.hazard_classes:
            name = _MINIMUM.sub("", text).strip()
            if name and name not in out:
                out.append(name)
    return out


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


def _clp_row(row: dict[str, str], where: str) -> ClpEntry:
    if not row.get("molecule_id") or not row.get("index_no"):
        raise ReferenceDataError(f"{where}: molecule_id and index_no are required")
    if not row.get("hazard_classes"):
        raise ReferenceDataError(f"{where}: no hazard class")
    return ClpEntry(
        molecule_id=row["molecule_id"],
        index_no=row["index_no"],
        chemical_name=row.get("chemical_name") or "",
        hazard_classes=_split(row["hazard_classes"]),
        h_codes=_split(row.get("h_codes") or ""),
        notes=row.get("notes") or "",
        atp=row.get("atp") or "",
        celex=row.get("celex") or "",
        in_application=row.get("in_application") or "",
    )


def _regulatory_row(row: dict[str, str], where: str) -> RegulatoryEntry:
    for key in ("molecule_id", "status", "reference", "date", "source_url"):
        if not (row.get(key) or "").strip():
            raise ReferenceDataError(f"{where}: '{key}' is required on every row")
    if row.get("instrument") not in INSTRUMENTS:
        raise ReferenceDataError(
            f"{where}: instrument {row.get('instrument')!r} not in {INSTRUMENTS}"
        )
    try:
        date.fromisoformat(row["date"])
    except ValueError as exc:
        raise ReferenceDataError(f"{where}: date {row['date']!r} is not YYYY-MM-DD") from exc
    if not row["source_url"].startswith(("http://", "https://")):
        raise ReferenceDataError(f"{where}: source_url must be a URL")
    return RegulatoryEntry(
        molecule_id=row["molecule_id"],
        instrument=row["instrument"],
        status=row["status"],
        reference=row["reference"],
        date=row["date"],
        date_is=row.get("date_is") or "",
        source_url=row["source_url"],
        note=row.get("note") or "",
    )


@cache
def load_clp() -> dict[str, tuple[ClpEntry, ...]]:
    """The shipped Annex VI entries, by molecule id (cached)."""
    out: dict[str, list[ClpEntry]] = defaultdict(list)
    rows = read_rows("critchem.molecules", CLP_FILE, delimiter="\t")
    for i, row in enumerate(rows, start=2):
        entry = _clp_row(row, f"{CLP_FILE}: row {i}")
        out[entry.molecule_id].append(entry)
    return {k: tuple(v) for k, v in out.items()}


@cache
def load_regulatory() -> dict[str, tuple[RegulatoryEntry, ...]]:
    """The shipped regulatory register, by molecule id, newest date first (cached)."""
    out: dict[str, list[RegulatoryEntry]] = defaultdict(list)
    rows = read_rows("critchem.molecules", REGULATORY_FILE, delimiter="\t")
    for i, row in enumerate(rows, start=2):
        entry = _regulatory_row(row, f"{REGULATORY_FILE}: row {i}")
        out[entry.molecule_id].append(entry)
    return {k: tuple(sorted(v, key=lambda e: e.date, reverse=True)) for k, v in out.items()}


def clp_of(molecule_id: str) -> tuple[ClpEntry, ...]:
    """The Annex VI entries covering ``molecule_id`` (empty when none)."""
    return load_clp().get(molecule_id, ())


def regulatory_of(molecule_id: str) -> tuple[RegulatoryEntry, ...]:
    """The regulatory entries of ``molecule_id`` (empty when none is registered)."""
    return load_regulatory().get(molecule_id, ())
