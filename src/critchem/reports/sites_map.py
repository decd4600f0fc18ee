"""The map of the critical-site assessment: every site at its coordinates, coloured by verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from critchem.reports.charts import figure_svg
from critchem.reports.production_map import europe_axes

VERDICT_COLOURS: dict[str, str] = {
    "critical": "#b2182b",
    "undetermined": "#d97f00",
    "not critical": "#3b6ea5",
    "not assessed": "#9a9a9a",
}
ID = "sites-map"


@dataclass(frozen=True, slots=True)
class SiteMark:
    """One site on the map."""

    label: str
    lon: float
    lat: float
    verdict: str


def sites_map_svg(marks: Sequence[SiteMark], title: str) -> str:
    """Inline SVG of the map (no asset from the internet)."""
    figure, ax = europe_axes((8.0, 7.0), title)
    for verdict, colour in VERDICT_COLOURS.items():
        points = [m for m in marks if m.verdict == verdict]
        if points:
            ax.scatter(
                [m.lon for m in points],
                [m.lat for m in points],
                s=40 if verdict == "critical" else 22,
                color=colour,
                edgecolor="black",
                linewidth=0.4,
                zorder=3,
                label=f"{verdict} ({len(points)})",
            )
    for m in marks:
        if m.verdict == "critical":
            ax.annotate(
                m.label, (m.lon, m.lat), xytext=(4, 4), textcoords="offset points", fontsize=7
            )
    if marks:
        ax.legend(loc="upper left", fontsize=8)
    counts = {v: sum(1 for m in marks if m.verdict == v) for v in VERDICT_COLOURS}
    description = f"{len(marks)} sites at their coordinates: " + ", ".join(
        f"{n} {v}" for v, n in counts.items()
    )
    return figure_svg(figure, title, description + ".", ID)
