"""The charts of the timeline and instruments pages, drawn from the pages' data."""

from __future__ import annotations

from critchem.services.investment_ground import GapTimelineOut
from critchem.web.charts import Line, MapMark, europe_marks, line_chart

TIMELINE_LEGEND: tuple[tuple[str, str, str], ...] = (
    ("operating", "#009e73", "plant operating"),
    ("closure_announced", "#e69f00", "plant with a closure announced"),
    ("closed", "#6b6b6b", "plant closed"),
    ("what_if_closed", "#d55e00", "plant closed in the what-if"),
    ("funded", "#cc79a7", "funded project, at its country"),
    ("candidate", "#0072b2", "candidate project, at its country"),
)
"""Kind, colour (Okabe-Ito) and legend label of the timeline map's marks."""


def timeline_charts(data: GapTimelineOut) -> dict[str, str]:
    """The capacity timeline (lines) and the map of closures, funded projects and candidates."""
    years = [str(r.year) for r in data.rows]
    lines = [
        Line("capacity", [r.capacity_t for r in data.rows]),
        Line("base (plants at the register's date)", [r.base_t for r in data.rows], dashed=True),
    ]
    if any(r.demand_t is not None for r in data.rows):
        lines.append(Line("demand (apparent consumption)", [r.demand_t for r in data.rows]))
    chart = line_chart(
        "chart-timeline",
        f"EU {data.molecule} capacity 2022-2030: closures and funded projects",
        years,
        lines,
        unit="t/year",
    )
    marks = [
        MapMark(
            f"{p.name}, {p.country}: "
            + ("capacity not published" if p.capacity_t is None else f"{p.capacity_t:,.0f} t/year")
            + f" ({p.status.replace('_', ' ')})",
            p.lon,
            p.lat,
            p.status,
        )
        for p in data.plant_points
    ]
    marks += [MapMark(p.label, p.lon, p.lat, p.kind, triangle=True) for p in data.placed]
    where = europe_marks(
        "map-timeline",
        f"{data.molecule}: plants, closures, funded projects and candidates",
        marks,
        TIMELINE_LEGEND,
    )
    return {"timeline": chart, "map": where}
