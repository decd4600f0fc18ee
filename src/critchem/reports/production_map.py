"""The map of EU production sites and investment projects, as an inline SVG in an HTML page.

Sites are drawn at their own coordinates (Hotmaps register, or the fictitious sites of the
illustrative declarations), coloured by plant status;
projects, which name a region but no coordinates, are drawn as triangles at their country's
approximate centroid (``reports/data/country_centroids.csv``), spread on a small circle when
a country has several, and labelled with their id. Same plain longitude/latitude grid as the
bulletin's map of origins (``critchem.reports.maps``): nothing is downloaded, no coastlines.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from critchem.reports.charts import figure_svg, new_figure
from critchem.reports.maps import centroids

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STATUS_COLOURS: dict[str, str] = {
    "operating": "#1b7837",
    "announced_closure": "#d97f00",
    "closed": "#7f7f7f",
}
PROJECT_COLOUR = "#3b6ea5"
EUROPE = (-12.0, 36.0, 34.0, 71.0)
"""Longitude and latitude bounds of the map: west, east, south, north."""


@dataclass(frozen=True, slots=True)
class SitePoint:
    """A production site to draw."""

    label: str
    lon: float
    lat: float
    status: str


@dataclass(frozen=True, slots=True)
class ProjectPoint:
    """A project to draw at its country."""

    project_id: str
    country: str
    label: str


def spread(
    lon: float, lat: float, index: int, count: int, radius: float = 1.6
) -> tuple[float, float]:
    """Position ``index`` of ``count`` markers sharing one point, on a circle of ``radius``°.

    >>> spread(10.0, 50.0, 0, 1)
    (10.0, 50.0)
    >>> [round(v, 6) for v in spread(10.0, 50.0, 1, 2)]
    [8.4, 50.0]
    """
    if count <= 1:
        return lon, lat
    angle = 2 * math.pi * index / count
    return lon + radius * math.cos(angle), lat + radius * math.sin(angle)


def project_positions(projects: Sequence[ProjectPoint]) -> list[tuple[ProjectPoint, float, float]]:
    """Where each project is drawn; projects of a country without centroid are left out."""
    known = centroids()
    by_country: dict[str, list[ProjectPoint]] = defaultdict(list)
    for project in projects:
        if project.country in known:
            by_country[project.country].append(project)
    placed = []
    for country, group in sorted(by_country.items()):
        centre = known[country]
        for i, project in enumerate(group):
            lon, lat = spread(centre.lon, centre.lat, i, len(group))
            placed.append((project, lon, lat))
    return placed


def europe_axes(size: tuple[float, float], title: str) -> tuple[Figure, Axes]:
    """A figure of ``size`` inches with one axes framing Europe (``EUROPE``) in longitude and
    latitude, the aspect of the map at its middle latitude (1 / cos φ), a light grid and ``title``."""
    west, east, south, north = EUROPE
    figure = new_figure(size)
    ax = figure.add_subplot()
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.grid(True, color="#e3e3e3", linewidth=0.6)
    ax.set_xlabel("longitude (°)")
    ax.set_ylabel("latitude (°)")
    ax.set_title(title, loc="left", fontsize=11)
    return figure, ax


def production_map_figure(
    sites: Sequence[SitePoint], projects: Sequence[ProjectPoint], title: str
) -> Figure:
    """The map (see the module docstring)."""
    figure, ax = europe_axes((9.0, 8.0), title)
    for status, colour in STATUS_COLOURS.items():
        points = [s for s in sites if s.status == status]
        if points:
            ax.scatter(
                [s.lon for s in points],
                [s.lat for s in points],
                s=22,
                color=colour,
                edgecolor="black",
                linewidth=0.4,
                alpha=0.85,
                zorder=3,
                label=f"site: {status.replace('_', ' ')} ({len(points)})",
            )
    placed = project_positions(projects)
    if placed:
        ax.scatter(
            [lon for _, lon, _ in placed],
            [lat for _, _, lat in placed],
            s=70,
            marker="^",
            color=PROJECT_COLOUR,
            edgecolor="black",
            linewidth=0.6,
            zorder=4,
            label=f"project, at its country ({len(placed)})",
        )
        for project, lon, lat in placed:
            ax.annotate(
                project.project_id,
                (lon, lat),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=7,
                zorder=5,
            )
    for code in sorted({p.country for p, _, _ in placed}):
        centre = centroids()[code]
        ax.annotate(
            code,
            (centre.lon, centre.lat),
            xytext=(-10, -12),
            textcoords="offset points",
            fontsize=8,
            color="#444444",
            weight="bold",
        )
    if sites or placed:
        ax.legend(loc="upper left", fontsize=8, frameon=True)
    ax.text(
        0.0,
        -0.08,
        "Sites at their coordinates (Hotmaps register, CC BY 4.0); projects at approximate "
        "country centroids. Longitude/latitude grid, no coastlines drawn.",
        transform=ax.transAxes,
        va="top",
        fontsize=8,
        color="#444444",
    )
    return figure


def map_description(sites: Sequence[SitePoint], projects: Sequence[ProjectPoint]) -> str:
    """A sentence describing the map, for its ``<desc>``."""
    counts = {s: sum(1 for p in sites if p.status == s) for s in STATUS_COLOURS}
    parts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n)
    countries = sorted({p.country for p in projects})
    return (
        f"{len(sites)} production sites ({parts or 'none'}) and {len(projects)} projects "
        f"in {', '.join(countries) or 'no country'}."
    )


def write_map_html(
    path: Path,
    sites: Sequence[SitePoint],
    projects: Sequence[ProjectPoint],
    *,
    title: str,
    note: str = "",
) -> Path:
    """Write a self-contained HTML page with the map as inline SVG and a list of the projects."""
    figure = production_map_figure(sites, projects, title)
    svg = figure_svg(figure, title, map_description(sites, projects), "production-map")
    rows = "".join(
        f"<tr><td>{html.escape(p.project_id)}</td><td>{html.escape(p.country)}</td>"
        f"<td>{html.escape(p.label)}</td></tr>"
        for p in projects
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;color:#1a1a1a}"
        "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .5rem}"
        "</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        + (f"<p>{html.escape(note)}</p>" if note else "")
        + f"<figure>{svg}</figure>"
        + "<h2>Projects</h2><table><thead><tr><th>id</th><th>country</th><th>molecules</th>"
        + f"</tr></thead><tbody>{rows}</tbody></table></body></html>\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
