"""``/instruments``: the funding instruments on a date, and the register of funded projects."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict

from critchem.services.investment_ground import (
    CatalogueOut,
    FundedProjectOut,
    catalogue_on,
    funded_projects,
)
from critchem.web.render import page, twin, with_query

router = APIRouter(include_in_schema=False)

AsOf = Annotated[date | None, Query(description="The day, YYYY-MM-DD (default: today).")]


class InstrumentsPageOut(BaseModel):
    """The catalogue on a date and the funded projects."""

    model_config = ConfigDict(frozen=True)

    catalogue: CatalogueOut
    funded: list[FundedProjectOut]


def _data(as_of: date | None) -> InstrumentsPageOut:
    return InstrumentsPageOut(
        catalogue=catalogue_on(as_of or date.today()), funded=funded_projects()
    )


@router.get("/instruments.json")
def instruments_json(as_of: AsOf = None) -> JSONResponse:
    """The instruments page's data."""
    return twin(_data(as_of))


@router.get("/instruments", response_class=HTMLResponse)
def instruments(request: Request, as_of: AsOf = None) -> HTMLResponse:
    """The instruments open, closed or announced on a date, with their sources."""
    return page(
        request,
        "instruments.html.j2",
        title="Funding instruments",
        twin=with_query(request, "/instruments.json"),
        data=_data(as_of),
    )
