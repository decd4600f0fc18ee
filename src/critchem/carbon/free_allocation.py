"""The free-allocation adjustment of CBAM certificates with a CBAM benchmark per good.

Regulation (EU) 2023/956, Article 31: the CBAM certificates to surrender are adjusted to
reflect the extent to which EU ETS allowances are allocated free of charge to Union
installations producing the same goods. Commission Implementing Regulation (EU) 2025/2620
(OJ L, 22.12.2025; http://data.europa.eu/eli/reg_impl/2025/2620/oj) sets the rules: per good
``g`` imported, a specific embedded free allocation ``SEFA_g`` (tCO2e per tonne) built from the
CBAM factor of the year ``CBAM_y`` (Directive 2003/87/EC, Article 10a(1a)), the cross-sectoral
correction factor ``CSCF_y`` and the CBAM benchmark ``BM_g`` of its Annex, point 5 (column A
with actual data, column B with default values). Its equations are printed as images in the
Official Journal and were not read here; this module uses the form that published worked
examples apply (see ``tests/carbon/test_free_allocation.py``):

    SEFA  = CBAM_y · CSCF_y · (BM_g + Σ_i m_i · BM_i)      tCO2e per tonne of good
    due   = max(0, SEE − SEFA)                             tCO2e per tonne of good
    N     = Q · due                                        certificates before Article 9

where ``m_i`` is the mass of precursor ``i`` per tonne of good and ``BM_i`` its benchmark (zero
terms for a simple good). Every factor is a declared input with its source: no benchmark,
CBAM factor or CSCF is shipped.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PrecursorBenchmark(BaseModel):
    """A precursor's mass per tonne of good and its CBAM benchmark (declared)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    mass_t_per_t: float = Field(ge=0, description="m_i, tonnes per tonne of good.")
    benchmark_tco2e_per_t: float = Field(ge=0, description="BM_i, tCO2e per tonne.")


class FreeAllocation(BaseModel):
    """The declared factors of a shipment's free-allocation adjustment, with their sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    benchmark_tco2e_per_t: float = Field(ge=0, description="BM_g, the good's CBAM benchmark.")
    benchmark_source: str = Field(min_length=1)
    cbam_factor: float = Field(ge=0, le=1, description="CBAM_y, the CBAM factor of the year.")
    cbam_factor_source: str = Field(min_length=1)
    cscf: float = Field(default=1.0, gt=0, le=1, description="CSCF_y; 1 when not declared.")
    cscf_source: str | None = None
    precursors: list[PrecursorBenchmark] = Field(default_factory=list)


def specific_free_allocation(
    benchmark: float,
    cbam_factor: float,
    cscf: float = 1.0,
    precursors: list[tuple[float, float]] | None = None,
) -> float:
    """``SEFA = CBAM_y · CSCF_y · (BM_g + Σ m_i·BM_i)`` in tCO2e per tonne of good.

    Regulation (EU) 2023/956, Article 31; Implementing Regulation (EU) 2025/2620 (terms).

    >>> specific_free_allocation(1.0, 0.975)
    0.975
    >>> round(specific_free_allocation(0.0, 0.975, precursors=[(0.33, 1.57), (0.59, 0.23)]), 6)
    0.637455
    """
    embedded = sum(m * bm for m, bm in precursors or [])
    return cbam_factor * cscf * (benchmark + embedded)


def emissions_due(see: float, sefa: float) -> float:
    """``due = max(0, SEE − SEFA)``: tCO2e per tonne for which certificates are due.

    >>> round(emissions_due(1.2, 0.975), 6), emissions_due(0.5, 0.975)
    (0.225, 0.0)
    """
    return max(0.0, see - sefa)


def sefa_of(allocation: FreeAllocation) -> float:
    """``SEFA`` of a declared :class:`FreeAllocation`."""
    return specific_free_allocation(
        allocation.benchmark_tco2e_per_t,
        allocation.cbam_factor,
        allocation.cscf,
        [(p.mass_t_per_t, p.benchmark_tco2e_per_t) for p in allocation.precursors],
    )
