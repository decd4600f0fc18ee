"""The demand-side scenario of a lead market: who serves it, the premium, the quota's demand.

Given a lead-market definition (``lead_markets``), the molecule registry and a pipeline of
projects, a scenario says:

- which molecules serve the market: those classified under the definition's CN code (they make
  the product) and those made from them one step down the registry's value chains (they use
  it); and which pipeline projects make them. A project making the product is tagged
  ``low-carbon`` when its *declared* PCF is within the definition's threshold; a declared
  technology alone is recorded, not judged;
- the green premium per tonne (``quota.premium_per_tonne``) at the EU carbon price and, for
  imports, under CBAM;
- the low-carbon volume a procurement quota demands each year (``quota.quota_share``) when the
  user declares the product's demand with its source, against the capacity of the tagged
  projects from their start year, and the premium cost of that volume.

The projects are, by default, the REAL funded projects of the investment register
(``investment/data/funded_projects.csv``): the rows of the market's product whose published
product description the definition's ``register`` rule accepts (e.g. renewable (RFNBO)
hydrogen) count, each with its sourced capacity; a row without a published capacity counts as
"capacity not published" (never as a figure), one without a published start year is kept out
of the years and shown apart (``capacity_start_not_published_t``). A pipeline file, or the
ILLUSTRATIVE example pipeline, is the other ground, labelled as such; the two are not added
(a pipeline may list registered projects again).

No demand figure is shipped: without a declared demand the scenario gives per-tonne figures
only and says "demand not declared".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from critchem.carbon.lead_markets import check_label, definition
from critchem.carbon.quota import (
    effective_cbam_price,
    effective_eu_price,
    premium_per_tonne,
    quota_share,
    quota_volume,
)
from critchem.core.errors import CarbonInputError
from critchem.investment.funded import FUNDED_FILE, FundedProject
from critchem.investment.projects import Project
from critchem.molecules.registry import Registry

Text = Field(min_length=1, max_length=500)
Year = Field(ge=2000, le=2100)
NOT_DECLARED = "demand not declared: per-tonne figures only"
NOT_PUBLISHED = "capacity not published"
REGISTER_LABEL = f"REAL funded projects register ({FUNDED_FILE}, a source on every row)"


class Sourced(BaseModel):
    """A declared value with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float = Field(gt=0, le=1e6, allow_inf_nan=False)
    source: str = Text


class Quota(BaseModel):
    """A procurement quota or mandate: share ``q`` of the demand from ``start_year`` on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    share: float = Field(gt=0, le=1, allow_inf_nan=False, description="q, 0-1.")
    start_year: int = Year
    years: int = Field(default=1, ge=1, le=50, description="Duration: y1 = y0 + years - 1.")
    ramp: Literal["step", "linear"] = "step"

    @property
    def end_year(self) -> int:
        """The last year of the quota, ``y1``."""
        return self.start_year + self.years - 1


class Demand(BaseModel):
    """The product's EU demand, declared with its source (none is shipped)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tonnes_per_year: float = Field(gt=0, le=1e10, allow_inf_nan=False)
    source: str = Text


class Premium(BaseModel):
    """Declared inputs of the green premium (EUR per tonne, kgCO2e/kg, EUR per tCO2e)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pcf_conventional: float = Field(ge=0, le=1e4, allow_inf_nan=False)
    pcf_low_carbon: float = Field(ge=0, le=1e4, allow_inf_nan=False)
    cost_gap_eur_per_t: float = Field(ge=-1e6, le=1e6, allow_inf_nan=False)
    ets_price_eur_per_t: float = Field(ge=0, le=1e5, allow_inf_nan=False)
    eu_priced_share: float = Field(
        default=1.0, ge=0, le=1, description="Share of an EU producer's emissions priced."
    )
    origin_carbon_price_eur_per_t: float | None = Field(
        default=None, ge=0, le=1e5, allow_inf_nan=False, description="CBAM view: price at origin."
    )
    cbam_share: float | None = Field(
        default=None, ge=0, le=1, description="CBAM view: share due after free allocation."
    )
    source: str = Text


class ProjectDeclaration(BaseModel):
    """What a pipeline project declares about its product: a PCF and/or a technology."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64)
    pcf_kgco2e_per_kg: float | None = Field(default=None, ge=0, le=1e4, allow_inf_nan=False)
    technology: str | None = Field(default=None, min_length=1, max_length=200)
    source: str = Text


