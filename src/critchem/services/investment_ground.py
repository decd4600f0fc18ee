"""Investment on real ground: the catalogue on a date and the register of funded projects.

Shared by the CLI, the API and the web pages.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from critchem.core.errors import NotFoundError
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
        FundedProjectOut.model_validate(p, from_attributes=True)
        for p in load_funded()
        if molecule is None or p.molecule == molecule
    ]


class TimelineRowOut(_Public):
    """One year of a molecule's capacity timeline (t/year)."""

    year: int
    base_t: float = Field(description="Public capacity of the EU plants at the register's date.")
    closed_t: float = Field(description="Closures with a published effective date, by then.")
    announced_t: float = Field(
        description="Announced closures without a published effective date, from announcement."
    )
    funded_t: float = Field(description="Funded projects producing by then.")
    capacity_t: float
    shortfall_t: float = Field(description="Capacity lost and not replaced: max(0, base - C).")
    demand_t: float | None
    gap_t: float | None


class TimelineEventOut(_Public):
    """A closure or a funded project behind the timeline, with its source."""

    kind: str = Field(description="closure, closure_announced, funded or not_counted")
    name: str
    company: str
    country: str
    capacity_t: float | None
    date: str
    counted_from: int | None
    source: str
    note: str


class CandidateRankOut(_Public):
    """A candidate project ranked by the share of the 2030 shortfall it closes."""

    project_id: str
    title: str
    country: str
    capacity_t: float
    start_year: int
    closes_share: float = Field(description="min(capacity, shortfall 2030) / shortfall 2030.")
    example: bool


class PlantPointOut(_Public):
    """A plant of the public register on the map, with its status from the closure register."""

    name: str
    country: str
    capacity_t: float | None
    status: str = Field(description="operating, closure_announced, closed or what_if_closed")
    lat: float
    lon: float
    source: str


class PlacedOut(_Public):
    """A funded project or a candidate near its country's centroid (no coordinates published)."""

    label: str
    kind: str = Field(description="funded or candidate")
    country: str
    lat: float
    lon: float


class CbamWhatIfOut(_Public):
    """What a rise of the CBAM cost adds to the shortfall if imports fill it."""

    rise_eur_per_t: float
    cn: str
    source: str
    extra_cost_meur: dict[int, float] = Field(
        description="Per year: shortfall (t) x rise (EUR/t) / 1e6, the extra cost of importing it."
    )


class DemandOut(_Public):
    """The apparent consumption of one year (t) with its provenance, or why it is not sourced."""

    year: int
    status: str = Field(description="sourced, upper_bound or not_sourced")
    demand_t: float | None = Field(description="P + M - X; only 'sourced' enters the gap.")
    production_t: float | None
    imports_t: float | None = Field(description="Extra-EU imports, net mass.")
    exports_t: float | None = Field(description="Extra-EU exports, net mass.")
    note: str
    codes: list[str]
    dataset: str
    file_hashes: list[str]
    load_ids: list[str]
    conversions: list[str]
    method_version: str


class GapTimelineOut(_Public):
    """A molecule's capacity timeline 2022-2030 from the public registers."""

    molecule: str
    reference_date: str = Field(description="Date of the capacity register (the base).")
    plants: int
    plants_without_capacity: list[str]
    rows: list[TimelineRowOut]
    events: list[TimelineEventOut]
    candidates: list[CandidateRankOut]
    plant_points: list[PlantPointOut]
    placed: list[PlacedOut]
    what_if: list[str] = Field(description="The what-ifs applied, in words.")
    cbam: CbamWhatIfOut | None
    cbam_note: str
    demand_note: str
    demand: list[DemandOut] = Field(
        default_factory=list, description="Per year: the demand read from the store, or why not."
    )
    method: str


def _cbam_goods() -> dict[str, tuple[str, str]]:
    import csv
    import io

    from critchem.nomenclature._files import data_text

    text = data_text("critchem.investment", "cbam_goods.tsv")
    rows = csv.DictReader(io.StringIO(text), delimiter="\t")
    return {r["molecule"]: (r["cn"], r["source"]) for r in rows}


