"""State-aid intensity ceilings (``data/aid_intensities.csv``), each with its provision and source.

A row is the maximum aid intensity of one provision (GBER article, CEEAG section, ETS
indirect-cost guidelines) for one enterprise size or condition, and the base it applies to:
the eligible costs of a cost item, its funding gap, or the indirect emission costs. Every
row names its legal reference, the URL it was verified against and the date it was checked;
a row without them is refused with its line. Figures that could not be verified are not in
the file (see ``data/SOURCES.md``).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from critchem.core.errors import InstrumentCatalogueError, NotFoundError
from critchem.nomenclature._files import data_text

INTENSITY_FILE = "aid_intensities.csv"
COLUMNS = (
    "id",
    "framework",
    "provision",
    "measure",
    "enterprise",
    "condition",
    "max_intensity",
    "base",
    "legal_reference",
    "source",
    "checked",
    "note",
)
Base = Literal["eligible_costs", "funding_gap", "indirect_emission_costs"]
BASES: tuple[Base, ...] = ("eligible_costs", "funding_gap", "indirect_emission_costs")
ENTERPRISES = ("any", "large", "medium", "small")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class AidIntensity:
    """The maximum aid intensity of one provision, as a fraction of its ``base``."""

    id: str
    framework: str
    provision: str
    measure: str
    enterprise: str
    condition: str
    max_intensity: float
    base: Base
    legal_reference: str
    source: str
    checked: str
    note: str

    def ceiling_meur(self, base_meur: float) -> float:
        """Most aid on a cost item: ``max_intensity × base`` (M€).

        >>> AidIntensity("x", "GBER", "Article 41", "", "large", "", 0.45, "eligible_costs",
        ...              "", "", "", "").ceiling_meur(100.0)
        45.0
        """
        return self.max_intensity * base_meur

    @property
    def label(self) -> str:
        """``"GBER Article 41 (large)"``: framework, provision and size or condition."""
        qualifier = self.condition or self.enterprise
        return f"{self.framework} {self.provision} ({qualifier})"


def _row(line: int, raw: dict[str, str]) -> AidIntensity:
    def fail(field: str, why: str) -> InstrumentCatalogueError:
        return InstrumentCatalogueError(f"{INTENSITY_FILE}, line {line}, field {field!r}: {why}")

    values = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    for field in ("id", "framework", "provision", "legal_reference", "source", "checked"):
        if not values[field]:
            raise fail(field, "empty; every intensity needs its provision, source and date")
    if not _ID.match(values["id"]):
        raise fail("id", f"{values['id']!r} is not lower-case letters, digits and hyphens")
    if not values["source"].startswith(("http://", "https://")):
        raise fail("source", f"{values['source']!r} is not a URL")
    if not _DATE.match(values["checked"]):
        raise fail("checked", f"{values['checked']!r} is not a date YYYY-MM-DD")
    if values["enterprise"] not in ENTERPRISES:
        raise fail("enterprise", f"{values['enterprise']!r} is not one of {', '.join(ENTERPRISES)}")
    if values["base"] not in BASES:
        raise fail("base", f"{values['base']!r} is not one of {', '.join(BASES)}")
    try:
        rate = float(values["max_intensity"])
    except ValueError:
        raise fail("max_intensity", f"{values['max_intensity']!r} is not a number") from None
    if not (math.isfinite(rate) and 0 < rate <= 1):
        raise fail("max_intensity", f"{rate!r} is not a fraction in (0, 1]")
    return AidIntensity(
        **{k: v for k, v in values.items() if k not in ("max_intensity", "base")},
        max_intensity=rate,
        base=values["base"],
    )


def parse_intensities(text: str) -> dict[str, AidIntensity]:
    """Parse the intensity table; a bad row raises with its line and field.

    Raises
    ------
    InstrumentCatalogueError
        A missing column, a duplicate id or a row without provision, source or date.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InstrumentCatalogueError(f"{INTENSITY_FILE}: missing column(s) {', '.join(missing)}")
    table: dict[str, AidIntensity] = {}
    for line, raw in enumerate(reader, start=2):
        row = _row(line, raw)
        if row.id in table:
            raise InstrumentCatalogueError(f"{INTENSITY_FILE}, line {line}: id {row.id!r} twice")
        table[row.id] = row
    return table


@cache
def load_intensities() -> dict[str, AidIntensity]:
    """The shipped intensity table, by id."""
    return parse_intensities(data_text("critchem.investment", INTENSITY_FILE))


def get_intensity(rule_id: str) -> AidIntensity:
    """The intensity row ``rule_id``; an unknown id lists the known ones."""
    table = load_intensities()
    try:
        return table[rule_id]
    except KeyError:
        raise NotFoundError(f"no State-aid intensity {rule_id!r}", sorted(table)) from None
