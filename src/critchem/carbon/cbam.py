"""CBAM certificate cost of an importer's shipments of chemical-chain goods.

Legal basis: Regulation (EU) 2023/956 (CBAM): Annex I (the goods, by CN code), Article 9
(reduction for a carbon price effectively paid in the country of origin), Article 21 (the
price of CBAM certificates follows the EU ETS auction price) and Article 31 (the
certificates to surrender are adjusted to the extent EU ETS allowances are still allocated
free of charge, phased out from 2026 to 2034).

For a shipment of ``Q`` tonnes of a good with specific embedded emissions ``SEE``
(tCO2e per tonne, direct and, where Annex II does not exclude them, indirect, with the
precursors' embedded emissions, as Implementing Regulation (EU) 2023/1773 computes them):

    E    = Q · SEE                                         embedded emissions, tCO2e
    N    = E · s · (P_ETS − P_origin) / P_ETS               certificates due
    Cost = N · P_ETS = E · s · max(0, P_ETS − P_origin)     EUR

where ``P_ETS`` is the EU ETS (certificate) price in EUR/tCO2e, ``P_origin`` the carbon price
effectively paid at origin in EUR/tCO2e and ``s`` the CBAM share of the year: the fraction of
embedded emissions for which certificates are due after the free-allocation adjustment of
Article 31. This is the simplified form of that adjustment (one share per year; the
implementing act on the free-allocation adjustment works with benchmarks per good).

A shipment without declared specific embedded emissions takes the Commission's default value
of its good and country of origin, with the mark-up of the year
(``critchem.carbon.cbam_defaults``), and the result labels it as such.

The yearly share ``s`` is NOT shipped as data: its schedule (Directive 2003/87/EC,
Article 10a(1a), as amended by Directive (EU) 2023/959) could not be verified here figure by
figure, so a calculation that uses it takes ``s`` and its source as a declared input.

A shipment may instead declare its free-allocation adjustment with a CBAM benchmark
(``free_allocation``: ``BM_g``, ``CBAM_y``, ``CSCF_y``, precursors' benchmarks, each with its
source; ``critchem.carbon.free_allocation``), the benchmark form of Article 31:

    SEFA = CBAM_y · CSCF_y · (BM_g + Σ m_i·BM_i)
    N    = Q · max(0, SEE − SEFA) · max(0, P_ETS − P_origin) / P_ETS
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from critchem.carbon.cbam_defaults import default_see
from critchem.carbon.free_allocation import FreeAllocation, emissions_due, sefa_of
from critchem.core.errors import CarbonInputError


class CbamGood(BaseModel):
    """A CN code of Annex I of Regulation (EU) 2023/956 in the chemical chain."""

    cn_code: str
    name: str
    aggregated_goods_category: str
    sector: str


@cache
def chemical_goods() -> tuple[CbamGood, ...]:
    """The CBAM goods of the chemical chain (hydrogen, ammonia, nitric acid, fertilisers)."""
    text = (resources.files("critchem.carbon") / "data" / "cbam_chemical_goods.csv").read_text(
        encoding="utf-8"
    )
    return tuple(CbamGood.model_validate(row) for row in csv.DictReader(io.StringIO(text)))


def cbam_good(cn_code: str) -> CbamGood | None:
    """The Annex I entry covering ``cn_code`` (a listed heading covers its subheadings).

    >>> cbam_good("2814 10 00").aggregated_goods_category
    'Ammonia'
    >>> cbam_good("2804 10 00").sector, cbam_good("29051100") is None
    ('Hydrogen', True)
    """
    code = cn_code.replace(" ", "").replace(".", "")
    matches = [g for g in chemical_goods() if code.startswith(g.cn_code)]
    return max(matches, key=lambda g: len(g.cn_code)) if matches else None


def certificate_cost(
    embedded_tco2e: float, ets_price: float, origin_price: float, cbam_share: float
) -> tuple[float, float]:
    """Certificates due and their cost: ``N = E·s·max(0, P_ETS − P_origin)/P_ETS``, ``N·P_ETS``.

    Regulation (EU) 2023/956, Articles 9, 21 and 31 (simplified, see the module docstring).

    >>> certificate_cost(1000.0, 80.0, 20.0, 0.5)
    (375.0, 30000.0)
    >>> certificate_cost(1000.0, 80.0, 100.0, 1.0)
    (0.0, 0.0)
    """
    if ets_price <= 0:
        raise ValueError("the EU ETS price must be positive")
    gap = max(0.0, ets_price - origin_price)
    cost = embedded_tco2e * cbam_share * gap
    return cost / ets_price, cost


class Shipment(BaseModel):
    """One import: the good, its quantity, its embedded emissions and the price paid at origin.

    Without ``see_tco2e_per_t`` the Commission's default value of the good for the country of
    origin (or for ``default_table``) is used, with the mark-up of the year.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    cn_code: str
    origin_country: str = Field(pattern=r"^[A-Z]{2}$")
    quantity_t: float = Field(gt=0)
    see_tco2e_per_t: float | None = Field(
        default=None, ge=0, description="Specific embedded emissions, tCO2e/t; else default."
    )
    emissions_basis: str | None = Field(default=None, pattern=r"^(actual|default)$")
    emissions_source: str | None = Field(default=None, min_length=1)
    default_table: str | None = Field(
        default=None,
        pattern=r"^([A-Z]{2}|OTHER)$",
        description="Annex I table for the default value when not that of origin_country.",
    )
    carbon_price_paid_eur_per_t: float = Field(default=0, ge=0)
    free_allocation: FreeAllocation | None = Field(
        default=None, description="Benchmark form of the adjustment; else the inputs' share."
    )

    @model_validator(mode="after")
    def _declared_with_source(self) -> Shipment:
        if self.see_tco2e_per_t is not None:
            if self.emissions_basis is None or self.emissions_source is None:
                raise ValueError(
                    "a declared see_tco2e_per_t needs emissions_basis (actual or default) and "
                    "emissions_source"
                )
        elif self.emissions_basis == "actual":
            raise ValueError("emissions_basis 'actual' needs see_tco2e_per_t")
        return self

    @field_validator("cn_code")
    @classmethod
    def _is_cbam_good(cls, value: str) -> str:
        code = value.replace(" ", "").replace(".", "")
        if not code.isdigit() or len(code) != 8:
            raise ValueError(f"{value!r} is not a CN8 code (8 digits)")
        if cbam_good(code) is None:
            raise ValueError(
                f"CN {code} is not a CBAM good of the chemical chain (Annex I of Regulation "
                "(EU) 2023/956: hydrogen 2804 10 00, ammonia 2814, nitric acid 2808, "
                "fertilisers 2834 21 00, 3102, 3105)"
            )
        return code


