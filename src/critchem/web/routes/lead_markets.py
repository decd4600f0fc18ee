"""``/lead-markets``: low-carbon product definitions with their legal sources, and the green
premium of a product against a carbon price (declared inputs), with its chart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict

from critchem.carbon.lead_markets import Definition
from critchem.carbon.premium import PremiumInputs, PremiumResult, green_premium
from critchem.services.carbon import lead_market_definitions
from critchem.web.charts.lines import Line, line_chart
from critchem.web.render import page, twin, with_query

router = APIRouter(include_in_schema=False)

STEPS = 10
"""Carbon prices drawn on the chart, from 0 to the largest of interest."""


class PremiumPoint(BaseModel):
    """The remaining premium at one carbon price."""

    carbon_price_eur_per_t: float
    remaining_premium_eur_per_t: float


class LeadMarketsPageOut(BaseModel):
    """The definitions, and the premium calculation when its inputs are given."""

    model_config = ConfigDict(frozen=True)

    definitions: list[Definition]
    inputs: PremiumInputs | None
    inputs_source: str
    result: PremiumResult | None
    curve: list[PremiumPoint]


Number = Annotated[float | None, Query()]


def _data(
    conventional: float | None,
    low_carbon: float | None,
    cost_gap: float | None,
    carbon_price: float | None,
    priced_share: float | None,
) -> LeadMarketsPageOut:
    given = (conventional, low_carbon, cost_gap, carbon_price)
    inputs = result = None
    curve: list[PremiumPoint] = []
    if all(v is not None for v in given):
        inputs = PremiumInputs(
            pcf_conventional=conventional,  # type: ignore[arg-type]
            pcf_low_carbon=low_carbon,  # type: ignore[arg-type]
            cost_gap_eur_per_t=cost_gap,  # type: ignore[arg-type]
            carbon_price_eur_per_t=carbon_price,  # type: ignore[arg-type]
            priced_share=1.0 if priced_share is None else priced_share,
        )
        result = green_premium(inputs)
        top = max(inputs.carbon_price_eur_per_t, 1.0)
        if result.break_even_carbon_price_eur_per_t is not None:
            top = max(top, 1.5 * result.break_even_carbon_price_eur_per_t)
        for i in range(STEPS + 1):
            price = top * i / STEPS
            at = green_premium(inputs.model_copy(update={"carbon_price_eur_per_t": price}))
            curve.append(
                PremiumPoint(
                    carbon_price_eur_per_t=price,
                    remaining_premium_eur_per_t=at.remaining_premium_eur_per_t,
                )
            )
    return LeadMarketsPageOut(
        definitions=lead_market_definitions(),
        inputs=inputs,
        inputs_source="declared by the user (ILLUSTRATIVE unless the user cites a source)",
        result=result,
        curve=curve,
    )


@router.get("/lead-markets.json")
def lead_markets_json(
    conventional: Number = None,
    low_carbon: Number = None,
    cost_gap: Number = None,
    carbon_price: Number = None,
    priced_share: Number = None,
) -> JSONResponse:
    """The lead-markets page's data."""
    return twin(_data(conventional, low_carbon, cost_gap, carbon_price, priced_share))


@router.get("/lead-markets", response_class=HTMLResponse)
def lead_markets(
    request: Request,
    conventional: Number = None,
    low_carbon: Number = None,
    cost_gap: Number = None,
    carbon_price: Number = None,
    priced_share: Number = None,
) -> HTMLResponse:
    """Lead-market definitions with their legal sources, and the green premium calculator."""
    data = _data(conventional, low_carbon, cost_gap, carbon_price, priced_share)
    chart = ""
    if data.curve:
        chart = line_chart(
            "chart-premium",
            "Remaining green premium against the carbon price",
            [f"{p.carbon_price_eur_per_t:.0f}" for p in data.curve],
            [
                Line(
                    "Remaining premium (EUR/t)", [p.remaining_premium_eur_per_t for p in data.curve]
                )
            ],
            unit="EUR per tonne of product",
            references=[(0.0, "premium closed")],
        )
    return page(
        request,
        "lead_markets.html.j2",
        title="Lead markets for clean chemicals",
        twin=with_query(request, "/lead-markets.json"),
        data=data,
        chart=chart,
    )
