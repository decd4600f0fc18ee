"""World Bank Worldwide Governance Indicators (WGI), rescaled as the EU CRM method does."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from critchem.core.errors import UnknownCountryError
from critchem.nomenclature._files import read_rows
from critchem.nomenclature.countries import load_countries

WGI_DIMENSIONS: tuple[str, ...] = ("CC", "GE", "PV", "RL", "RQ", "VA")


def wgi_scaled(mean_estimate: float) -> float:
    """Rescale a WGI mean estimate (-2.5 best-worst ... 2.5 best) to 0..10, 10 the worst.

    ``WGI_scaled = (2.5 − mean) · 2`` (European Commission, *Methodology for establishing the EU
    list of critical raw materials*, 2017, section 3.2.1).

    >>> wgi_scaled(2.5), wgi_scaled(-2.5), wgi_scaled(0.0)
    (0.0, 10.0, 5.0)
    """
    return (2.5 - mean_estimate) * 2.0


@dataclass(frozen=True, slots=True)
class Governance:
    """The six WGI estimates of one country and year."""

    iso3: str
    country: str
    year: int
    estimates: dict[str, float]

    @property
    def mean(self) -> float:
        """The mean of the six estimates."""
        return sum(self.estimates.values()) / len(self.estimates)

    @property
    def scaled(self) -> float:
        """The mean rescaled to 0..10 with 10 the worst governance."""
        return wgi_scaled(self.mean)


@cache
def load_wgi() -> dict[str, Governance]:
    """WGI 2020 estimates keyed by ISO3 (cached); countries with a missing dimension are skipped."""
    out: dict[str, Governance] = {}
    for row in read_rows("critchem.nomenclature", "wgi2020_estimates.csv"):
        values = {d: row[d] for d in WGI_DIMENSIONS}
        if any(not v for v in values.values()):
            continue
        out[row["iso3"]] = Governance(
            row["iso3"], row["country"], int(row["year"]), {d: float(v) for d, v in values.items()}
        )
    return out


def governance_of(code: str) -> Governance:
    """The WGI record of a country given as ISO2/Comext code or ISO3.

    >>> round(governance_of("CN").scaled, 2)
    5.5
    """
    partner = load_countries().get(code)
    if partner.iso3 is None or partner.iso3 not in load_wgi():
        raise UnknownCountryError(f"No WGI estimates for {code!r}")
    return load_wgi()[partner.iso3]