def gap_timeline(
    molecule: str,
    *,
    candidates: list[Any] | None = None,
    close: dict[str, int] | None = None,
    cbam_rise_eur_per_t: float | None = None,
    store_root: Path | None = None,
    correspondence: Path | None = None,
) -> GapTimelineOut:
    """The timeline of ``molecule`` from the public capacities, the closure register and the
    register of funded projects; ``candidates`` (pipeline projects) are ranked by the share of
    the 2030 shortfall they close.

    What-ifs: ``close`` maps a plant of the register to the year it would close (its whole
    published capacity leaves from that year); ``cbam_rise_eur_per_t`` prices the shortfall
    at a higher CBAM cost per tonne, for the molecules that are CBAM goods.

    Demand: with ``store_root``, the apparent consumption of each year is read from the
    PRODCOM files and the trade kept there (:mod:`critchem.services.demand`); only a
    *sourced* year gets a gap. Without a store, or where the store cannot source it, the
    gap says "demand not sourced" and why.

    Raises
    ------
    NotFoundError
        When a plant to close is not in the register (the error lists the plants).
    """
    from critchem.investment.projects import member_state_codes
    from critchem.investment.timeline import (
        YEARS,
        CapacityAddition,
        ClosureEvent,
        PlantCapacity,
        gap_closed_share,
        timeline,
    )
    from critchem.production.registers import closures, public_capacities

    eu = set(member_state_codes())
    plants_all = [p for p in public_capacities(molecule) if p.country in eu]
    plants = [
        PlantCapacity(p.site, p.country, p.capacity_t, p.source)
        for p in plants_all
        if p.capacity_t is not None
    ]
    missing = sorted(p.site for p in plants_all if p.capacity_t is None)
    dates = sorted({p.as_of.text for p in plants_all})
    reference = dates[0] if dates else ""
    reference_year = int(reference[:4]) - 1 if reference else 2022
    events: list[TimelineEventOut] = []
    done: list[ClosureEvent] = []
    pending: list[ClosureEvent] = []
    for c in closures(molecule):
        if c.country not in eu:
            continue
        year = c.effective.year if c.effective is not None else c.announced.year
        event = ClosureEvent(c.site, c.company, c.capacity_t, year, c.source)
        (done if c.effective is not None else pending).append(event)
        counted = c.capacity_t is not None and year > reference_year
        events.append(
            TimelineEventOut(
                kind=("closure" if c.effective is not None else "closure_announced")
                if counted
                else "not_counted",
                name=f"{c.site}: {c.unit}",
                company=c.company,
                country=c.country,
                capacity_t=c.capacity_t,
                date=(c.effective or c.announced).text,
                counted_from=year if counted else None,
                source=c.source,
                note=(c.note or "")
                + ("" if c.capacity_t is not None else " (capacity not published: not counted)")
                + (
                    ""
                    if c.effective is not None
                    else " (effective date not published: counted from the announcement year)"
                ),
            )
        )
    additions: list[CapacityAddition] = []
    for f in load_funded():
        if f.molecule != molecule or f.country not in eu or f.capacity_t_per_year is None:
            continue
        first = f.start_year or f.year + 1
        additions.append(
            CapacityAddition(f.project, f.company, f.capacity_t_per_year, first, f.source)
        )
        events.append(
            TimelineEventOut(
                kind="funded",
                name=f.project,
                company=f.company,
                country=f.country,
                capacity_t=f.capacity_t_per_year,
                date=f.date,
                counted_from=first,
                source=f.source,
                note=f.capacity_note
                + (
                    ""
                    if f.start_year
                    else " (start year not published: counted from the year after the award)"
                ),
            )
        )
    what_if: list[str] = []
    by_site = {p.site.casefold(): p for p in plants_all}
    for site, year in (close or {}).items():
        plant = by_site.get(site.strip().casefold())
        if plant is None:
            raise NotFoundError(
                f"what-if: no {molecule} plant {site!r} in the public register",
                sorted(p.site for p in plants_all),
            )
        if plant.capacity_t is None:
            raise NotFoundError(
                f"what-if: plant {plant.site!r} has no published capacity to close",
                sorted(p.site for p in plants_all if p.capacity_t is not None),
            )
        done.append(ClosureEvent(plant.site, plant.company, plant.capacity_t, year, "what-if"))
        what_if.append(f"{plant.site} closes in {year} ({plant.capacity_t:,.0f} t/year)")
        events.append(
            TimelineEventOut(
                kind="what_if",
                name=f"{plant.site} (what-if closure)",
                company=plant.company,
                country=plant.country,
                capacity_t=plant.capacity_t,
                date=str(year),
                counted_from=year,
                source=plant.source,
                note="hypothetical closure of the whole published capacity",
            )
        )
    demand, demand_note = _demand(molecule, YEARS, store_root, correspondence)
    rows = timeline(
        plants,
        done,
        additions,
        reference_year=reference_year,
        announced=pending,
        demand_t={
            d.year: d.demand_t for d in demand if d.status == "sourced" and d.demand_t is not None
        },
    )
    statuses: dict[str, str] = {}
    for c in closures(molecule):
        for p in plants_all:
            if (
                c.site.casefold() in p.site.casefold()
                and c.company.casefold() in p.company.casefold()
            ):
                statuses[p.site] = "closed" if c.status == "closed" else "closure_announced"
    for site in close or {}:
        plant = by_site[site.strip().casefold()]
        statuses[plant.site] = "what_if_closed"
    points = [
        PlantPointOut(
            name=p.site,
            country=p.country,
            capacity_t=p.capacity_t,
            status=statuses.get(p.site, "operating"),
            lat=p.lat,
            lon=p.lon,
            source=p.source,
        )
        for p in plants_all
        if p.lat is not None and p.lon is not None
    ]
    from critchem.reports.maps import centroids

    centre = centroids()
    placed = [
        PlacedOut(label=f"{f.project} ({f.company})", kind="funded", country=f.country,
                  lat=centre[f.country].lat, lon=centre[f.country].lon)
        for f in load_funded()
        if f.molecule == molecule and f.country in centre
    ]  # fmt: skip
    cbam = None
    goods = _cbam_goods()
    if cbam_rise_eur_per_t is not None and molecule in goods:
        cn, source = goods[molecule]
        cbam = CbamWhatIfOut(
            rise_eur_per_t=cbam_rise_eur_per_t,
            cn=cn,
            source=source,
            extra_cost_meur={r.year: r.shortfall_t * cbam_rise_eur_per_t / 1e6 for r in rows},
        )
        what_if.append(f"CBAM cost rises by {cbam_rise_eur_per_t:g} EUR/t")
    cbam_note = (
        f"{molecule} is a CBAM good (CN {goods[molecule][0]})"
        if molecule in goods
        else f"{molecule} is not among the CBAM goods of Regulation (EU) 2023/956, Annex I"
    )
    ranked: list[CandidateRankOut] = []
    for project in candidates or []:
        for m in project.molecules:
            if m.molecule != molecule:
                continue
            ranked.append(
                CandidateRankOut(
                    project_id=project.id,
                    title=project.title,
                    country=project.country,
                    capacity_t=m.capacity_t_per_year,
                    start_year=project.start_year,
                    closes_share=gap_closed_share(m.capacity_t_per_year, project.start_year, rows),
                    example=project.id.startswith("EX-") or "EXAMPLE" in project.title,
                )
            )
            if project.country in centre:
                placed.append(
                    PlacedOut(
                        label=f"{project.id}: {project.title}",
                        kind="candidate",
                        country=project.country,
                        lat=centre[project.country].lat,
                        lon=centre[project.country].lon,
                    )
                )
    ranked.sort(key=lambda r: (-r.closes_share, r.project_id))
    return GapTimelineOut(
        molecule=molecule,
        reference_date=reference,
        plants=len(plants),
        plants_without_capacity=missing,
        rows=[TimelineRowOut(**_asdict(r)) for r in rows],
        events=events,
        candidates=ranked,
        plant_points=points,
        placed=placed,
        what_if=what_if,
        cbam=cbam,
        cbam_note=cbam_note,
        demand_note=demand_note,
        demand=demand,
        method=(
            "C(y) = B - L(y) - A(y) + F(y); S(y) = max(0, B - C(y)); EU-27 plants of the public "
            "capacity registers; closures of the closure register; funded projects of the "
            "funded-project register"
        ),
    )


