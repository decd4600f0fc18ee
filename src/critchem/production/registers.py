"""Public registers of real plants: published capacities and announced or completed closures.

Three shipped registers, each a versioned file with its source on every row
(``data/SOURCES.md``):

* ``ammonia_plants_pypsa-eur.csv``: the ammonia plants of the PyPSA-Eur project (CC BY 4.0),
  verbatim; capacities in kt/a, a date and a source URL per row;
* ``published_capacities.csv``: capacities of real units published in news or company
  releases, with status ``operating``, the date the source states it and the source;
* ``closures_2022_2026.csv``: EU chemical production closures announced or completed from
  2022 to 2026, with status ``closure_announced`` or ``closed``, the announcement date, the
  effective date where published and the source.

Every row is kept or rejected with its line and the reason, never dropped silently, so that
``rows_read == len(rows) + len(rejected)``. A row without a source or a date is rejected: a
fact without its source stays out. Nothing here is a member's confidential declaration (see
:mod:`critchem.production.capacities`); nothing here is invented.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Generic, Literal, TypeVar

from critchem.core.errors import ReferenceDataError
from critchem.molecules import load_registry
from critchem.nomenclature import load_countries
from critchem.nomenclature._files import data_text, read_rows
from critchem.production.sites import RejectedRow, in_eu27

AMMONIA_PLANTS = "ammonia_plants_pypsa-eur.csv"
PUBLISHED_CAPACITIES = "published_capacities.csv"
CLOSURES = "closures_2022_2026.csv"
COVERAGE = "register_coverage.tsv"

PlantStatus = Literal["operating", "closure_announced", "closed"]
STATUSES: tuple[PlantStatus, ...] = ("operating", "closure_announced", "closed")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DMY = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")

T = TypeVar("T")


@dataclass(frozen=True)
class PublicDate:
    """A date as precise as its source: a year, a month or a day (``2027``, ``2027-04``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PublicDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        >>> PublicDate.parse("2025-07").text
        '2025-07'
        >>> PublicDate.parse("2025-13")
        Traceback (most recent call last):
        ...
        ValueError: date '2025-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)
        """
        match = _DATE.match(text.strip())
        if match is None:
            raise ValueError(f"date {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            raise ValueError(f"date {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
        return cls(year, month, day)

    @property
    def key(self) -> tuple[int, int, int]:
        """A sort key: a year sorts before its months, a month before its days."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def text(self) -> str:
        """The date as written, at its precision."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True)
class PlantCapacity:
    """A published capacity of a real unit (t/year), with its source and date."""

    register: str
    id: str
    company: str
    """The company as named by the source (the operator, not a consolidated group)."""
    site: str
    country: str
    """ISO 3166-1 alpha-2."""
    unit: str
    molecule: str
    capacity_t: float | None
    """``None`` when the source lists the plant without a capacity for the molecule."""
    status: PlantStatus | None
    """``None`` when the source states no status (a list of plants with their capacities)."""
    as_of: PublicDate
    source: str
    note: str = ""
    lat: float | None = None
    lon: float | None = None
    source_type: str = ""
    """What the source is (``SOURCE_TYPES``): a company's own release, trade press ..."""

    @property
    def eu27(self) -> bool:
        """Whether the plant is in a Member State of today's EU."""
        return in_eu27(self.country)


@dataclass(frozen=True)
class Closure:
    """A closure of a real unit, announced or completed, with its dates and source."""

    id: str
    company: str
    site: str
    country: str
    unit: str
    molecule: str | None
    """The registry molecule of the unit, ``None`` when it makes none of the registry."""
    capacity_t: float | None
    """``None`` when no source publishes the capacity."""
    status: PlantStatus
    announced: PublicDate
    effective: PublicDate | None
    source: str
    note: str = ""

    @property
    def eu27(self) -> bool:
        """Whether the unit is in a Member State of today's EU."""
        return in_eu27(self.country)


@dataclass(frozen=True)
class RegisterLoad(Generic[T]):
    """The result of reading one register; ``rows_read = kept + rejected``."""

    source: str
    rows_read: int
    rows: tuple[T, ...]
    rejected: tuple[RejectedRow, ...]

    def summary(self) -> str:
        """One line that reconciles the load."""
        return (
            f"{self.source}: read {self.rows_read} = kept {len(self.rows)} "
            f"+ rejected {len(self.rejected)}"
        )


def _read(
    text: str,
    source: str,
    required: tuple[str, ...],
    build: Callable[[Mapping[str, str]], T],
    key: str,
) -> RegisterLoad[T]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or ())]
    if missing:
        raise ReferenceDataError(
            f"{source}: missing columns {', '.join(missing)} (expected {', '.join(required)})"
        )
    kept: list[T] = []
    rejected: list[RejectedRow] = []
    read = 0
    for row in reader:
        read += 1
        try:
            kept.append(build(row))
        except ValueError as exc:
            rejected.append(RejectedRow(reader.line_num, (row.get(key) or "").strip(), str(exc)))
    return RegisterLoad(source, read, tuple(kept), tuple(rejected))