class Scenario(BaseModel):
    """A demand-side scenario of one lead market; every figure declared with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    market: str = Field(min_length=1, max_length=64, description="A definition id.")
    quota: Quota | None = None
    demand: Demand | None = None
    premium: Premium | None = None
    comparator_gco2e_per_mj: Sourced | None = None
    energy_content_mj_per_kg: Sourced | None = None
    projects: list[ProjectDeclaration] = Field(default_factory=list, max_length=1000)
    source: str = Field(default="illustrative", min_length=1, max_length=500)

    @model_validator(mode="after")
    def _each_project_once(self) -> Scenario:
        ids = [p.id for p in self.projects]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"projects: declared twice: {', '.join(twice)}")
        return self


class MoleculeServing(BaseModel):
    """A registry molecule concerned by the market."""

    id: str
    name: str
    relation: Literal["product", "downstream"]
    cn8: list[str]


class ProjectServing(BaseModel):
    """A pipeline project making a molecule concerned by the market."""

    id: str
    title: str
    molecule: str
    relation: Literal["product", "downstream"]
    capacity_t_per_year: float
    start_year: int
    status: str
    declared_pcf_kgco2e_per_kg: float | None
    declared_technology: str | None
    declaration_source: str | None
    tag: Literal["low-carbon", "above threshold", "not declared", "technology only", "n/a"]
    project_source: str


class RegisteredServing(BaseModel):
    """A real funded project of the register making the market's product, as published."""

    project: str
    company: str
    site: str
    country: str
    product: str
    counted: bool
    basis: str
    capacity_t_per_year: float | None
    capacity_note: str
    start_year: int | None
    instrument: str
    instrument_id: str
    award_date: str
    source: str
    checked: str


class PremiumView(BaseModel):
    """The green premium per tonne at one effective carbon price."""

    view: Literal["EU production", "import under CBAM"]
    effective_carbon_price_eur_per_t: float
    avoided_t_per_t: float
    premium_eur_per_t: float


class YearRow(BaseModel):
    """One year of the quota scenario (volumes in tonnes, money in EUR)."""

    year: int
    quota_share: float
    low_carbon_volume_t: float | None
    low_carbon_capacity_t: float
    capacity_start_not_published_t: float = Field(
        default=0.0,
        description="Counted registered capacity without a published start year (not in "
        "low_carbon_capacity_t).",
    )
    gap_t: float | None
    gap_if_all_counted_run_t: float | None = Field(
        default=None,
        description="Volume minus the capacity of the year and the capacity without a start year.",
    )
    premium_cost_eur: float | None
    premium_cost_import_eur: float | None


class ScenarioResult(BaseModel):
    """The scenario's answer, with the declared inputs it rests on."""

    market: str
    market_name: str
    legal_source: str
    threshold_kgco2e_per_kg: float | None
    molecules: list[MoleculeServing]
    ground: Literal["register", "pipeline"]
    projects: list[ProjectServing]
    registered: list[RegisteredServing]
    registered_basis: str | None
    registered_capacity_t_per_year: float | None
    registered_capacity_not_published: list[str]
    premiums: list[PremiumView]
    demand_declared: bool
    demand_note: str
    years: list[YearRow]
    total_low_carbon_volume_t: float | None
    total_premium_cost_eur: float | None
    scenario: Scenario
    source: str
    data_label: str
    caveat: str


def _molecules(cn_code: str, product: str, registry: Registry) -> list[MoleculeServing]:
    direct = [m for m in registry if cn_code in m.cn8 or m.id == product]
    rows = [MoleculeServing(id=m.id, name=m.name, relation="product", cn8=m.cn8) for m in direct]
    seen = {m.id for m in direct}
    for m in direct:
        for down in registry.products_of(m.id):
            if down.id not in seen:
                seen.add(down.id)
                rows.append(
                    MoleculeServing(id=down.id, name=down.name, relation="downstream", cn8=down.cn8)
                )
    return rows


def _threshold(scenario: Scenario, needed: bool) -> float | None:
    if not needed:
        return None
    comp, energy = scenario.comparator_gco2e_per_mj, scenario.energy_content_mj_per_kg
    check = check_label(
        scenario.market,
        scenario.market,
        0.0,
        comparator=None if comp is None else (comp.value, comp.source),
        energy_content=None if energy is None else (energy.value, energy.source),
    )
    return check.threshold_kgco2e_per_kg


def _tag(relation: str, decl: ProjectDeclaration | None, threshold: float | None) -> str:
    if relation != "product":
        return "n/a"
    if decl is None:
        return "not declared"
    if decl.pcf_kgco2e_per_kg is None:
        return "technology only"
    assert threshold is not None  # computed whenever a product project declares a PCF
    return "low-carbon" if decl.pcf_kgco2e_per_kg <= threshold else "above threshold"


