"""Cradle-to-gate product carbon footprint rolled up from the inputs' footprints.

One process makes the declared product (1 kg, the reference flow) and, possibly,
co-products. Per kg of the declared product, the process consumes ``q_i`` kg of each input
``i`` (whose cradle-to-gate footprint is ``PCF_i`` kgCO2e/kg), emits ``E_d`` kgCO2e directly
(combustion, process and fugitive emissions) and uses ``e`` kWh of electricity at a grid
factor ``GF`` kgCO2e/kWh. ``GF`` is the factor the user declares with its source; when none is
declared and the process names its ``country``, the shipped grid intensity of that country
(``critchem.carbon.grid``, Ember's published yearly figure, gCO2/kWh / 1000 = kgCO2/kWh) is
used and the result names it. Its total burden, per kg of declared product, is

    E = Σ_i q_i · PCF_i + E_d + e · GF                                  (1)

shared between the declared product and the co-products ``j`` (``m_j`` kg per kg of
declared product) by an allocation factor declared by the user:

    mass:      a = 1 / (1 + Σ_j m_j)                                    (2a)
    economic:  a = p / (p + Σ_j m_j · p_j)   with prices p, p_j in EUR/kg (2b)

    PCF = a · E                                                          (3)

(Attributional mass balance of the feedstocks and a declared physical or economic allocation of
co-products, as ISO 14067:2018, the PACT Methodology v3.0 and the TfS PCF Guideline for the
chemical industry allow; which method applies to a given product is the user's declaration.)

The primary data share follows the PACT definition (share of primary data in the final PCF):
each contribution ``c_k`` (an input's ``q_i · PCF_i``, the direct emissions, the energy)
carries its own primary share ``s_k`` (0-100) and

    PDS = Σ_k c_k · s_k / Σ_k c_k                                      (4)

The data quality ratings are weighted the same way (the PACT DQI is "based on weighted
average of all inputs"). The mass-weighted primary share of the inputs,
``Σ_i q_i · s_i / Σ_i q_i``, is reported beside it. Hotspots are the contributions whose share
of ``E`` is at least the threshold (default 10 %).
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from critchem.carbon.grid import grid_factor
from critchem.carbon.models import ProductFootprint
from critchem.core.errors import CarbonInputError


class Allocation(StrEnum):
    """How a multi-output process's burden is shared (declared by the user)."""

    mass = "mass"
    economic = "economic"


class Quality(BaseModel):
    """Data quality ratings of one contribution, 1 (best) to 5 (worst)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    technological: float = Field(ge=1, le=5)
    geographical: float = Field(ge=1, le=5)
    temporal: float = Field(ge=1, le=5)


class Input(BaseModel):
    """A feedstock or auxiliary input, per kg of declared product.

    Its footprint is either given (``pcf_kgco2e_per_kg``, with ``primary_data_share`` and
    ``quality``) or taken from a supplier's PACT footprint (``footprint_id``, one of the roll-up's
    ``footprints``): ``pcfExcludingBiogenicUptake`` per kg, ``primaryDataShare`` (0 when absent)
    and ``dqi``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    quantity_kg_per_kg: float = Field(ge=0, description="q_i: kg of input per kg of product.")
    pcf_kgco2e_per_kg: float | None = Field(
        default=None, description="PCF_i: the input's cradle-to-gate footprint."
    )
    footprint_id: UUID | None = Field(default=None, description="A PACT footprint's id.")
    primary_data_share: float = Field(default=0, ge=0, le=100, description="s_i, percent.")
    quality: Quality | None = None
    source: str | None = Field(
        default=None, description="Where PCF_i comes from (footprint id, URL)."
    )

    @model_validator(mode="after")
    def _one_footprint(self) -> Input:
        if (self.pcf_kgco2e_per_kg is None) == (self.footprint_id is None):
            raise ValueError("give either pcf_kgco2e_per_kg or footprint_id (exactly one)")
        return self


class CoProduct(BaseModel):
    """A co-product of the process, per kg of declared product."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    mass_kg_per_kg: float = Field(gt=0)
    price_eur_per_kg: float | None = Field(default=None, gt=0)


class Process(BaseModel):
    """The process's own emissions and energy, per kg of declared product."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    direct_emissions_kgco2e_per_kg: float = Field(default=0, ge=0)
    direct_primary_data_share: float = Field(default=100, ge=0, le=100)
    direct_quality: Quality | None = None
    electricity_kwh_per_kg: float = Field(default=0, ge=0)
    grid_factor_kgco2e_per_kwh: float | None = Field(
        default=None, ge=0, description="GF, declared; else the country's shipped grid factor."
    )
    grid_factor_source: str | None = None
    country: str | None = Field(
        default=None, description="Where the electricity is used (ISO 3166 alpha-2 or alpha-3)."
    )
    grid_factor_primary_data_share: float = Field(default=0, ge=0, le=100)
    grid_quality: Quality | None = None

    @model_validator(mode="after")
    def _grid_sourced(self) -> Process:
        if self.electricity_kwh_per_kg <= 0:
            return self
        if self.grid_factor_kgco2e_per_kwh is not None:
            if not self.grid_factor_source:
                raise ValueError("grid_factor_source is required when electricity is used")
            return self
        if self.country is None:
            raise ValueError(
                "electricity is used: declare grid_factor_kgco2e_per_kwh with "
                "grid_factor_source, or name the country for the shipped grid factor"
            )
        try:
            grid_factor(self.country)
        except CarbonInputError as exc:
            raise ValueError(
                str(exc).replace("electricity_factor_tco2e_per_mwh", "grid_factor_kgco2e_per_kwh")
            ) from exc
        return self


