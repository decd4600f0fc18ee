"""The charts of the investment pages, drawn from the pages' data."""

from __future__ import annotations

from critchem.services.gaps import MoleculeGapOut
from critchem.web.charts import BarSeries, MapMark, europe_marks, grouped_bars
from critchem.web.pages.capacity_page import CapacityPageOut

SITE_LEGEND: tuple[tuple[str, str, str], ...] = (
    ("operating", "#009e73", "site operating"),
    ("announced_closure", "#e69f00", "site with a closure announced"),
    ("closed", "#6b6b6b", "site closed"),
    ("project", "#0072b2", "selected project, at its country"),
)
"""Kind, colour (Okabe-Ito) and legend label of the map's marks."""


def share_of_demand(capacity_t: float | None, demand_t: float | None) -> float | None:
    """Capacity as a share of demand: ``capacity / demand`` (``None`` if withheld or no demand).

    >>> share_of_demand(1_050_000, 990_000)
    1.0606060606060606
    >>> share_of_demand(None, 10.0) is None, share_of_demand(5.0, 0.0) is None
    (True, True)
    >>> share_of_demand(5.0, None) is None
    True
    """
    if capacity_t is None or demand_t is None or demand_t <= 0:
        return None
    return capacity_t / demand_t


def _tip(gap: MoleculeGapOut, when: str, capacity_t: float | None) -> str:
    shown = "withheld" if capacity_t is None else f"{capacity_t:,.0f} t/year"
    demand = "not sourced" if gap.demand_t is None else f"{gap.demand_t:,.0f} t/year ({gap.year})"
    return f"{gap.name}: capacity {when} {shown}; demand {demand}"


def capacity_charts(data: CapacityPageOut) -> dict[str, str]:
    """The capacity page's SVGs: capacity now and after as shares of demand, and the map."""
    rows = data.gaps.molecules
    charts = {
        "bars": grouped_bars(
            "chart-capacity",
            "EU capacity now and after the announced closures and the selected projects, "
            "as a share of EU demand",
            [g.name for g in rows],
            [
                BarSeries(
                    "capacity now",
                    [share_of_demand(g.capacity_now_t, g.demand_t) for g in rows],
                    [_tip(g, "now", g.capacity_now_t) for g in rows],
                ),
                BarSeries(
                    "after closures and projects",
                    [share_of_demand(g.capacity_after_t, g.demand_t) for g in rows],
                    [_tip(g, "after", g.capacity_after_t) for g in rows],
                ),
            ],
            unit="capacity as a share of apparent consumption (demand = 100 %)",
            reference=(1.0, "demand"),
        )
    }
    marks = [MapMark(f"{s.name} ({s.status.replace('_', ' ')})", s.lon, s.lat, s.status)
             for s in data.sites]  # fmt: skip
    marks += [
        MapMark(f"{p.project_id}, {p.country}: {p.label}", p.lon, p.lat, "project", triangle=True)
        for p in data.projects
    ]
    charts["map"] = europe_marks(
        "map-capacity",
        "EU production sites of the critical molecules and the selected projects",
        marks,
        SITE_LEGEND,
    )
    return charts