def _premiums(p: Premium) -> list[PremiumView]:
    avoided = p.pcf_conventional - p.pcf_low_carbon
    views = [("EU production", effective_eu_price(p.ets_price_eur_per_t, p.eu_priced_share))]
    if p.origin_carbon_price_eur_per_t is not None and p.cbam_share is not None:
        price = (
            effective_cbam_price(
                p.ets_price_eur_per_t, p.origin_carbon_price_eur_per_t, p.cbam_share
            )
            if p.ets_price_eur_per_t > 0
            else 0.0
        )
        views.append(("import under CBAM", price))
    return [
        PremiumView(
            view=view,  # type: ignore[arg-type]
            effective_carbon_price_eur_per_t=round(price, 6),
            avoided_t_per_t=round(avoided, 6),
            premium_eur_per_t=round(premium_per_tonne(p.cost_gap_eur_per_t, avoided, price), 6),
        )
        for view, price in views
    ]


def registered_serving(
    market: str, register: Iterable[FundedProject]
) -> tuple[list[RegisteredServing], str | None]:
    """The register's projects of ``market``'s product, counted or listed, and the basis.

    A row counts when the definition's register rule accepts its published product; a
    definition without a rule counts none.
    """
    d = definition(market)
    rule = d.register_rule
    words = [w.casefold() for w in rule.counts_when_product_mentions] if rule else []
    rows = []
    for p in register:
        if p.molecule != d.product:
            continue
        counted = any(w in p.product.casefold() for w in words)
        basis = (
            f"counted: the published product is {p.product!r}"
            if counted
            else f"listed, not counted: the published product {p.product!r} is not shown to "
            f"meet the definition"
        )
        rows.append(
            RegisteredServing(
                project=p.project,
                company=p.company,
                site=p.site,
                country=p.country,
                product=p.product,
                counted=counted,
                basis=basis,
                capacity_t_per_year=p.capacity_t_per_year,
                capacity_note=p.capacity_note
                or ("" if p.capacity_t_per_year is not None else NOT_PUBLISHED),
                start_year=p.start_year,
                instrument=p.instrument,
                instrument_id=p.instrument_id,
                award_date=p.date,
                source=p.source,
                checked=p.checked,
            )
        )
    rows.sort(key=lambda r: (not r.counted, r.instrument_id, r.project))
    return rows, None if rule is None else rule.basis


