"""Grid emission factors per country, as published by Ember (CC BY 4.0).

``data/grid_intensity_ember.csv`` holds, for the 27 EU Member States and the main exporters
of the chemical chain, the latest year of Ember's ``emissions_intensity_gco2_per_kwh`` in
its yearly country overview (``api_country_overview_yearly.csv`` of Ember's repository
``ember-climate/ember-data-api``, commit 7dcef7b6ea72), copied figure by figure with the row,
licence and checked date on every line (see ``data/SOURCES.md``).

    EF [tCO2/MWh] = I [gCO2/kWh] / 1000

These are generation intensities defined by Ember's methodology. They are **not** the
default values of Commission Implementing Regulation (EU) 2025/2621 (whose electricity
factors could not be read in the Official Journal), and their definition was not compared
with the CBAM "emission factor for electricity" of Regulation (EU) 2023/956, Annex IV: a
result computed with them says so.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from critchem.core.errors import CarbonInputError

DATA_FILE = "grid_intensity_ember.csv"
NOT_CBAM_DEFAULT = "not a CBAM default value of Implementing Regulation (EU) 2025/2621"


class GridFactor(BaseModel):
    """One country's grid emission intensity for one year, with its provenance."""

    model_config = ConfigDict(frozen=True)

    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    iso3: str
    ember_name: str
    eu_member: bool
    year: int
    gco2_per_kwh: float
    source: str
    licence: str
    checked: str

    @property
    def tco2_per_mwh(self) -> float:
        """The factor in tCO2/MWh (= gCO2/kWh / 1000)."""
        return self.gco2_per_kwh / 1000.0

    @property
    def label(self) -> str:
        """How a result names the factor it used."""
        return (
            f"grid factor {self.country} {self.year}: {self.gco2_per_kwh} gCO2/kWh "
            f"(Ember, {self.licence}; {NOT_CBAM_DEFAULT})"
        )


@lru_cache(maxsize=1)
def grid_factors() -> dict[str, GridFactor]:
    """The shipped factors, keyed by ISO alpha-2 and alpha-3 code (upper case)."""
    text = (resources.files("critchem.carbon") / "data" / DATA_FILE).read_text(encoding="utf-8")
    table: dict[str, GridFactor] = {}
    for row in csv.DictReader(io.StringIO(text)):
        factor = GridFactor(
            country=row["country"],
            iso3=row["iso3"],
            ember_name=row["ember_name"],
            eu_member=row["eu_member"] == "yes",
            year=int(row["year"]),
            gco2_per_kwh=float(row["gco2_per_kwh"]),
            source=row["source"],
            licence=row["licence"],
            checked=row["checked"],
        )
        table[factor.country] = factor
        table[factor.iso3] = factor
    return table


def grid_factor(country: str) -> GridFactor:
    """The shipped factor of ``country`` (ISO alpha-2 or alpha-3, any case).

    >>> f = grid_factor("de")
    >>> f.year, f.gco2_per_kwh, f.tco2_per_mwh
    (2022, 385.467, 0.385467)
    """
    table = grid_factors()
    found = table.get(country.strip().upper())
    if found is None:
        known = ", ".join(sorted({f.country for f in table.values()}))
        raise CarbonInputError(
            f"no shipped grid factor for country {country!r}; declare "
            f"electricity_factor_tco2e_per_mwh with its source (shipped: {known})"
        )
    return found
