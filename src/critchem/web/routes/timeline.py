"""``/timeline``: a molecule's capacity 2022-2030 from the public registers, with what-ifs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from critchem.api.deps import SettingsDep
from critchem.core.errors import NotFoundError, PortfolioError
from critchem.services import investment
from critchem.services.investment_ground import GapTimelineOut, gap_timeline
from critchem.web import ground_figures
from critchem.web.render import page, twin, with_query

router = APIRouter(include_in_schema=False)

Molecule = Annotated[str, Query(max_length=80, description="Registry molecule id.")]
Close = Annotated[
    list[str] | None,
    Query(max_length=20, description="What-if: PLANT=YEAR, the plant closes that year (repeat)."),
]
Cbam = Annotated[
    float | None, Query(ge=0, le=10_000, description="What-if: CBAM cost rise, EUR/t.")
]


def _closing(close: list[str] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in close or []:
        if not item.strip():
            continue
        site, sep, year = item.rpartition("=")
        if not sep or not site.strip() or not (year.strip().isdigit() and len(year.strip()) == 4):
            raise PortfolioError(f"close {item!r}: expected PLANT=YEAR, e.g. Yara Tertre=2027")
        out[site.strip()] = int(year)
    return out


def _data(
    settings: SettingsDep, molecule: str, close: list[str] | None, cbam: float | None
) -> GapTimelineOut:
    candidates = investment.list_projects(pipeline=investment.default_pipeline_path(settings))
    return gap_timeline(
        molecule,
        candidates=candidates,
        close=_closing(close),
        cbam_rise_eur_per_t=cbam,
        store_root=settings.store,
        correspondence=settings.prodcom_correspondence,
    )


@router.get("/timeline.json")
def timeline_json(
    settings: SettingsDep,
    molecule: Molecule = "ammonia",
    close: Close = None,
    cbam: Cbam = None,
) -> JSONResponse:
    """The timeline page's data."""
    return twin(_data(settings, molecule, close, cbam))


@router.get("/timeline", response_class=HTMLResponse)
def timeline(
    request: Request,
    settings: SettingsDep,
    molecule: Molecule = "ammonia",
    close: Close = None,
    cbam: Cbam = None,
) -> HTMLResponse:
    """The capacity timeline with its chart, the map, the sources and the what-if form."""
    try:
        data = _data(settings, molecule, close, cbam)
    except (NotFoundError, PortfolioError) as exc:
        data = _data(settings, molecule, None, cbam)
        message: str | None = str(exc)
    else:
        message = None
    return page(
        request,
        "timeline.html.j2",
        title=f"Capacity timeline: {molecule}",
        twin=with_query(request, "/timeline.json"),
        data=data,
        message=message,
        charts=ground_figures.timeline_charts(data),
    )
