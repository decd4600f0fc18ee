"""The register of real funded projects (``data/funded_projects.csv``).

Ground truth of what is already funded in the chemical value chains: Innovation Fund and
Hydrogen Bank selections, IPCEI participants, EIB loans and national carbon contracts for
difference. Every row carries its source and the date it was checked; a row without a
source is refused. Figures a source does not give stay empty (never zero).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache

from critchem.core.errors import ReferenceDataError
from critchem.nomenclature._files import data_text

FUNDED_FILE = "funded_projects.csv"
COLUMNS = (
    "project",
    "company",
    "site",
    "country",
    "molecule",
    "product",
    "capacity_t_per_year",
    "capacity_note",
    "instrument",
    "instrument_id",
    "amount_meur",
    "amount_note",
    "date",
    "start_year",
    "source",
    "checked",
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class FundedProject:
    """One funded project as published (money in million euros, capacity in t/year)."""

    project: str
    company: str
    site: str
    country: str
    molecule: str
    product: str
    capacity_t_per_year: float | None
    capacity_note: str
    instrument: str
    instrument_id: str
    amount_meur: float | None
    amount_note: str
    date: str
    start_year: int | None
    source: str
    checked: str

    @property
    def year(self) -> int:
        """The year of the award."""
        return int(self.date[:4])


def _number(text: str, column: str, where: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ReferenceDataError(f"{where}: {column} {text!r} is not a number") from None
    if value < 0:
        raise ReferenceDataError(f"{where}: {column} {text!r} is negative")
    return value


def parse_funded(text: str, *, source: str = FUNDED_FILE) -> tuple[FundedProject, ...]:
    """Validate the register; an error names the file, the line and the column.

    >>> rows = parse_funded(",".join(COLUMNS) + "\\n"
    ...     "P,C,,FI,hydrogen,H2,100,,IF,,5,,2024,,https://x,2026-12-06\\n")
    >>> rows[0].capacity_t_per_year, rows[0].year
    (100.0, 2024)
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ReferenceDataError(f"{source}: missing columns {', '.join(missing)}")
    rows: list[FundedProject] = []
    for row in reader:
        where = f"{source}, line {reader.line_num}"
        cells = {c: (row.get(c) or "").strip() for c in COLUMNS}
        for needed in ("project", "company", "country", "instrument", "source", "checked"):
            if not cells[needed]:
                raise ReferenceDataError(f"{where}: {needed} is empty (every row needs it)")
        for column in ("date", "checked"):
            if not _DATE.match(cells[column]):
                raise ReferenceDataError(
                    f"{where}: {column} {cells[column]!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
                )
        start = cells["start_year"]
        if start and not (start.isdigit() and len(start) == 4):
            raise ReferenceDataError(f"{where}: start_year {start!r} is not a year")
        rows.append(
            FundedProject(
                project=cells["project"],
                company=cells["company"],
                site=cells["site"],
                country=cells["country"],
                molecule=cells["molecule"],
                product=cells["product"],
                capacity_t_per_year=_number(cells["capacity_t_per_year"], "capacity", where),
                capacity_note=cells["capacity_note"],
                instrument=cells["instrument"],
                instrument_id=cells["instrument_id"],
                amount_meur=_number(cells["amount_meur"], "amount_meur", where),
                amount_note=cells["amount_note"],
                date=cells["date"],
                start_year=int(start) if start else None,
                source=cells["source"],
                checked=cells["checked"],
            )
        )
    return tuple(rows)


@cache
def load_funded() -> tuple[FundedProject, ...]:
    """The shipped register of real funded projects (cached)."""
    return parse_funded(data_text("critchem.investment", FUNDED_FILE))


def funded_for(molecule: str) -> tuple[FundedProject, ...]:
    """The funded projects adding capacity of ``molecule``."""
    return tuple(p for p in load_funded() if p.molecule == molecule)
