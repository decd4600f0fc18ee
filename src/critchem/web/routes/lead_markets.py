"""``/lead-markets``: low-carbon product definitions with their legal sources, the green
premium of a product against a carbon price (declared inputs), with its chart, and the
demand-side scenario (projects serving the market, quota demand against low-carbon capacity)
on the REAL funded projects register, or the ILLUSTRATIVE example pipeline as an option."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict

from critchem.carbon.lead_markets import Definition
from critchem.carbon.premium import PremiumInputs, PremiumResult, green_premium
from critchem.services.carbon import lead_market_definitions
from critchem.web.charts.bars import BarSeries, grouped_bars
from critchem.web.charts.lines import Line, line_chart
from critchem.web.charts.svg import compact
from critchem.web.lead_market_scenario import QuotaQuery, ScenarioSection, scenario_data
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
    scenario: ScenarioSection | None


Number = Annotated[float | None, Query()]
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Words = Annotated[str | None, Query(max_length=200)]


def quota_query(
    market: Words = None,
    quota_share: Number = None,
    quota_start: Year = None,
    quota_years: Annotated[int | None, Query(ge=1, le=50)] = None,
    ramp: Words = None,
    demand: Number = None,
    demand_source: Words = None,
    ground: Words = None,
) -> QuotaQuery:
    """The scenario's query parameters."""
    return QuotaQuery(
        market=market,
        share=quota_share,
        start_year=quota_start,
        years=quota_years,
        ramp=ramp,
        demand=demand,
        demand_source=demand_source,
        ground=ground,
    )


QuotaDep = Annotated[QuotaQuery, Depends(quota_query)]


def _data(
    conventional: float | None,
    low_carbon: float | None,
    cost_gap: float | None,
    carbon_price: float | None,
    priced_share: float | None,
    quota: QuotaQuery | None = None,
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
        scenario=None if quota is None else scenario_data(quota, inputs),
    )


@router.get("/lead-markets.json")
def lead_markets_json(
    quota: QuotaDep,
    conventional: Number = None,
    low_carbon: Number = None,
    cost_gap: Number = None,
    carbon_price: Number = None,
    priced_share: Number = None,
) -> JSONResponse:
    """The lead-markets page's data."""
    return twin(_data(conventional, low_carbon, cost_gap, carbon_price, priced_share, quota))


@router.get("/lead-markets", response_class=HTMLResponse)
def lead_markets(
    request: Request,
    quota: QuotaDep,
    conventional: Number = None,
    low_carbon: Number = None,
    cost_gap: Number = None,
    carbon_price: Number = None,
    priced_share: Number = None,
) -> HTMLResponse:
    """Lead-market definitions with their legal sources, the green premium calculator and the
    quota scenario."""
    data = _data(conventional, low_carbon, cost_gap, carbon_price, priced_share, quota)
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
        quota_chart=_quota_chart(data.scenario),
        quota=quota,
    )


def _quota_chart(section: ScenarioSection | None) -> str:
    """Bars per year: the low-carbon volume the quota demands and the tagged capacity."""
    result = None if section is None else section.result
    if result is None or not result.years or not result.demand_declared:
        return ""
    years = [str(y.year) for y in result.years]
    demanded = [y.low_carbon_volume_t for y in result.years]
    capacity = [y.low_carbon_capacity_t + y.capacity_start_not_published_t for y in result.years]
    return grouped_bars(
        "chart-quota",
        "Low-carbon demand set by the quota against the low-carbon capacity of the projects",
        years,
        [
            BarSeries(
                "Demanded by the quota (t)",
                demanded,
                [
                    f"{y}: {compact(v or 0)} t demanded"
                    for y, v in zip(years, demanded, strict=True)
                ],
            ),
            BarSeries(
                "Low-carbon capacity, incl. without a published start year (t)",
                capacity,
                [f"{y}: {compact(v)} t of capacity" for y, v in zip(years, capacity, strict=True)],
            ),
        ],
        unit="tonnes per year",
        fmt=compact,
    )