def _demand(
    molecule: str, years: tuple[int, ...], store_root: Path | None, correspondence: Path | None
) -> tuple[list[DemandOut], str]:
    """The demand of each year from the store, and the sentence that says what is sourced."""
    from critchem.investment.timeline import DEMAND_NOT_SOURCED

    if store_root is None:
        return [], f"{DEMAND_NOT_SOURCED} (no store given)"
    from critchem.services.demand import sourced_demand

    figures = sourced_demand(molecule, years, store_root=store_root, correspondence=correspondence)
    out = [
        DemandOut(
            year=f.year,
            status=f.status,
            demand_t=f.demand_t,
            production_t=f.production_t,
            imports_t=f.imports_t,
            exports_t=f.exports_t,
            note=f.note,
            codes=list(f.codes),
            dataset=f.dataset,
            file_hashes=list(f.file_hashes),
            load_ids=list(f.load_ids),
            conversions=list(f.conversions),
            method_version=f.method_version,
        )
        for f in figures
    ]
    sourced = [d.year for d in out if d.status == "sourced" and d.demand_t is not None]
    if not sourced:
        reasons = sorted({d.note for d in out})
        return out, f"{DEMAND_NOT_SOURCED} ({'; '.join(reasons[:3])})"
    others = [d.year for d in out if d.year not in sourced]
    note = (
        "demand: apparent consumption P + M - X (PRODCOM sold production, Comext extra-EU net "
        f"mass) in {', '.join(map(str, sourced))}"
    )
    if others:
        note += f"; demand not sourced in {', '.join(map(str, others))}: no gap for those years"
    return out, note


def _asdict(row: Any) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(row)


def shortfalls_2030(molecules: set[str]) -> dict[str, float]:
    """The 2030 capacity shortfall (t/yr) of each molecule with a positive one.

    The targets of the portfolio's ``shortfall`` objective: capacity lost in the public
    registers and not replaced by a funded project (see :func:`gap_timeline`).
    """
    out: dict[str, float] = {}
    for molecule in sorted(molecules):
        rows = gap_timeline(molecule).rows
        last = rows[-1].shortfall_t if rows else 0.0
        if last > 0:
            out[molecule] = last
    return out