def run_scenario(
    scenario: Scenario,
    projects: Iterable[Project],
    registry: Registry,
    *,
    pipeline_label: str,
    register: Iterable[FundedProject] | None = None,
) -> ScenarioResult:
    """Answer ``scenario`` from the definitions, the registry and the projects.

    With ``register`` (the funded-projects register), its projects are the ground and
    ``projects`` must be empty; otherwise the pipeline ``projects`` are, and
    ``pipeline_label`` says what they are (e.g. "ILLUSTRATIVE example pipeline").
    """
    d = definition(scenario.market)
    registered: list[RegisteredServing] = []
    basis: str | None = None
    if register is not None:
        projects = list(projects)
        if projects:
            raise ValueError("the register and a pipeline are not added: give one of them")
        registered, basis = registered_serving(d.id, register)
    molecules = _molecules(d.cn_code, d.product, registry)
    relation = {m.id: m.relation for m in molecules}
    declared = {p.id: p for p in scenario.projects}
    serving: list[tuple[Project, str, float]] = [
        (project, mc.molecule, mc.capacity_t_per_year)
        for project in projects
        for mc in project.molecules
        if mc.molecule in relation
    ]
    known = {project.id for project, _, _ in serving}
    unknown = sorted(set(declared) - known)
    if unknown:
        where = "the pipeline" if register is None else "a pipeline (the ground is the register)"
        raise CarbonInputError(
            f"projects: {', '.join(unknown)} make no molecule of {d.id} in {where} "
            f"(projects that do: {', '.join(sorted(known)) or 'none'})"
        )
    needs_threshold = any(
        relation[m] == "product"
        and p.id in declared
        and declared[p.id].pcf_kgco2e_per_kg is not None
        for p, m, _ in serving
    )
    threshold = _threshold(scenario, needs_threshold)
    rows = [
        ProjectServing(
            id=p.id,
            title=p.title,
            molecule=m,
            relation=relation[m],
            capacity_t_per_year=cap,
            start_year=p.start_year,
            status=p.status.value,
            declared_pcf_kgco2e_per_kg=declared[p.id].pcf_kgco2e_per_kg
            if p.id in declared
            else None,
            declared_technology=declared[p.id].technology if p.id in declared else None,
            declaration_source=declared[p.id].source if p.id in declared else None,
            tag=_tag(relation[m], declared.get(p.id), threshold),  # type: ignore[arg-type]
            project_source=p.source,
        )
        for p, m, cap in sorted(serving, key=lambda s: (relation[s[1]] != "product", s[0].id))
    ]
    premiums = _premiums(scenario.premium) if scenario.premium else []
    counted = [r for r in registered if r.counted]
    published = [r.capacity_t_per_year for r in counted if r.capacity_t_per_year is not None]
    capacities: list[tuple[float, int | None]] = [
        (r.capacity_t_per_year, r.start_year) for r in rows if r.tag == "low-carbon"
    ] + [(r.capacity_t_per_year, r.start_year) for r in counted if r.capacity_t_per_year]
    years = _years(scenario, capacities, premiums)
    volumes = [y.low_carbon_volume_t for y in years if y.low_carbon_volume_t is not None]
    costs = [y.premium_cost_eur for y in years if y.premium_cost_eur is not None]
    inputs_illustrative = scenario.source in {"illustrative", "synthetic"}
    ground_label = REGISTER_LABEL if register is not None else pipeline_label
    if register is None and "ILLUSTRATIVE" not in pipeline_label.upper() and inputs_illustrative:
        ground_label = f"ILLUSTRATIVE ({pipeline_label})"
    elif register is not None and inputs_illustrative:
        ground_label = f"ILLUSTRATIVE scenario inputs; projects: {REGISTER_LABEL}"
    return ScenarioResult(
        market=d.id,
        market_name=d.name,
        legal_source=d.legal_source,
        threshold_kgco2e_per_kg=threshold,
        molecules=molecules,
        ground="register" if register is not None else "pipeline",
        projects=rows,
        registered=registered,
        registered_basis=basis,
        registered_capacity_t_per_year=round(sum(published), 6) if register is not None else None,
        registered_capacity_not_published=[
            r.project for r in counted if r.capacity_t_per_year is None
        ],
        premiums=premiums,
        demand_declared=scenario.demand is not None,
        demand_note=(
            f"declared: {scenario.demand.tonnes_per_year:g} t/yr ({scenario.demand.source})"
            if scenario.demand
            else NOT_DECLARED
        ),
        years=years,
        total_low_carbon_volume_t=round(sum(volumes), 6) if volumes else None,
        total_premium_cost_eur=round(sum(costs), 2) if costs else None,
        scenario=scenario,
        source=scenario.source,
        data_label=ground_label,
        caveat=(
            "registered projects as published by their sources (capacities from published "
            "volumes, none invented); pipeline project PCFs and technologies as declared, "
            "demand and prices as declared with their sources; the act's own methodology "
            "decides eligibility"
        ),
    )


def _years(
    scenario: Scenario, capacities: list[tuple[float, int | None]], premiums: list[PremiumView]
) -> list[YearRow]:
    """The quota's years; ``capacities`` are the low-carbon (t/yr, start year) counted."""
    q = scenario.quota
    if q is None:
        return []
    eu = premiums[0].premium_eur_per_t if premiums else None
    imp = premiums[1].premium_eur_per_t if len(premiums) > 1 else None
    out = []
    for year in range(q.start_year, q.end_year + 1):
        share = quota_share(year, q.share, q.start_year, q.end_year, ramp=q.ramp)
        capacity = sum(c for c, start in capacities if start is not None and start <= year)
        undated = sum(c for c, start in capacities if start is None)
        volume = (
            None
            if scenario.demand is None
            else quota_volume(scenario.demand.tonnes_per_year, share)
        )
        out.append(
            YearRow(
                year=year,
                quota_share=round(share, 6),
                low_carbon_volume_t=None if volume is None else round(volume, 6),
                low_carbon_capacity_t=capacity,
                capacity_start_not_published_t=undated,
                gap_t=None if volume is None else round(volume - capacity, 6),
                gap_if_all_counted_run_t=(
                    None if volume is None else round(volume - capacity - undated, 6)
                ),
                premium_cost_eur=None if volume is None or eu is None else round(volume * eu, 2),
                premium_cost_import_eur=(
                    None if volume is None or imp is None else round(volume * imp, 2)
                ),
            )
        )
    return out
