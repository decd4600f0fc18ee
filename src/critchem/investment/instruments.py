"""The funding-instrument catalogue: a versioned data file (``data/instruments.yaml``).

Every figure of an instrument must carry its source (``sources`` keyed by field name); a
figure without a source is refused, and every error names the instrument and the field.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from critchem.core.errors import InstrumentCatalogueError, NotFoundError
from critchem.investment.projects import Label, Status
from critchem.nomenclature._files import data_text

CATALOGUE_FILE = "instruments.yaml"

Form = Literal["grant", "loan", "guarantee", "equity", "fixed_premium", "state_aid"]
Scope = Literal["eu", "national", "multi_country"]
Stage = Literal["adopted", "announced"]
Availability = Literal["open", "not_yet_open", "closed", "announced", "opening_unknown"]

FIGURES: tuple[str, ...] = (
    "max_aid_rate",
    "public_support_cap",
    "min_ticket_meur",
    "max_ticket_meur",
    "budget_meur",
    "window",
    "eligibility.trl_min",
    "eligibility.trl_max",
    "eligibility.countries",
    "eligibility.nuts2_prefixes",
    "eligibility.min_capex_meur",
    "eligibility.max_capex_meur",
    "opens",
    "closes",
)
"""Fields that state a figure or a legal condition and so need a source when set."""


class Eligibility(BaseModel):
    """Declarative eligibility conditions; ``None`` means no restriction encoded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trl_min: int | None = Field(default=None, ge=1, le=9)
    trl_max: int | None = Field(default=None, ge=1, le=9)
    statuses: tuple[Status, ...] | None = None
    countries: tuple[str, ...] | None = None
    nuts2_prefixes: tuple[str, ...] | None = None
    labels_required: tuple[Label, ...] = ()
    labels_any: tuple[Label, ...] = ()
    min_capex_meur: float | None = Field(default=None, ge=0)
    max_capex_meur: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ranges(self) -> Eligibility:
        if self.trl_min and self.trl_max and self.trl_min > self.trl_max:
            raise ValueError(f"trl_min {self.trl_min} is above trl_max {self.trl_max}")
        lo, hi = self.min_capex_meur, self.max_capex_meur
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"min_capex_meur {lo:g} is above max_capex_meur {hi:g}")
        return self


class Instrument(BaseModel):
    """One funding instrument (money in million euros, rates as fractions)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    form: Form
    eu_funds: bool
    state_aid: bool
    cumulation_group: str
    max_aid_rate: float | None = Field(default=None, gt=0, le=1)
    aid_basis: Literal["relevant_costs", "funding_gap"] = "relevant_costs"
    public_support_cap: float | None = Field(default=None, gt=0, le=1)
    min_ticket_meur: float | None = Field(default=None, ge=0)
    max_ticket_meur: float | None = Field(default=None, gt=0)
    budget_meur: float | None = Field(default=None, gt=0)
    window: str | None = None
    eligibility: Eligibility = Eligibility()
    sources: dict[str, str] = {}
    notes: str = ""
    example: bool = False
    scope: Scope = "eu"
    stage: Stage = "adopted"
    legal_basis: str = ""
    opens: date | None = None
    closes: date | None = None
    checked: date | None = None

    def availability(self, on: date) -> Availability:
        """Whether the instrument can be applied to on ``on``.

        ``announced`` (not adopted yet), ``not_yet_open`` (before ``opens``), ``closed``
        (after ``closes``, the call deadline or the end of the legal window),
        ``opening_unknown`` (before a deadline whose opening date is not encoded) or ``open``.
        """
        if self.stage == "announced":
            return "announced"
        if self.opens is not None and on < self.opens:
            return "not_yet_open"
        if self.closes is not None and on > self.closes:
            return "closed"
        if self.closes is not None and self.opens is None:
            return "opening_unknown"
        return "open"

    @model_validator(mode="after")
    def _sourced(self) -> Instrument:
        for name in FIGURES:
            holder: BaseModel = self
            field = name
            if name.startswith("eligibility."):
                holder, field = self.eligibility, name.split(".", 1)[1]
            if getattr(holder, field) is not None and not self.sources.get(name):
                raise ValueError(f"{name} is set but has no source in 'sources'")
        if self.eligibility.labels_required and not self.sources.get("eligibility.labels_required"):
            raise ValueError("eligibility.labels_required is set but has no source in 'sources'")
        lo, hi = self.min_ticket_meur, self.max_ticket_meur
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"min_ticket_meur {lo:g} is above max_ticket_meur {hi:g}")
        if self.opens is not None and self.closes is not None and self.opens > self.closes:
            raise ValueError(f"opens {self.opens} is after closes {self.closes}")
        return self


class CumulationGroup(BaseModel):
    """A group of instruments sharing a cumulation rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exclusive: bool
    description: str
    source: str = Field(min_length=1)


class Catalogue(BaseModel):
    """The validated catalogue."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    updated: str = ""
    cumulation_groups: dict[str, CumulationGroup]
    instruments: tuple[Instrument, ...]

    def on(self, day: date) -> list[tuple[Instrument, Availability]]:
        """Every instrument with its availability on ``day`` (open ones first)."""
        order = {"open": 0, "opening_unknown": 1, "not_yet_open": 2, "announced": 3, "closed": 4}
        rows = [(inst, inst.availability(day)) for inst in self.instruments]
        return sorted(rows, key=lambda r: (order[r[1]], r[0].id))

    def get(self, instrument_id: str) -> Instrument:
        """The instrument with this id."""
        for inst in self.instruments:
            if inst.id == instrument_id:
                return inst
        raise NotFoundError(
            f"no instrument {instrument_id!r} in catalogue {self.version}",
            [i.id for i in self.instruments],
        )


def _describe(loc_parts: tuple[int | str, ...], message: str, entries: list[object]) -> str:
    loc = [str(p) for p in loc_parts]
    msg = message.removeprefix("Value error, ")
    if len(loc) >= 2 and loc[0] == "instruments" and loc[1].isdigit():
        i = int(loc[1])
        entry = entries[i] if i < len(entries) else {}
        ident = entry.get("id", f"#{i + 1}") if isinstance(entry, dict) else f"#{i + 1}"
        named = msg.split(" ", 1)[0]
        field = ".".join(loc[2:]) or (named if named in FIGURES or "_" in named else "(entry)")
        return f"instrument {ident!r}, field {field!r}: {msg}"
    return f"field {'.'.join(loc) or '(file)'!r}: {msg}"


def parse_catalogue(text: str, *, source: str = CATALOGUE_FILE) -> Catalogue:
    """Validate the YAML ``text`` of a catalogue; errors name the instrument and the field."""
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise InstrumentCatalogueError(f"{source}: expected a mapping at the top")
    entries = doc.get("instruments") if isinstance(doc.get("instruments"), list) else []
    try:
        catalogue = Catalogue.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InstrumentCatalogueError(
            f"{source}: {_describe(err['loc'], err['msg'], list(entries or []))}"
        ) from None
    seen: set[str] = set()
    for inst in catalogue.instruments:
        if inst.id in seen:
            raise InstrumentCatalogueError(f"{source}: instrument {inst.id!r}: duplicate id")
        seen.add(inst.id)
        if inst.cumulation_group not in catalogue.cumulation_groups:
            raise InstrumentCatalogueError(
                f"{source}: instrument {inst.id!r}, field 'cumulation_group': "
                f"unknown group {inst.cumulation_group!r}"
            )
    return catalogue


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue (cached)."""
    return parse_catalogue(data_text("critchem.investment", CATALOGUE_FILE))
