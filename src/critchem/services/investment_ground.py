"""Investment on real ground: the catalogue on a date and the register of funded projects.

Shared by the CLI, the API and the web pages.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from critchem.investment.funded import load_funded
from critchem.investment.instruments import load_catalogue


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class CatalogueEntryOut(_Public):
    """One instrument as seen on a date."""

    id: str
    name: str
    form: str
    scope: str
    availability: str = Field(description="open, not_yet_open, announced or closed")
    opens: date | None
    closes: date | None
    max_aid_rate: float | None
    max_ticket_meur: float | None
    budget_meur: float | None
    legal_basis: str
    sources: dict[str, str]
    checked: date | None
    example: bool


class CatalogueOut(_Public):
    """The catalogue on ``as_of``."""

    version: str
    updated: str
    as_of: date
    instruments: list[CatalogueEntryOut]


def catalogue_on(as_of: date) -> CatalogueOut:
    """Every instrument with its availability on ``as_of`` (open ones first)."""
    catalogue = load_catalogue()
    rows = [
        CatalogueEntryOut(
            id=inst.id,
            name=inst.name,
            form=inst.form,
            scope=inst.scope,
            availability=availability,
            opens=inst.opens,
            closes=inst.closes,
            max_aid_rate=inst.max_aid_rate,
            max_ticket_meur=inst.max_ticket_meur,
            budget_meur=inst.budget_meur,
            legal_basis=inst.legal_basis,
            sources=dict(inst.sources),
            checked=inst.checked,
            example=inst.example,
        )
        for inst, availability in catalogue.on(as_of)
    ]
    return CatalogueOut(
        version=catalogue.version, updated=catalogue.updated, as_of=as_of, instruments=rows
    )


class FundedProjectOut(_Public):
    """One row of the register of real funded projects, with its source."""

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


def funded_projects(molecule: str | None = None) -> list[FundedProjectOut]:
    """The register of real funded projects, optionally of one molecule."""
    return [
        FundedProjectOut(
            project=p.project,
            company=p.company,
            site=p.site,
            country=p.country,
            molecule=p.molecule,
            product=p.product,
            capacity_t_per_year=p.capacity_t_per_year,
            capacity_note=p.capacity_note,
            instrument=p.instrument,
            instrument_id=p.instrument_id,
            amount_meur=p.amount_meur,
            amount_note=p.amount_note,
            date=p.date,
            start_year=p.start_year,
            source=p.source,
            checked=p.checked,
        )
        for p in load_funded()
        if molecule is None or p.molecule == molecule
    ]
