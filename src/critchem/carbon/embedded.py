"""Specific embedded emissions of a CBAM good from its installation's data and precursors.

Method of Regulation (EU) 2023/956, Annex IV, points 2 to 4 (simple goods, complex goods,
indirect emissions), detailed for the transitional period by Implementing Regulation
(EU) 2023/1773, Annex III (https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ%3AJOL_2023_228_R_0006),
kept apart for direct and indirect emissions:

    AttrEm_indir = E_el · EF_el                                  tCO2e (electricity consumed)
    EE_InpMat,x  = Σ_i M_i · SEE_i,x                             tCO2e, x = direct or indirect
    SEE_g,x      = (AttrEm_g,x + EE_InpMat,x) / AL_g             tCO2e per tonne of good g
    SEE_g        = SEE_g,dir + SEE_g,indir

where ``AL_g`` is the activity level (tonnes of g produced in the reporting period),
``AttrEm_g,dir`` the direct emissions attributed to the production process of g, ``E_el``
the electricity consumed (MWh) and ``EF_el`` its emission factor (tCO2e/MWh), ``M_i`` the
mass of precursor i used (t) and ``SEE_i`` its specific embedded emissions. A simple good
has no precursor with embedded emissions (the sum is zero). Which goods count only their
direct emissions is Annex II of Regulation 2023/956; the caller takes ``see_direct`` or
``see_total`` accordingly.

Every input, precursors' SEE included, is declared with its source (the Commission's default
values shipped in ``critchem.carbon.cbam_defaults`` may be declared for a precursor, with
that source). One exception, labelled as such: when ``EF_el`` is not declared, the process
names its ``country`` and the shipped grid factor of that country (Ember's published
intensity, ``critchem.carbon.grid``; not a CBAM default value) is used, and the result says
which factor it used.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from critchem.carbon.grid import grid_factor
from critchem.core.errors import CarbonInputError


class Precursor(BaseModel):
    """A relevant precursor used in the production process, with its SEE.

    The SEE is either declared (``see_direct``, ``see_indirect`` and ``source``) or taken from
    an earlier process of the same chain (``from_good``: that process's ``good``), as
    :func:`embedded_chain` computes it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    mass_t: float = Field(ge=0, description="M_i, tonnes used in the period.")
    see_direct: float | None = Field(
        default=None, ge=0, description="tCO2e per tonne of precursor, direct."
    )
    see_indirect: float = Field(default=0.0, ge=0, description="tCO2e per tonne, indirect.")
    source: str | None = Field(
        default=None, min_length=1, description="Where the precursor's SEE comes from."
    )
    from_good: str | None = Field(
        default=None, min_length=1, description="An earlier process's good in the same chain."
    )

    @model_validator(mode="after")
    def _declared_or_chained(self) -> Precursor:
        if self.from_good is None:
            if self.see_direct is None or self.source is None:
                raise ValueError("declare see_direct with its source, or from_good")
        elif self.see_direct is not None or self.see_indirect:
            raise ValueError("a precursor from_good takes its SEE from that process: declare none")
        return self


class ProductionProcess(BaseModel):
    """One production process of an installation over a reporting period (declared data)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    good: str = Field(min_length=1, description="The good produced (e.g. its CN code).")
    activity_level_t: float = Field(gt=0, description="AL_g, tonnes produced.")
    attributed_direct_tco2e: float = Field(ge=0, description="AttrEm_g,dir, tCO2e.")
    electricity_mwh: float = Field(default=0.0, ge=0, description="E_el, MWh consumed.")
    electricity_factor_tco2e_per_mwh: float | None = Field(
        default=None, ge=0, description="EF_el, declared; else the country's grid factor."
    )
    electricity_factor_source: str | None = None
    country: str | None = Field(
        default=None, description="Country of the installation (ISO 3166 alpha-2 or alpha-3)."
    )
    precursors: list[Precursor] = Field(default_factory=list)
    source: str = Field(min_length=1, description="Where the installation's data come from.")


class EmbeddedEmissions(BaseModel):
    """The specific embedded emissions of one good (tCO2e per tonne) and their parts."""

    model_config = ConfigDict(frozen=True)

    good: str
    activity_level_t: float
    attributed_direct_tco2e: float
    attributed_indirect_tco2e: float
    precursors_direct_tco2e: float
    precursors_indirect_tco2e: float
    see_direct: float
    see_indirect: float
    see_total: float
    simple_good: bool
    electricity_factor_tco2e_per_mwh: float
    electricity_factor_source: str


def embedded_emissions(process: ProductionProcess) -> EmbeddedEmissions:
    """The SEE of ``process``'s good by the equations of the module docstring.

    >>> p = ProductionProcess(good="2808 00 00", activity_level_t=1000,
    ...     attributed_direct_tco2e=300, electricity_mwh=50,
    ...     electricity_factor_tco2e_per_mwh=0.5, source="declared",
    ...     precursors=[Precursor(name="ammonia", mass_t=280, see_direct=2.0,
    ...                           see_indirect=0.1, source="declared")])
    >>> r = embedded_emissions(p)
    >>> round(r.see_direct, 6), round(r.see_indirect, 6), round(r.see_total, 6)
    (0.86, 0.053, 0.913)
    """
    factor, factor_source = electricity_factor(process)
    indirect = process.electricity_mwh * factor
    if any(p.see_direct is None for p in process.precursors):
        raise CarbonInputError(
            "a precursor with from_good is resolved by embedded_chain, not by a single process"
        )
    pre_direct = sum(p.mass_t * (p.see_direct or 0.0) for p in process.precursors)
    pre_indirect = sum(p.mass_t * p.see_indirect for p in process.precursors)
    level = process.activity_level_t
    see_direct = (process.attributed_direct_tco2e + pre_direct) / level
    see_indirect = (indirect + pre_indirect) / level
    return EmbeddedEmissions(
        good=process.good,
        activity_level_t=level,
        attributed_direct_tco2e=process.attributed_direct_tco2e,
        attributed_indirect_tco2e=indirect,
        precursors_direct_tco2e=pre_direct,
        precursors_indirect_tco2e=pre_indirect,
        see_direct=see_direct,
        see_indirect=see_indirect,
        see_total=see_direct + see_indirect,
        simple_good=pre_direct + pre_indirect == 0,
        electricity_factor_tco2e_per_mwh=factor,
        electricity_factor_source=factor_source,
    )


def electricity_factor(process: ProductionProcess) -> tuple[float, str]:
    """``EF_el`` (tCO2e/MWh) of ``process`` and the text naming where it comes from.

    A declared factor wins; without one, the shipped grid factor of ``process.country``
    (labelled, not a CBAM default value); without either, an error when electricity is
    consumed.
    """
    declared = process.electricity_factor_tco2e_per_mwh
    if declared is not None:
        return declared, f"declared: {process.electricity_factor_source or 'no source given'}"
    if process.electricity_mwh == 0:
        return 0.0, "no electricity consumed"
    if process.country is None:
        raise CarbonInputError(
            "electricity_mwh > 0 needs electricity_factor_tco2e_per_mwh (with its source) "
            "or the installation's country for the shipped grid factor"
        )
    factor = grid_factor(process.country)
    return factor.tco2_per_mwh, factor.label


def embedded_chain(processes: list[ProductionProcess]) -> list[EmbeddedEmissions]:
    """The SEE of each process in order, a precursor ``from_good`` taking the SEE (direct and
    indirect) computed for that earlier process: ``SEE_i`` of the equations above.

    >>> nh3 = ProductionProcess(good="ammonia", activity_level_t=100,
    ...     attributed_direct_tco2e=180, source="declared")
    >>> hno3 = ProductionProcess(good="nitric acid", activity_level_t=100,
    ...     attributed_direct_tco2e=25, source="declared",
    ...     precursors=[Precursor(name="ammonia", mass_t=29, from_good="ammonia")])
    >>> [round(r.see_direct, 6) for r in embedded_chain([nh3, hno3])]
    [1.8, 0.772]
    """
    done: dict[str, EmbeddedEmissions] = {}
    results = []
    for number, process in enumerate(processes, start=1):
        resolved = []
        for p in process.precursors:
            if p.from_good is None:
                resolved.append(p)
                continue
            earlier = done.get(p.from_good)
            if earlier is None:
                raise CarbonInputError(
                    f"process {number}: precursor {p.name!r} from_good {p.from_good!r} is not "
                    f"the good of an earlier process (known: {', '.join(done) or 'none'})"
                )
            resolved.append(
                p.model_copy(
                    update={
                        "see_direct": earlier.see_direct,
                        "see_indirect": earlier.see_indirect,
                        "source": f"computed: process of {p.from_good} in this chain",
                        "from_good": None,
                    }
                )
            )
        try:
            result = embedded_emissions(process.model_copy(update={"precursors": resolved}))
        except CarbonInputError as exc:
            raise CarbonInputError(f"process {number}: {exc}") from exc
        done[process.good] = result
        results.append(result)
    return results
