"""``/assessments/{methodology}``: the demo assessment's criticality matrix and table."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from critchem.criticality.schemas import AssessmentOut
from critchem.services.criticality import classes_view
from critchem.web import figures
from critchem.web.pages import dashboard
from critchem.web.render import page, twin

router = APIRouter(include_in_schema=False)

Methodology = Annotated[str, Path(max_length=100, description="cca or eu-crm.")]


@router.get("/assessments")
def assessments_index() -> RedirectResponse:
    """The overview's methodology."""
    return RedirectResponse(f"/assessments/{dashboard.OVERVIEW_METHODOLOGY}", status_code=307)


@router.get("/assessments/{methodology}.json")
def assessment_json(methodology: Methodology) -> JSONResponse:
    """The assessment of the demo inputs (``source``: ``illustrative`` for placeholder inputs)."""
    data = dashboard.demo_assessment(methodology)
    return twin(
        {
            **data.model_dump(mode="json"),
            "source": dashboard.demo_inputs_source(data.methodology) or "demo",
            "sites": _sites(data),
        }
    )


@router.get("/assessments/{methodology}/classes.json")
def assessment_classes_json(methodology: Methodology) -> JSONResponse:
    """The four classes (cca 0.2) and the agreement with the Alliance's reference lists."""
    return JSONResponse(classes_view(dashboard.demo_assessment(methodology)))


@router.get("/assessments/{methodology}", response_class=HTMLResponse)
def assessment_page(methodology: Methodology, request: Request) -> HTMLResponse:
    """The assessment page with the criticality matrix."""
    data = dashboard.demo_assessment(methodology)
    return page(
        request,
        "assessment.html.j2",
        title=f"{data.methodology} assessment",
        twin=f"/assessments/{data.methodology}.json",
        data=data,
        source=dashboard.demo_inputs_source(data.methodology),
        matrix=figures.matrix_chart(data),
        plotted=figures.plotted(data),
        classes=classes_view(data),
        sites=_sites(data),
    )


def _sites(data: AssessmentOut) -> dict[str, Any] | None:
    """The critical sites under the demo classes: shown, every site "not assessed"."""
    from critchem.services.sites import sites_under

    return sites_under(data, illustrative=bool(dashboard.demo_inputs_source(data.methodology)))