def _source(row: Mapping[str, str], column: str = "source") -> str:
    text = (row.get(column) or "").strip()
    if not text:
        raise ValueError("no source: a register row names its source (URL or document)")
    return text


SOURCE_TYPES = ("company", "regulator", "association", "dataset", "trade_press")
"""Kinds of source, most primary first: trade press is used only when nothing better was found."""


def source_type(row: Mapping[str, str]) -> str:
    """The optional ``source_type`` column: empty, or one of ``SOURCE_TYPES``."""
    text = (row.get("source_type") or "").strip()
    if text and text not in SOURCE_TYPES:
        raise ValueError(f"source_type {text!r} is not one of {', '.join(SOURCE_TYPES)}")
    return text


def _required(row: Mapping[str, str], column: str) -> str:
    text = (row.get(column) or "").strip()
    if not text:
        raise ValueError(f"{column} is empty")
    return text


def _capacity(text: str, column: str, factor: float = 1.0) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number") from None
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{column} {text!r} must be a positive number")
    return value * factor


def _molecule(text: str, *, optional: bool) -> str | None:
    text = text.strip()
    if not text:
        if optional:
            return None
        raise ValueError("molecule is empty")
    if text not in load_registry():
        raise ValueError(f"molecule {text!r} is not in the molecule registry")
    return text


def _status(text: str, allowed: tuple[PlantStatus, ...]) -> PlantStatus:
    for status in allowed:
        if text.strip() == status:
            return status
    raise ValueError(f"status {text.strip()!r} is not one of {', '.join(allowed)}")


def _country(text: str) -> str:
    code = text.strip().upper()
    if code not in load_countries():
        raise ValueError(f"country {text.strip()!r} is not an ISO 3166-1 alpha-2 code")
    return code


def _date(row: Mapping[str, str], column: str) -> PublicDate:
    text = (row.get(column) or "").strip()
    if not text:
        raise ValueError(f"{column} is empty: every status carries its date")
    return PublicDate.parse(text)


def _published(row: Mapping[str, str]) -> PlantCapacity:
    source = _source(row)
    molecule = _molecule(row.get("molecule") or "", optional=False)
    assert molecule is not None
    return PlantCapacity(
        register=PUBLISHED_CAPACITIES,
        id=_required(row, "id"),
        company=_required(row, "company"),
        site=_required(row, "site"),
        country=_country(row.get("country") or ""),
        unit=(row.get("unit") or "").strip(),
        molecule=molecule,
        capacity_t=_capacity(row.get("capacity_t") or "", "capacity_t"),
        status=_status(row.get("status") or "", ("operating",)),
        as_of=_date(row, "as_of"),
        source=source,
        note=(row.get("note") or "").strip(),
        source_type=source_type(row),
    )


