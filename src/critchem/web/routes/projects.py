"""``/projects`` and ``/projects/{id}``: the pipeline, and one project with its funding verdicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from critchem.api.deps import SettingsDep
from critchem.api.security import AccountsDep, client_ip
from critchem.investment import Status
from critchem.services import investment
from critchem.web.pages import project_pages
from critchem.web.pages.project_pages import ProjectPageOut, ProjectsPageOut
from critchem.web.render import page, twin, with_query
from critchem.web.session import page_principal

router = APIRouter(include_in_schema=False)

Country = Annotated[str | None, Query(max_length=2, description="ISO2 code.")]
Molecule = Annotated[str | None, Query(max_length=100, description="Molecule id.")]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=2**31)]
ProjectId = Annotated[str, Path(min_length=1, max_length=64, description="Project id.")]
STATUSES = {s.value for s in Status}


def _blank(value: str | None) -> str | None:
    return value or None


def _pipeline_page(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    country: str | None,
    molecule: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> ProjectsPageOut:
    return project_pages.projects_page(
        page_principal(request),
        pipeline=investment.default_pipeline_path(settings),
        accounts=accounts,
        country=_blank(country),
        molecule=_blank(molecule),
        status=_blank(status),
        limit=limit,
        offset=offset,
        ip=client_ip(request),
    )


@router.get("/projects.json")
def projects_json(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    country: Country = None,
    molecule: Molecule = None,
    status: Status | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> JSONResponse:
    """The pipeline page's data."""
    data = _pipeline_page(request, settings, accounts, country, molecule, status, limit, offset)
    return twin(data)


@router.get("/projects", response_class=HTMLResponse)
def projects_page(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    country: Country = None,
    molecule: Molecule = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> HTMLResponse:
    """The pipeline: filters, the projects (financials as the reader may see them), aggregates."""
    checked = status if status in STATUSES else None
    data = _pipeline_page(request, settings, accounts, country, molecule, checked, limit, offset)
    return page(
        request,
        "projects.html.j2",
        title="Project pipeline",
        twin=with_query(request, "/projects.json"),
        data=data,
    )


def _project(
    project_id: str, request: Request, settings: SettingsDep, accounts: AccountsDep
) -> ProjectPageOut:
    return project_pages.project_page(
        project_id,
        page_principal(request),
        pipeline=investment.default_pipeline_path(settings),
        accounts=accounts,
        ip=client_ip(request),
    )


@router.get("/projects/{project_id}.json")
def project_json(
    project_id: ProjectId, request: Request, settings: SettingsDep, accounts: AccountsDep
) -> JSONResponse:
    """One project's page data."""
    return twin(_project(project_id, request, settings, accounts))


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(
    project_id: ProjectId, request: Request, settings: SettingsDep, accounts: AccountsDep
) -> HTMLResponse:
    """One project: its details, versions, funding verdicts and selection."""
    data = _project(project_id, request, settings, accounts)
    return page(
        request,
        "project.html.j2",
        title=f"{data.project.id}: {data.project.title}",
        twin=f"/projects/{data.project.id}.json",
        data=data,
    )