class CbamInputs(BaseModel):
    """A CBAM calculation: the year, the prices, the declared CBAM share and the shipments."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=2026, le=2100)
    ets_price_eur_per_t: float = Field(gt=0)
    ets_price_source: str = Field(min_length=1)
    cbam_share: float | None = Field(
        default=None, ge=0, le=1, description="s: share due after free allocation."
    )
    cbam_share_source: str | None = Field(default=None, min_length=1)
    shipments: list[Shipment] = Field(min_length=1)
    source: str = Field(
        default="illustrative", description="synthetic, illustrative or a reference."
    )

    @model_validator(mode="after")
    def _share_where_needed(self) -> CbamInputs:
        if self.cbam_share is not None and self.cbam_share_source is None:
            raise ValueError("cbam_share_source is required with cbam_share")
        without = [s.id for s in self.shipments if s.free_allocation is None]
        if without and self.cbam_share is None:
            raise ValueError(
                "cbam_share and cbam_share_source are required for the shipments without "
                "free_allocation: " + ", ".join(without)
            )
        return self


class ShipmentCost(BaseModel):
    """The CBAM exposure of one shipment."""

    id: str
    cn_code: str
    good: str
    origin_country: str
    quantity_t: float
    see_tco2e_per_t: float
    embedded_tco2e: float
    emissions_basis: str
    emissions_source: str
    default_markup_pct: float | None = None
    method: str
    free_allocation_tco2e_per_t: float | None = None
    emissions_due_tco2e: float
    price_gap_eur_per_t: float
    certificates: float
    cost_eur: float
    cost_eur_per_t: float


class CbamResult(BaseModel):
    """Per-shipment costs, totals and the declared parameters they rest on."""

    year: int
    ets_price_eur_per_t: float
    ets_price_source: str
    cbam_share: float | None
    cbam_share_source: str | None
    shipments: list[ShipmentCost]
    total_embedded_tco2e: float
    total_certificates: float
    total_cost_eur: float
    legal_basis: str
    source: str


LEGAL_BASIS = "Regulation (EU) 2023/956, Annex I and Articles 9, 21 and 31"


def calculate(inputs: CbamInputs) -> CbamResult:
    """The certificate cost of every shipment of ``inputs`` and their totals."""
    rows = []
    for s in inputs.shipments:
        see, basis, source, markup = _see(s, inputs.year)
        embedded = s.quantity_t * see
        sefa: float | None = None
        if s.free_allocation is not None:
            sefa = sefa_of(s.free_allocation)
            method, due = "free_allocation", s.quantity_t * emissions_due(see, sefa)
        else:
            method, due = "cbam_share", embedded * (inputs.cbam_share or 0.0)
        certificates, cost = certificate_cost(
            due, inputs.ets_price_eur_per_t, s.carbon_price_paid_eur_per_t, 1.0
        )
        good = cbam_good(s.cn_code)
        if good is None:  # validated on input; kept for the type checker
            raise CarbonInputError(f"shipment {s.id}: CN {s.cn_code} is not a CBAM good")
        rows.append(
            ShipmentCost(
                id=s.id,
                cn_code=s.cn_code,
                good=good.aggregated_goods_category,
                origin_country=s.origin_country,
                quantity_t=s.quantity_t,
                see_tco2e_per_t=round(see, 6),
                embedded_tco2e=round(embedded, 6),
                emissions_basis=basis,
                emissions_source=source,
                default_markup_pct=markup,
                method=method,
                free_allocation_tco2e_per_t=None if sefa is None else round(sefa, 6),
                emissions_due_tco2e=round(due, 6),
                price_gap_eur_per_t=max(
                    0.0, inputs.ets_price_eur_per_t - s.carbon_price_paid_eur_per_t
                ),
                certificates=round(certificates, 6),
                cost_eur=round(cost, 2),
                cost_eur_per_t=round(cost / s.quantity_t, 4),
            )
        )
    return CbamResult(
        year=inputs.year,
        ets_price_eur_per_t=inputs.ets_price_eur_per_t,
        ets_price_source=inputs.ets_price_source,
        cbam_share=inputs.cbam_share,
        cbam_share_source=inputs.cbam_share_source,
        shipments=rows,
        total_embedded_tco2e=round(sum(r.embedded_tco2e for r in rows), 6),
        total_certificates=round(sum(r.certificates for r in rows), 6),
        total_cost_eur=round(sum(r.cost_eur for r in rows), 2),
        legal_basis=LEGAL_BASIS,
        source=inputs.source,
    )


def _see(s: Shipment, year: int) -> tuple[float, str, str, float | None]:
    """``(SEE, basis, source, mark-up)`` of a shipment: as declared, else the default value."""
    if s.see_tco2e_per_t is not None:
        return s.see_tco2e_per_t, s.emissions_basis or "actual", s.emissions_source or "", None
    try:
        d = default_see(s.default_table or s.origin_country, s.cn_code, year)
    except CarbonInputError as exc:
        raise CarbonInputError(f"shipment {s.id}: {exc}") from exc
    return d.see_tco2e_per_t, "default", d.label, d.markup_pct
