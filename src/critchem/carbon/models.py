"""The ProductFootprint data model of the PACT Technical Specifications, version 3.0.

Field names, types and constraints follow the *Technical Specifications for PCF Data
Exchange*, version 3.0.0 (WBCSD, Partnership for Carbon Transparency; source text in the
repository ``wbcsd/data-exchange-protocol``, ``spec/v3``), data types ``ProductFootprint``,
``CarbonFootprint``, ``DataQualityIndicators``, ``Verification``, ``EmissionFactorSource`` and
``ProductOrSectorSpecificRule``. The JSON names are the specification's (camelCase); the Python
attributes are their snake_case twins. Decimals travel as JSON strings, as the specification
writes them, and are read from strings or numbers.

Emissions are in kgCO2e per declared unit (``declared_unit_amount`` ×
``declared_unit_of_measurement``). The methodology behind them is the PACT Methodology v3.0
(and, for chemicals, the TfS PCF Guideline), which this module does not check.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic.alias_generators import to_camel

SPEC_VERSION = "3.0.0"
"""The version of the PACT Technical Specifications this model implements."""

_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$", re.IGNORECASE)


def _urn(value: str) -> str:
    if not _URN.match(value):
        raise ValueError(f"{value!r} is not a URN (RFC 8141: urn:<NID>:<NSS>)")
    return value


Urn = Annotated[str, AfterValidator(_urn)]
"""A Uniform Resource Name (RFC 8141), e.g. ``urn:pact:example.com:product-id:44055``."""

Dec = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="json")]
"""A decimal, written as a JSON string as the specification does."""
PositiveDec = Annotated[Dec, Field(gt=0)]
NonNegativeDec = Annotated[Dec, Field(ge=0)]
NonPositiveDec = Annotated[Dec, Field(le=0)]
Rating = Annotated[Dec, Field(ge=1, le=5)]
NonEmptyStr = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


class Status(StrEnum):
    """Status of a ProductFootprint."""

    active = "Active"
    deprecated = "Deprecated"


class DeclaredUnit(StrEnum):
    """``declaredUnitOfMeasurement`` values of v3.0."""

    liter = "liter"
    kilogram = "kilogram"
    cubic_meter = "cubic meter"
    kilowatt_hour = "kilowatt hour"
    megajoule = "megajoule"
    ton_kilometer = "ton kilometer"
    square_meter = "square meter"
    piece = "piece"
    hour = "hour"
    megabit_second = "megabit second"


class RegionOrSubregion(StrEnum):
    """UN geographic regions and subregions allowed in ``geographyRegionOrSubregion``."""

    africa = "Africa"
    americas = "Americas"
    asia = "Asia"
    europe = "Europe"
    oceania = "Oceania"
    australia_and_new_zealand = "Australia and New Zealand"
    central_asia = "Central Asia"
    eastern_asia = "Eastern Asia"
    eastern_europe = "Eastern Europe"
    latin_america_and_the_caribbean = "Latin America and the Caribbean"
    melanesia = "Melanesia"
    micronesia = "Micronesia"
    northern_africa = "Northern Africa"
    northern_america = "Northern America"
    northern_europe = "Northern Europe"
    polynesia = "Polynesia"
    south_eastern_asia = "South-eastern Asia"
    southern_asia = "Southern Asia"
    southern_europe = "Southern Europe"
    sub_saharan_africa = "Sub-Saharan Africa"
    western_asia = "Western Asia"
    western_europe = "Western Europe"


class DataQualityIndicators(_Model):
    """Quantitative data quality ratings (DQR), each from 1 (best) to 5 (worst)."""

    technological_dqr: Rating = Field(alias="technologicalDQR")
    geographical_dqr: Rating = Field(alias="geographicalDQR")
    temporal_dqr: Rating = Field(alias="temporalDQR")


class Verification(_Model):
    """Third-party verification of the footprint, if any."""

    coverage: str | None = None
    provider_name: str | None = None
    completed_at: datetime | None = None
    standard_name: str | None = None
    comments: str | None = None


class EmissionFactorSource(_Model):
    """A secondary emission factor database and its version (e.g. ecoinvent 3.9.1)."""

    name: NonEmptyStr
    version: NonEmptyStr


class ProductOrSectorSpecificRule(_Model):
    """Product or sector specific rules applied (e.g. the TfS PCF Guideline as ``Other``)."""

    operator: str
    rule_names: list[NonEmptyStr] = Field(min_length=1)
    other_operator_name: str | None = None


class CarbonFootprint(_Model):
    """The carbon footprint of a product (PACT v3.0 ``CarbonFootprint``), per declared unit."""

    declared_unit_of_measurement: DeclaredUnit
    declared_unit_amount: PositiveDec
    product_mass_per_declared_unit: NonNegativeDec
    reference_period_start: datetime
    reference_period_end: datetime
    geography_region_or_subregion: RegionOrSubregion | None = None
    geography_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    geography_country_subdivision: (
        Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")] | None
    ) = None
    boundary_processes_description: str | None = None
    pcf_excluding_biogenic_uptake: Dec
    pcf_including_biogenic_uptake: Dec
    fossil_carbon_content: NonNegativeDec
    biogenic_carbon_content: NonNegativeDec | None = None
    recycled_carbon_content: NonNegativeDec | None = None
    fossil_ghg_emissions: NonNegativeDec
    land_use_change_ghg_emissions: NonNegativeDec | None = None
    land_carbon_leakage: NonNegativeDec | None = None
    land_management_fossil_ghg_emissions: NonNegativeDec | None = None
    land_management_biogenic_co2_emissions: NonNegativeDec | None = Field(
        None, alias="landManagementBiogenicCO2Emissions"
    )
    land_management_biogenic_co2_removals: NonPositiveDec | None = Field(
        None, alias="landManagementBiogenicCO2Removals"
    )
    biogenic_co2_uptake: NonPositiveDec | None = Field(default=None, alias="biogenicCO2Uptake")
    biogenic_non_co2_emissions: NonNegativeDec | None = Field(
        default=None, alias="biogenicNonCO2Emissions"
    )
    land_area_occupation: NonNegativeDec | None = None
    aircraft_ghg_emissions: NonNegativeDec | None = None
    packaging_emissions_included: bool | None = None
    packaging_ghg_emissions: NonNegativeDec | None = None
    packaging_biogenic_carbon_content: NonNegativeDec | None = None
    outbound_logistics_ghg_emissions: NonNegativeDec | None = None
    ccs_technological_co2_capture_included: bool | None = Field(
        None, alias="ccsTechnologicalCO2CaptureIncluded"
    )
    ccs_technological_co2_capture: NonPositiveDec | None = Field(
        None, alias="ccsTechnologicalCO2Capture"
    )
    technological_co2_capture_origin: str | None = Field(
        None, alias="technologicalCO2CaptureOrigin"
    )
    technological_co2_removals: NonPositiveDec | None = Field(
        None, alias="technologicalCO2Removals"
    )
    ccu_carbon_content: NonNegativeDec | None = None
    ccu_calculation_approach: str | None = Field(default=None, pattern=r"^(Cut-off|Credit)$")
    ccu_credit_certification: str | None = None
    ipcc_characterization_factors: list[Annotated[str, Field(pattern=r"^AR\d+$")]] = Field(
        min_length=1
    )
    cross_sectoral_standards: list[NonEmptyStr] = Field(min_length=1)
    product_or_sector_specific_rules: list[ProductOrSectorSpecificRule] | None = None
    exempted_emissions_percent: Annotated[Dec, Field(ge=0, le=100)]
    exempted_emissions_description: str | None = None
    allocation_rules_description: str | None = None
    secondary_emission_factor_sources: list[EmissionFactorSource] | None = None
    primary_data_share: Annotated[Dec, Field(ge=0, le=100)] | None = None
    dqi: DataQualityIndicators | None = None
    verification: Verification | None = None

    @model_validator(mode="after")
    def _scope(self) -> CarbonFootprint:
        geographies = [
            name
            for name, value in (
                ("geographyRegionOrSubregion", self.geography_region_or_subregion),
                ("geographyCountry", self.geography_country),
                ("geographyCountrySubdivision", self.geography_country_subdivision),
            )
            if value is not None
        ]
        if len(geographies) > 1:
            raise ValueError(
                "at most one geography may be given (global when none): got "
                + ", ".join(geographies)
            )
        if self.reference_period_end <= self.reference_period_start:
            raise ValueError("referencePeriodEnd must be after referencePeriodStart")
        if self.packaging_emissions_included is False and self.packaging_ghg_emissions:
            raise ValueError(
                "packagingGhgEmissions must be absent when packagingEmissionsIncluded is false"
            )
        return self

    @property
    def geography(self) -> str:
        """The most specific geography given, or ``Global``."""
        return (
            self.geography_country_subdivision
            or self.geography_country
            or (self.geography_region_or_subregion or "Global")
        )


class ProductFootprint(_Model):
    """A product carbon footprint with its identity, owner, product and scope (PACT v3.0)."""

    id: UUID
    spec_version: Annotated[str, Field(pattern=r"^3\.\d+\.\d+(-\d{8})?$")]
    preceding_pf_ids: list[UUID] | None = Field(default=None, min_length=1)
    created: datetime
    status: Status
    validity_period_start: datetime | None = None
    validity_period_end: datetime | None = None
    company_name: NonEmptyStr
    company_ids: list[Urn] = Field(min_length=1)
    product_description: str
    product_ids: list[Urn] = Field(min_length=1)
    product_classifications: list[Urn] | None = None
    product_name_company: NonEmptyStr
    comment: str | None = None
    pcf: CarbonFootprint
    extensions: list[dict[str, Any]] | None = None

    def to_pact(self) -> dict[str, Any]:
        """The footprint as PACT v3 JSON (camelCase names, decimals as strings, no nulls)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def pcf_per_kg(self) -> float:
        """``pcfExcludingBiogenicUptake`` per kilogram of product.

        Equation: ``PCF_kg = pcfExcludingBiogenicUptake / m``, where ``m`` is
        ``declaredUnitAmount`` when the declared unit is the kilogram and
        ``productMassPerDeclaredUnit`` (kg per declared unit) otherwise.
        """
        pcf = self.pcf
        if pcf.declared_unit_of_measurement is DeclaredUnit.kilogram:
            mass = pcf.declared_unit_amount
        else:
            mass = pcf.product_mass_per_declared_unit
        if mass <= 0:
            raise ValueError(
                f"footprint {self.id}: no product mass per declared unit, so no PCF per kg"
            )
        return float(pcf.pcf_excluding_biogenic_uptake / mass)
