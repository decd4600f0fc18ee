"""Investment projects of the Alliance pipeline, validated on construction.

A project is immutable: a change is a new version in the pipeline store (see ``pipeline``).
``parse_project`` turns pydantic's errors into one :class:`ProjectValidationError` that names
the field, the value and why.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from critchem.core.errors import ProjectValidationError, UnknownCountryError
from critchem.molecules import load_registry
from critchem.nomenclature import load_countries

Label = Literal["CRMA strategic project", "NZIA strategic project", "IPCEI candidate", "STEP Seal"]
"""The labels a project may carry."""

LABELS: tuple[str, ...] = (
    "CRMA strategic project",
    "NZIA strategic project",
    "IPCEI candidate",
    "STEP Seal",
)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
"""A project id: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit."""
NUTS2_PATTERN = r"^[A-Z]{2}[0-9A-Z]{2}$"
"""A NUTS2 code once stripped and upper-cased: 2 letters and 2 letters or digits."""
_ID_RE = re.compile(ID_PATTERN.removesuffix("$") + r"\Z")
_NUTS2_RE = re.compile(NUTS2_PATTERN)
MAX_CAPEX_MEUR = 100_000.0
"""Largest capital expenditure of one project, in million euros (EUR 100 bn).

Far above any single chemical-site investment; a larger figure is a typing error or an
attack and is refused (as are Infinity and NaN), here and by the database's checks.
"""
MAX_CAPACITY_T_PER_YEAR = 1.0e9
"""Largest capacity of one molecule in one project, tonnes per year (1 Gt/yr)."""
MAX_GHG_TCO2E = 1.0e10
"""Largest GHG saving over ten years claimed by one project, t CO2e (10 Gt)."""
NUTS_PREFIX: dict[str, str] = {"GR": "EL"}
"""Member States whose NUTS codes do not start with their ISO alpha-2 code."""


class Status(enum.StrEnum):
    """Project status, from idea to operation (ordered)."""

    idea = "idea"
    feasibility = "feasibility"
    permitting = "permitting"
    fid = "fid"
    construction = "construction"
    operation = "operation"

    @property
    def rank(self) -> int:
        """Position in the life cycle: ``idea`` is 0, ``operation`` 5."""
        return list(Status).index(self)


def member_state_codes() -> list[str]:
    """The ISO alpha-2 codes of today's Member States, as a project stores them (Greece ``GR``).

    >>> codes = member_state_codes()
    >>> len(codes), codes[:3], "GR" in codes, "EL" in codes
    (27, ['AT', 'BE', 'BG'], True, False)
    """
    return sorted(p.code for p in load_countries().eu27())


def molecule_ids() -> list[str]:
    """The ids of the registry molecules a project may produce, sorted.

    >>> "ammonia" in molecule_ids()
    True
    """
    return sorted(m.id for m in load_registry())


def _eu_country(code: str) -> str:
    countries = load_countries()
    try:
        partner = countries.get(code)
    except UnknownCountryError:
        raise ValueError(f"unknown country code {code!r}") from None
    if not partner.is_eu():
        raise ValueError(f"{code!r} is not an EU Member State")
    return partner.code


class Promoter(BaseModel):
    """An organisation promoting the project and the Member State it is based in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    country: str

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return _eu_country(value)


class MoleculeCapacity(BaseModel):
    """A registry molecule the project produces and its capacity in tonnes per year."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    molecule: str
    capacity_t_per_year: float = Field(gt=0, le=MAX_CAPACITY_T_PER_YEAR, allow_inf_nan=False)

    @field_validator("molecule")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in load_registry():
            raise ValueError(f"molecule {value!r} is not in the molecule registry")
        return value


class Project(BaseModel):
    """One investment project of the pipeline (money in million euros)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str = Field(min_length=3)
    promoters: tuple[Promoter, ...] = Field(min_length=1)
    country: str
    nuts2: str
    site: str = Field(min_length=1)
    molecules: tuple[MoleculeCapacity, ...] = Field(min_length=1)
    status: Status
    start_year: int = Field(ge=2000, le=2100)
    capex_meur: float = Field(gt=0, le=MAX_CAPEX_MEUR, allow_inf_nan=False)
    funding_gap_meur: float = Field(ge=0, le=MAX_CAPEX_MEUR, allow_inf_nan=False)
    trl: int = Field(ge=1, le=9)
    ghg_avoided_10y_tco2e: float = Field(ge=0, le=MAX_GHG_TCO2E, allow_inf_nan=False)
    labels: tuple[Label, ...] = ()
    owner_org: str = Field(min_length=1)
    source: Literal["real", "illustrative"] = Field(
        default="real",
        description="'illustrative' for a fictitious example project (shown ILLUSTRATIVE).",
    )

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError("must be 1-64 letters, digits, '.', '_' or '-'")
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return _eu_country(value)

    @field_validator("nuts2")
    @classmethod
    def _nuts2(cls, value: str) -> str:
        code = value.strip().upper()
        if not _NUTS2_RE.match(code):
            raise ValueError("a NUTS2 code is 2 letters and 2 letters or digits, e.g. 'DEA1'")
        return code

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _consistent(self) -> Project:
        prefix = NUTS_PREFIX.get(self.country, self.country)
        if not self.nuts2.startswith(prefix):
            raise ValueError(
                f"nuts2 {self.nuts2!r} is not a region of country {self.country!r} "
                f"(expected a code starting with {prefix!r})"
            )
        if self.funding_gap_meur > self.capex_meur:
            raise ValueError(
                f"funding_gap_meur {self.funding_gap_meur:g} exceeds capex_meur {self.capex_meur:g}"
            )
        ids = [m.molecule for m in self.molecules]
        if len(ids) != len(set(ids)):
            raise ValueError(f"molecules lists a molecule twice: {ids}")
        return self

    @property
    def member_states(self) -> frozenset[str]:
        """The distinct Member States of the promoters."""
        return frozenset(p.country for p in self.promoters)


def _first_error(exc: ValidationError) -> tuple[str, object, str, bool]:
    err = exc.errors()[0]
    loc = ".".join(str(part) for part in err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    return loc, err.get("input"), msg, err["type"] == "missing"


def parse_project(data: dict[str, Any]) -> Project:
    """Validate ``data`` into a :class:`Project`; the error names the field and the value.

    >>> parse_project({"id": "x"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    critchem.core.errors.ProjectValidationError: project 'x': field 'title'...
    """
    try:
        return Project.model_validate(data)
    except ValidationError as exc:
        field, value, why, missing = _first_error(exc)
        pid = data.get("id", "?")
        if not field:
            named = why.split(" ", 1)[0]
            field = named if named in Project.model_fields else ""
            raise ProjectValidationError(
                f"project {pid!r}: {why}", field=field, value=data.get(field)
            ) from None
        shown = "missing" if missing else repr(value)
        raise ProjectValidationError(
            f"project {pid!r}: field {field!r} = {shown}: {why}", field=field, value=value
        ) from None


class ProjectVersion(BaseModel):
    """One stored version of a project."""

    id: str
    version: int
    action: Literal["add", "update"]
    recorded_at: datetime
    recorded_by: str
    project: Project