def process_grid_factor(process: Process) -> tuple[float, str]:
    """``GF`` (kgCO2e/kWh) of ``process`` and the text naming where it comes from.

    A declared factor wins; without one, the shipped grid factor of ``process.country``
    (Ember's intensity I in gCO2/kWh, GF = I / 1000 kgCO2/kWh).

    >>> process_grid_factor(Process(electricity_kwh_per_kg=1.0, country="DE"))[0]
    0.385467
    >>> process_grid_factor(Process())
    (0.0, 'no electricity used')
    """
    declared = process.grid_factor_kgco2e_per_kwh
    if declared is not None:
        return declared, f"declared: {process.grid_factor_source or 'no source given'}"
    if process.electricity_kwh_per_kg == 0 or process.country is None:
        return 0.0, "no electricity used"
    factor = grid_factor(process.country)
    return factor.tco2_per_mwh, factor.label


class RollupInput(BaseModel):
    """Everything a roll-up needs: the product, its inputs, process and co-products."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    product: str = Field(min_length=1)
    inputs: list[Input] = Field(default_factory=list)
    footprints: list[ProductFootprint] = Field(
        default_factory=list, description="Suppliers' PACT v3 footprints the inputs refer to."
    )
    process: Process = Field(default_factory=Process)
    coproducts: list[CoProduct] = Field(default_factory=list)
    allocation: Allocation = Allocation.mass
    product_price_eur_per_kg: float | None = Field(default=None, gt=0)
    hotspot_threshold: float = Field(default=0.10, gt=0, le=1)
    source: str = Field(
        default="illustrative", description="synthetic, illustrative or a reference."
    )

    @model_validator(mode="after")
    def _footprints_known(self) -> RollupInput:
        known = {f.id: f for f in self.footprints}
        for i in self.inputs:
            if i.footprint_id is None:
                continue
            footprint = known.get(i.footprint_id)
            if footprint is None:
                raise ValueError(
                    f"input {i.name!r}: footprint {i.footprint_id} is not in footprints"
                )
            footprint.pcf_per_kg()  # raises when the footprint has no mass per declared unit
        return self

    @model_validator(mode="after")
    def _prices_for_economic(self) -> RollupInput:
        if self.allocation is Allocation.economic and self.coproducts:
            missing = [c.name for c in self.coproducts if c.price_eur_per_kg is None]
            if self.product_price_eur_per_kg is None:
                missing.insert(0, self.product)
            if missing:
                raise ValueError(
                    "economic allocation needs a price for every output; missing: "
                    + ", ".join(missing)
                )
        return self


class Contribution(BaseModel):
    """One line of the roll-up: its emissions before allocation and share of the total."""

    name: str
    kind: str
    kgco2e_per_kg: float
    share: float
    primary_data_share_pct: float
    hotspot: bool


class RollupResult(BaseModel):
    """The rolled-up footprint of the declared product, with its explanation."""

    product: str
    pcf_kgco2e_per_kg: float
    burden_before_allocation_kgco2e_per_kg: float
    allocation: Allocation
    allocation_factor: float
    primary_data_share_pct: float
    inputs_primary_data_share_mass_weighted_pct: float | None
    dqi: Quality | None
    dqi_missing_for: list[str]
    contributions: list[Contribution]
    hotspots: list[str]
    grid_factor_kgco2e_per_kwh: float | None = None
    grid_factor_source: str | None = None
    source: str


def allocation_factor(
    coproducts: list[CoProduct], method: Allocation, product_price: float | None = None
) -> float:
    """The declared product's share ``a`` of the burden, equations (2a) and (2b).

    >>> allocation_factor([CoProduct(name="b", mass_kg_per_kg=1.0)], Allocation.mass)
    0.5
    >>> co = [CoProduct(name="b", mass_kg_per_kg=1.0, price_eur_per_kg=1.0)]
    >>> allocation_factor(co, Allocation.economic, 3.0)
    0.75
    """
    if not coproducts:
        return 1.0
    if method is Allocation.mass:
        return 1.0 / (1.0 + sum(c.mass_kg_per_kg for c in coproducts))
    if product_price is None or any(c.price_eur_per_kg is None for c in coproducts):
        raise ValueError("economic allocation needs the price of every output")
    others = sum(c.mass_kg_per_kg * (c.price_eur_per_kg or 0.0) for c in coproducts)
    return product_price / (product_price + others)


def weighted_mean(values: list[tuple[float, float]]) -> float | None:
    """``Σ w·v / Σ w`` over ``(weight, value)`` pairs; ``None`` when the weights sum to 0.

    >>> weighted_mean([(1.0, 100.0), (3.0, 0.0)])
    25.0
    """
    total = sum(w for w, _ in values)
    if total <= 0:
        return None
    return sum(w * v for w, v in values) / total


def _resolved(
    i: Input, footprints: dict[UUID, ProductFootprint]
) -> tuple[float, float, Quality | None]:
    """``(PCF_i, s_i, DQR_i)`` of an input, from its own figures or its PACT footprint."""
    if i.footprint_id is None:
        return i.pcf_kgco2e_per_kg or 0.0, i.primary_data_share, i.quality
    f = footprints[i.footprint_id]
    dqi = f.pcf.dqi
    quality = None
    if dqi is not None:
        quality = Quality(
            technological=float(dqi.technological_dqr),
            geographical=float(dqi.geographical_dqr),
            temporal=float(dqi.temporal_dqr),
        )
    share = float(f.pcf.primary_data_share) if f.pcf.primary_data_share is not None else 0.0
    return f.pcf_per_kg(), share, quality


def rollup(spec: RollupInput) -> RollupResult:
    """Cradle-to-gate PCF of ``spec.product`` by equations (1)-(4) of the module docstring."""
    known = {f.id: f for f in spec.footprints}
    lines: list[tuple[str, str, float, float, Quality | None]] = []
    for i in spec.inputs:
        pcf, share, quality = _resolved(i, known)
        lines.append((i.name, "input", i.quantity_kg_per_kg * pcf, share, quality))
    proc = spec.process
    grid, grid_source = process_grid_factor(proc)
    if proc.direct_emissions_kgco2e_per_kg > 0:
        lines.append(
            ("direct emissions", "process", proc.direct_emissions_kgco2e_per_kg,
             proc.direct_primary_data_share, proc.direct_quality)
        )  # fmt: skip
    if proc.electricity_kwh_per_kg > 0:
        lines.append(
            ("electricity", "energy",
             proc.electricity_kwh_per_kg * grid,
             proc.grid_factor_primary_data_share, proc.grid_quality)
        )  # fmt: skip
    burden = sum(value for _, _, value, _, _ in lines)
    factor = allocation_factor(spec.coproducts, spec.allocation, spec.product_price_eur_per_kg)
    # Shares and weights use magnitudes so that a credit (negative PCF) cannot flip signs.
    magnitude = sum(abs(value) for _, _, value, _, _ in lines)
    contributions = [
        Contribution(
            name=name,
            kind=kind,
            kgco2e_per_kg=round(value, 9),
            share=round(abs(value) / magnitude, 6) if magnitude else 0.0,
            primary_data_share_pct=pds,
            hotspot=bool(magnitude) and abs(value) / magnitude >= spec.hotspot_threshold,
        )
        for name, kind, value, pds, _ in lines
    ]
    contributions.sort(key=lambda c: -abs(c.kgco2e_per_kg))
    pds = weighted_mean([(abs(v), s) for _, _, v, s, _ in lines])
    mass_pds = weighted_mean([(i.quantity_kg_per_kg, _resolved(i, known)[1]) for i in spec.inputs])
    mass_pds_pct = None if mass_pds is None else round(mass_pds, 6)
    missing = [name for name, _, value, _, quality in lines if quality is None and value]
    dqi = None
    if lines and not missing:
        rated = [(abs(v), q) for _, _, v, _, q in lines if q is not None]
        dqi = Quality(
            technological=round(weighted_mean([(w, q.technological) for w, q in rated]) or 1, 3),
            geographical=round(weighted_mean([(w, q.geographical) for w, q in rated]) or 1, 3),
            temporal=round(weighted_mean([(w, q.temporal) for w, q in rated]) or 1, 3),
        )
    return RollupResult(
        product=spec.product,
        pcf_kgco2e_per_kg=round(factor * burden, 9),
        burden_before_allocation_kgco2e_per_kg=round(burden, 9),
        allocation=spec.allocation,
        allocation_factor=round(factor, 9),
        primary_data_share_pct=round(pds or 0.0, 6),
        inputs_primary_data_share_mass_weighted_pct=mass_pds_pct,
        dqi=dqi,
        dqi_missing_for=missing,
        contributions=contributions,
        hotspots=[c.name for c in contributions if c.hotspot],
        grid_factor_kgco2e_per_kwh=grid if proc.electricity_kwh_per_kg > 0 else None,
        grid_factor_source=grid_source if proc.electricity_kwh_per_kg > 0 else None,
        source=spec.source,
    )
