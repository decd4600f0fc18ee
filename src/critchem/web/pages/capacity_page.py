"""What the capacity page of the dashboard shows: the gap view and the map of sites and projects.

The gaps are :func:`critchem.services.gaps.capacity_gaps` (capacity figures withheld when
fewer than three companies hold them, unless the reader may see every one of them); the map
has the register's sites declaring a critical molecule, coloured by status, and the selected
projects at their country's approximate centroid (projects name a region, not coordinates).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from critchem.accounts import Accounts, Principal
from critchem.accounts.disclosure import MIN_COMPANIES
from critchem.investment.pipeline import PipelineLocation
from critchem.reports.production_map import project_positions
from critchem.services import gaps as gaps_service
from critchem.services import investment
from critchem.services.gaps import CapacityGapsOut
from critchem.web.pages.project_pages import EMPTY_PIPELINE


class _Page(BaseModel):
    model_config = ConfigDict(frozen=True)


class SiteMark(_Page):
    """A production site on the map (Hotmaps register coordinates)."""

    name: str
    lon: float
    lat: float
    status: str


class ProjectMark(_Page):
    """A selected project on the map, near its country's centroid."""

    project_id: str
    country: str
    lon: float
    lat: float
    label: str


class Candidate(_Page):
    """A project of the pipeline the selection form offers."""

    project_id: str
    title: str
    country: str
    chosen: bool


class CapacityPageOut(_Page):
    """The capacity page: gaps per critical molecule, the map's sites and projects."""

    gaps: CapacityGapsOut
    sites: list[SiteMark]
    projects: list[ProjectMark]
    unplaced: list[str]
    candidates: list[Candidate]
    min_companies: int
    message: str | None = None


def capacity_page(
    principal: Principal,
    *,
    pipeline: PipelineLocation,
    accounts: Accounts,
    selected: Sequence[str] | None = None,
    ip: str | None = None,
    store_root: Path | None = None,
) -> CapacityPageOut:
    """The gap view for ``selected`` projects (``None``: those the two-stage selection keeps).

    Raises
    ------
    ProjectNotFoundError
        A ``selected`` id is not in the pipeline.
    """
    projects = investment.list_projects(pipeline=pipeline)
    gaps = gaps_service.capacity_gaps(selected, principal, projects=projects, store_root=store_root)
    if principal.username is not None:
        accounts.read_confidential(principal, "capacity page", {"selected": gaps.selected}, ip=ip)
    sites, points = gaps_service.map_points(gaps, projects)
    placed = project_positions(points)
    chosen = set(gaps.selected)
    return CapacityPageOut(
        gaps=gaps,
        sites=[SiteMark(name=s.label, lon=s.lon, lat=s.lat, status=s.status) for s in sites],
        projects=[
            ProjectMark(project_id=p.project_id, country=p.country, lon=lon, lat=lat, label=p.label)
            for p, lon, lat in placed
        ],
        unplaced=sorted({p.project_id for p in points} - {p.project_id for p, _, _ in placed}),
        candidates=[
            Candidate(project_id=p.id, title=p.title, country=p.country, chosen=p.id in chosen)
            for p in sorted(projects, key=lambda p: p.id)
        ],
        min_companies=MIN_COMPANIES,
        message=None if projects else EMPTY_PIPELINE,
    )