def _closure(row: Mapping[str, str]) -> Closure:
    source = _source(row)
    announced = _date(row, "announced")
    effective_text = (row.get("effective") or "").strip()
    effective = PublicDate.parse(effective_text) if effective_text else None
    status = _status(row.get("status") or "", ("closure_announced", "closed"))
    if status == "closed" and effective is None:
        raise ValueError("status closed needs its effective date")
    return Closure(
        id=_required(row, "id"),
        company=_required(row, "company"),
        site=_required(row, "site"),
        country=_country(row.get("country") or ""),
        unit=_required(row, "unit"),
        molecule=_molecule(row.get("molecule") or "", optional=True),
        capacity_t=_capacity(row.get("capacity_t") or "", "capacity_t"),
        status=status,
        announced=announced,
        effective=effective,
        source=source,
        note=(row.get("note") or "").strip(),
    )


CLOSURE_COLUMNS = (
    "id",
    "company",
    "site",
    "country",
    "unit",
    "molecule",
    "capacity_t",
    "status",
    "announced",
    "effective",
    "source",
)
PUBLISHED_COLUMNS = (
    "id",
    "company",
    "site",
    "country",
    "unit",
    "molecule",
    "capacity_t",
    "status",
    "as_of",
    "source",
)
AMMONIA_COLUMNS = ("Plant", "Ammonia [kt/a]", "Country", "Latitude", "Longitude", "Date", "Source")


def parse_closures(text: str, *, source: str = CLOSURES) -> RegisterLoad[Closure]:
    """Read a closure register; a row without source or announcement date is rejected.

    >>> load = parse_closures(
    ...     "id,company,site,country,unit,molecule,capacity_t,status,announced,effective,source\\n"
    ...     "X1,Co,Town,DE,cracker,ethylene,500000,closure_announced,2025-07-07,2027,https://a\\n"
    ...     "X2,Co,Town,DE,cracker,propylene,,closure_announced,2025-07-07,2027,\\n",
    ...     source="t.csv")
    >>> load.summary(), load.rejected[0].line, load.rejected[0].reason
    ('t.csv: read 2 = kept 1 + rejected 1', 3, 'no source: a register row names its source (URL or document)')

    Raises
    ------
    ReferenceDataError
        When a required column is missing (names them).
    """
    return _read(text, source, CLOSURE_COLUMNS, _closure, "id")


def parse_published_capacities(
    text: str, *, source: str = PUBLISHED_CAPACITIES
) -> RegisterLoad[PlantCapacity]:
    """Read a register of published capacities (status ``operating`` with its date and source).

    Raises
    ------
    ReferenceDataError
        When a required column is missing (names them).
    """
    return _read(text, source, PUBLISHED_COLUMNS, _published, "id")


@cache
def _country_labels() -> dict[str, str]:
    return {
        r["label"]: r["iso2"]
        for r in read_rows("critchem.production", "country_labels.tsv", delimiter="\t")
    }


@cache
def _operators() -> dict[str, str]:
    return {
        r["plant"]: r["company"]
        for r in read_rows("critchem.production", "ammonia_plant_operators.tsv", delimiter="\t")
    }


def _ammonia(row: Mapping[str, str]) -> PlantCapacity:
    plant = _required(row, "Plant")
    source = _source(row, "Source")
    text = (row.get("Date") or "").strip()
    match = _DMY.match(text)
    if match is None:
        raise ValueError(f"Date {text!r} is not DD-MM-YYYY")
    day, month, year = (int(g) for g in match.groups())
    as_of = PublicDate.parse(f"{year:04d}-{month:02d}-{day:02d}")
    label = (row.get("Country") or "").strip()
    country = _country_labels().get(label)
    if country is None:
        raise ValueError(f"country {label!r} is not in country_labels.tsv")
    lat = _coordinate(row.get("Latitude") or "", "Latitude", 90.0)
    lon = _coordinate(row.get("Longitude") or "", "Longitude", 180.0)
    return PlantCapacity(
        register=AMMONIA_PLANTS,
        id=plant,
        company=_operators().get(plant, plant),
        site=plant,
        country=country,
        unit="ammonia plant",
        molecule="ammonia",
        capacity_t=_capacity(row.get("Ammonia [kt/a]") or "", "Ammonia [kt/a]", 1000.0),
        status=None,
        as_of=as_of,
        source=source,
        note=(row.get("Comment") or "").strip(),
        lat=lat,
        lon=lon,
        source_type="dataset",
    )


