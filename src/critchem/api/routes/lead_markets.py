"""``POST /lead-markets/scenario``: the demand-side scenario of a lead market.

The body is a scenario (the same document as ``critchem lead-markets scenario --scenario``);
it runs on the REAL funded projects register (``ground=register``, the default) or on the
ILLUSTRATIVE example pipeline (``ground=example``), and the answer says which in
``data_label``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from critchem.carbon.lead_market_scenario import Scenario, ScenarioResult
from critchem.services.lead_markets import scenario_result

router = APIRouter(prefix="/lead-markets", tags=["carbon"])


@router.post(
    "/scenario",
    response_model=ScenarioResult,
    summary="Projects serving a lead market, green premium and quota demand",
)
def lead_market_scenario(
    body: Scenario,
    ground: Annotated[
        Literal["register", "example"],
        Query(description="register: the real funded projects; example: ILLUSTRATIVE pipeline."),
    ] = "register",
) -> ScenarioResult:
    """Molecules and projects serving the market (the real funded projects of the register
    with their sourced capacities, or the example pipeline's projects tagged from declared
    PCFs), the green premium per tonne (EU production and CBAM views) and, with a declared
    demand, the low-carbon volume a quota demands each year against the counted capacity.

    An unknown market is a 404; a missing threshold input or an unknown project a 400.
    """
    return scenario_result(body, example=ground == "example")
