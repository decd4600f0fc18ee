"""The green premium of a low-carbon product, and the carbon price that closes it.

For a conventional product with footprint ``F_c`` and a low-carbon one with ``F_l``
(kgCO2e per kg, i.e. tCO2e per tonne), a production-cost gap ``G`` (EUR per tonne of product)
and a carbon price ``P`` (EUR per tCO2e) paid on a share ``s`` of the emissions (free
allocation, or the CBAM phase-in, leaves the rest unpriced):

    ΔF = F_c − F_l                                  tCO2e avoided per tonne
    carbon cost advantage  A = ΔF · P · s           EUR per tonne
    remaining premium      R = G − A                EUR per tonne (≤ 0: the price closes it)
    break-even price       P* = G / (ΔF · s)        EUR per tCO2e (ΔF · s > 0)

This is the issue's definition of the green premium that closes the cost gap ("PCF
difference × carbon price, with CBAM"); every input is declared by the user with its
source, none is shipped.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PremiumInputs(BaseModel):
    """Declared inputs of one green-premium calculation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pcf_conventional: float = Field(ge=0, description="kgCO2e/kg of the conventional product.")
    pcf_low_carbon: float = Field(ge=0, description="kgCO2e/kg of the low-carbon product.")
    cost_gap_eur_per_t: float = Field(description="Extra production cost, EUR/t of product.")
    carbon_price_eur_per_t: float = Field(ge=0, description="EUR per tCO2e.")
    priced_share: float = Field(default=1.0, ge=0, le=1, description="Share of emissions priced.")


class PremiumResult(BaseModel):
    """The outcome (EUR per tonne of product; the break-even price in EUR per tCO2e)."""

    model_config = ConfigDict(frozen=True)

    avoided_t_per_t: float
    carbon_cost_advantage_eur_per_t: float
    remaining_premium_eur_per_t: float
    break_even_carbon_price_eur_per_t: float | None
    closed: bool


def carbon_cost_advantage(avoided: float, price: float, share: float) -> float:
    """``A = ΔF · P · s`` (EUR per tonne of product).

    >>> carbon_cost_advantage(2.0, 80.0, 0.5)
    80.0
    """
    return avoided * price * share


def break_even_price(cost_gap: float, avoided: float, share: float) -> float | None:
    """``P* = G / (ΔF · s)``; ``None`` when nothing priced is avoided (``ΔF · s ≤ 0``).

    >>> break_even_price(300.0, 2.0, 0.5)
    300.0
    """
    priced = avoided * share
    return None if priced <= 0 else cost_gap / priced


def green_premium(inputs: PremiumInputs) -> PremiumResult:
    """The carbon cost advantage, remaining premium and break-even price of ``inputs``."""
    avoided = inputs.pcf_conventional - inputs.pcf_low_carbon
    advantage = carbon_cost_advantage(avoided, inputs.carbon_price_eur_per_t, inputs.priced_share)
    remaining = inputs.cost_gap_eur_per_t - advantage
    return PremiumResult(
        avoided_t_per_t=avoided,
        carbon_cost_advantage_eur_per_t=advantage,
        remaining_premium_eur_per_t=remaining,
        break_even_carbon_price_eur_per_t=break_even_price(
            inputs.cost_gap_eur_per_t, avoided, inputs.priced_share
        ),
        closed=remaining <= 0,
    )
