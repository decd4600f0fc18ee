"""PRODCOM observations: one reporter, PRODCOM code and year, with the status of each figure.

PRODCOM (Eurostat, "sold production, exports and imports by PRODCOM list") publishes per
reporter (Member State or EU aggregate), 8-digit PRODCOM code and year the value of sold
production (``PRODVAL``, EUR), its quantity (``PRODQNT``) in the code's unit (``QNTUNIT``),
and flags for each figure (``PVALFLAG``, ``PQNTFLAG``). The flags, per Eurostat's PRODCOM user
guide: blank = available; ``:`` = not available; ``:C`` = confidential; ``:E`` = estimate
(published); ``:U`` = low reliability, suppressed from national publication (included in EU
totals); ``:R`` = rounded (see the rounding base ``PVALBASE``/``PQNTBASE``); ``-`` = not
applicable.

A confidential figure stays confidential: its status is ``confidential`` and its value is
``None`` even when the file carries a number beside the flag. A suppressed, unavailable or
unpublished figure is ``None`` with its status; it is never read as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REPORTED = "reported"
ESTIMATE = "estimate"
ROUNDED = "rounded"
CONFIDENTIAL = "confidential"
SUPPRESSED = "suppressed"
NOT_AVAILABLE = "not_available"
NOT_APPLICABLE = "not_applicable"
NOT_PUBLISHED = "not_published"

WITH_VALUE = frozenset({REPORTED, ESTIMATE, ROUNDED})
"""Statuses whose figure can be used."""

FLAG_STATUS: dict[str, str] = {
    "": REPORTED,
    ":": NOT_AVAILABLE,
    ":C": CONFIDENTIAL,
    ":E": ESTIMATE,
    ":U": SUPPRESSED,
    ":R": ROUNDED,
    "-": NOT_APPLICABLE,
}
"""PRODCOM flag (as written in ``PVALFLAG``/``PQNTFLAG``) → status of the figure."""

OBS_FLAG_STATUS: dict[str, str] = {"c": CONFIDENTIAL, "e": ESTIMATE, "u": SUPPRESSED}
"""SDMX observation flags (``OBS_FLAG`` column) that change a figure's status."""


def flag_status(flag: str) -> str | None:
    """The status of a PRODCOM flag, or ``None`` when the flag is not known.

    Flags are read without surrounding spaces and case-insensitively; the colon is optional
    (``C`` and ``:C`` both mean confidential).

    >>> flag_status(":C"), flag_status("c"), flag_status(""), flag_status("-")
    ('confidential', 'confidential', 'reported', 'not_applicable')
    >>> flag_status(":X") is None
    True
    """
    text = flag.strip().upper()
    if text in FLAG_STATUS:
        return FLAG_STATUS[text]
    if len(text) == 1 and f":{text}" in FLAG_STATUS:
        return FLAG_STATUS[f":{text}"]
    return None


@dataclass(frozen=True, slots=True)
class Figure:
    """One published figure (a value or a quantity) and its status."""

    value: float | None
    status: str

    @property
    def usable(self) -> bool:
        """Whether the figure can be used in a computation."""
        return self.value is not None and self.status in WITH_VALUE


@dataclass(frozen=True, slots=True)
class Observation:
    """Sold production (and PRODCOM's own trade columns) of one reporter, code and year."""

    reporter: str
    prccode: str
    year: int
    production_value: Figure
    production_quantity: Figure
    unit: str | None
    export_value: float | None = None
    import_value: float | None = None
    line: int = 0
    """First line of the file that contributed to the observation."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "reporter": self.reporter,
            "prccode": self.prccode,
            "year": self.year,
            "production_value_eur": self.production_value.value,
            "production_value_status": self.production_value.status,
            "production_quantity": self.production_quantity.value,
            "production_quantity_status": self.production_quantity.status,
            "unit": self.unit,
            "export_value_eur": self.export_value,
            "import_value_eur": self.import_value,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row of a PRODCOM file that could not be used, with its line and the reason."""

    line: int
    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class ProdcomParse:
    """The result of reading one PRODCOM file.

    Every data row of the file is counted once: ``rows_read == rows_used + rows_ignored +
    len(rejected)``. ``ignored`` counts the rows of indicators that critchem does not use
    (e.g. ``PVALBASE``, ``OWNPRODVAL``), by indicator name.
    """

    path: str
    layout: str
    sha256: str
    observations: tuple[Observation, ...]
    rejected: tuple[Rejected, ...]
    rows_read: int
    rows_used: int
    ignored: dict[str, int]

    @property
    def rows_ignored(self) -> int:
        """Rows of indicators not used."""
        return sum(self.ignored.values())

    def reconciles(self) -> bool:
        """Whether every data row is accounted for."""
        return self.rows_read == self.rows_used + self.rows_ignored + len(self.rejected)

    def years(self) -> list[int]:
        """The years present in the file."""
        return sorted({o.year for o in self.observations})
