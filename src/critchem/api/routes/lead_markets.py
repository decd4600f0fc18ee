"""``POST /lead-markets/scenario``: the demand-side scenario of a lead market.

The body is a scenario (the same document as ``critchem lead-markets scenario --scenario``);
it runs on the ILLUSTRATIVE example pipeline, and the answer says so in ``data_label``.
"""

from __future__ import annotations

from fastapi import APIRouter

from critchem.carbon.lead_market_scenario import Scenario, ScenarioResult
from critchem.services.lead_markets import scenario_result

router = APIRouter(prefix="/lead-markets", tags=["carbon"])


@router.post(
    "/scenario",
    response_model=ScenarioResult,
    summary="Projects serving a lead market, green premium and quota demand",
)
def lead_market_scenario(body: Scenario) -> ScenarioResult:
    """Molecules and pipeline projects serving the market (tagged from declared PCFs), the
    green premium per tonne (EU production and CBAM views) and, with a declared demand, the
    low-carbon volume a quota demands each year against the tagged capacity.

    An unknown market is a 404; a missing threshold input or an unknown project a 400.
    """
    return scenario_result(body)