def _coordinate(text: str, column: str, bound: float) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a number") from None
    if not -bound <= value <= bound:
        raise ValueError(f"{column} {text!r} is outside -{bound:g}..{bound:g}")
    return value


def parse_ammonia_plants(text: str, *, source: str = AMMONIA_PLANTS) -> RegisterLoad[PlantCapacity]:
    """Read the PyPSA-Eur ammonia plant list (kt/a -> t/year); rows without a source are rejected.

    >>> header = '"Plant","Ammonia [kt/a]","Country","Latitude","Longitude","Date","Source"\\n'
    >>> load = parse_ammonia_plants(header
    ...     + '"Yara Sluiskil","1700","Netherlands","51.27","3.85","13-01-2023","https://a"\\n'
    ...     + '"Unknown (Oulu)",,"Finland","65.00","25.44","15-08-2024",,\\n', source="t.csv")
    >>> [(p.company, p.capacity_t, p.as_of.text) for p in load.rows]
    [('Yara', 1700000.0, '2023-01-13')]
    >>> load.rejected[0].line
    3

    Raises
    ------
    ReferenceDataError
        When a required column is missing (names them).
    """
    return _read(text, source, AMMONIA_COLUMNS, _ammonia, "Plant")


@cache
def load_closures() -> RegisterLoad[Closure]:
    """The shipped closure register (cached)."""
    return parse_closures(data_text("critchem.production", CLOSURES))


@cache
def load_published_capacities() -> RegisterLoad[PlantCapacity]:
    """The shipped register of published capacities (cached)."""
    return parse_published_capacities(data_text("critchem.production", PUBLISHED_CAPACITIES))


@cache
def load_ammonia_plants() -> RegisterLoad[PlantCapacity]:
    """The shipped PyPSA-Eur ammonia plants (cached)."""
    return parse_ammonia_plants(data_text("critchem.production", AMMONIA_PLANTS))


def public_capacities(molecule: str | None = None) -> list[PlantCapacity]:
    """The published capacities of real plants (both capacity registers), optionally of one molecule.

    >>> sorted({p.register for p in public_capacities("ammonia")})
    ['ammonia_plants_pypsa-eur.csv']
    """
    rows = load_ammonia_plants().rows + load_published_capacities().rows
    return [p for p in rows if molecule is None or p.molecule == molecule]


def closures(molecule: str | None = None) -> list[Closure]:
    """The closures of the register, optionally of one molecule, in announcement order.

    >>> [c.company for c in closures("ammonia")]
    ['BASF', 'Yara']
    """
    rows = [c for c in load_closures().rows if molecule is None or c.molecule == molecule]
    return sorted(rows, key=lambda c: (c.announced.key, c.id))


@dataclass(frozen=True)
class Coverage:
    """The capacity register a molecule's site indicators come from, and what it covers."""

    molecule: str
    register: str
    note: str


@cache
def register_coverage() -> dict[str, Coverage]:
    """The molecules with a public register of their EU plants (``register_coverage.tsv``).

    >>> register_coverage()["ammonia"].register
    'ammonia_plants_pypsa-eur.csv'
    """
    return {
        r["molecule"]: Coverage(r["molecule"], r["register"], r["note"])
        for r in read_rows("critchem.production", COVERAGE, delimiter="\t")
    }


def register_rows(register: str) -> RegisterLoad[PlantCapacity]:
    """The load of a shipped capacity register by its file name.

    Raises
    ------
    ReferenceDataError
        When ``register`` is not a shipped capacity register.
    """
    loads = {AMMONIA_PLANTS: load_ammonia_plants, PUBLISHED_CAPACITIES: load_published_capacities}
    if register not in loads:
        raise ReferenceDataError(
            f"{register!r} is not a capacity register (one of {', '.join(sorted(loads))})"
        )
    return loads[register]()


@cache
def register_hash(name: str) -> str:
    """SHA-256 of a shipped register file, for provenance."""
    return hashlib.sha256(data_text("critchem.production", name).encode("utf-8")).hexdigest()
