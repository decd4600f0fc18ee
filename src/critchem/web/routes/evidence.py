"""``/evidence``: the coverage of the evidence base, per indicator and per molecule."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from critchem.api.deps import SettingsDep
from critchem.evidence.schemas import CoverageOut
from critchem.services import evidence
from critchem.web.render import page, twin

router = APIRouter(include_in_schema=False)

Year = Annotated[int, Path(ge=1988, le=2100, description="Reference year of the evidence.")]


@router.get("/evidence", response_model=None)
def evidence_index(request: Request, settings: SettingsDep) -> RedirectResponse | HTMLResponse:
    """The coverage of the newest evidence build, or how to build one."""
    from critchem.evidence.table import latest_build

    found = latest_build(settings.store)
    if found is not None:
        return RedirectResponse(f"/evidence/{found[0]}/coverage", status_code=303)
    return page(
        request, "evidence_coverage.html.j2", title="Evidence coverage", twin=None, data=None
    )


@router.get("/evidence/{year}/coverage.json")
def coverage_json(year: Year, settings: SettingsDep) -> JSONResponse:
    """The coverage page's data."""
    return twin(CoverageOut.model_validate(evidence.coverage(settings, year=year)))


@router.get("/evidence/{year}/coverage", response_class=HTMLResponse)
def coverage(year: Year, request: Request, settings: SettingsDep) -> HTMLResponse:
    """Per indicator: computed, group-code upper bound, confidential, missing; per molecule, why."""
    data = CoverageOut.model_validate(evidence.coverage(settings, year=year))
    return page(
        request,
        "evidence_coverage.html.j2",
        title=f"Evidence coverage {year}",
        twin=f"/evidence/{year}/coverage.json",
        data=data,
    )
