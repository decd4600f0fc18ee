"""The ``/lead-markets`` page's scenario section: query parameters to a scenario, and back.

The page runs the scenario of the shared service on the REAL funded projects register (the
projects making the market's product, with their sourced capacities), or, when asked
(``ground=example``), on the ILLUSTRATIVE example pipeline, where no project declares a PCF.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from critchem.carbon.lead_market_scenario import Scenario, ScenarioResult
from critchem.carbon.premium import PremiumInputs
from critchem.core.errors import CritchemError
from critchem.services.lead_markets import scenario_result

DEFAULT_MARKET = "low-carbon-hydrogen"
PAGE_SOURCE = "declared by the user on the page"


@dataclass(frozen=True, slots=True)
class QuotaQuery:
    """The scenario's query parameters (``None``: not given)."""

    market: str | None = None
    share: float | None = None
    start_year: int | None = None
    years: int | None = None
    ramp: str | None = None
    demand: float | None = None
    demand_source: str | None = None
    ground: str | None = None


class ScenarioSection(BaseModel):
    """The scenario's answer, or why it could not run."""

    result: ScenarioResult | None
    error: str | None


def _document(q: QuotaQuery, premium: PremiumInputs | None) -> dict[str, object]:
    doc: dict[str, object] = {"market": q.market or DEFAULT_MARKET, "source": "illustrative"}
    if q.share is not None or q.start_year is not None:
        doc["quota"] = {
            k: v
            for k, v in {
                "share": q.share,
                "start_year": q.start_year,
                "years": q.years,
                "ramp": q.ramp,
            }.items()
            if v is not None
        }
    if q.demand is not None:
        doc["demand"] = {"tonnes_per_year": q.demand, "source": q.demand_source or ""}
    if premium is not None:
        doc["premium"] = {
            "pcf_conventional": premium.pcf_conventional,
            "pcf_low_carbon": premium.pcf_low_carbon,
            "cost_gap_eur_per_t": premium.cost_gap_eur_per_t,
            "ets_price_eur_per_t": premium.carbon_price_eur_per_t,
            "eu_priced_share": premium.priced_share,
            "source": PAGE_SOURCE,
        }
    return doc


def scenario_data(q: QuotaQuery, premium: PremiumInputs | None) -> ScenarioSection:
    """Run the scenario the query describes; a bad input is a message naming the field."""
    try:
        scenario = Scenario.model_validate(_document(q, premium))
        if q.ground not in (None, "register", "example"):
            return ScenarioSection(
                result=None, error=f"ground: {q.ground!r} is neither 'register' nor 'example'"
            )
        result = scenario_result(scenario, example=q.ground == "example")
        return ScenarioSection(result=result, error=None)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        return ScenarioSection(result=None, error=f"{where}: {first['msg']}")
    except CritchemError as exc:
        return ScenarioSection(result=None, error=str(exc))
