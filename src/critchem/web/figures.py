"""The charts of each page, drawn from the page's data (see :mod:`critchem.web.charts`)."""

from __future__ import annotations

from critchem.criticality.schemas import AssessmentOut
from critchem.web.charts import (
    Line,
    MapPoint,
    MatrixPoint,
    criticality_matrix,
    europe_points,
    line_chart,
    stacked_bars,
    world_choropleth,
)
from critchem.web.pages.dashboard import MoleculePageOut

HHI_REFERENCES = ((0.15, "HHI 0.15"), (0.25, "HHI 0.25"))
"""Concentration levels of the US merger guidelines (2010): moderately, highly concentrated."""


def molecule_charts(data: MoleculePageOut) -> dict[str, str]:
    """The molecule page's SVGs: values, unit value, supplier shares, HHI, origins, sites."""
    name = data.molecule.name
    if data.trade.marker:  # the trade of a group code is an upper bound of the molecule's
        name = f"{name} ({data.trade.marker.upper()})"
    site_name = data.molecule.name
    series = data.trade.series
    periods = [p.period for p in series]
    charts: dict[str, str] = {}
    if series:
        charts["value"] = line_chart(
            "chart-value",
            f"EU27 imports of {name} by value",
            periods,
            [
                Line("all imports", [p.import_value for p in series]),
                Line("extra-EU imports", [p.extra_import_value for p in series], dashed=True),
            ],
            unit="EUR",
        )
        charts["unit_value"] = line_chart(
            "chart-unit-value",
            f"Unit value of the EU27 imports of {name}",
            periods,
            [Line("unit value", [p.import_unit_value for p in series])],
            unit="EUR per kg",
        )
        charts["hhi"] = line_chart(
            "chart-hhi",
            f"Concentration of the extra-EU suppliers of {name} (HHI)",
            periods,
            [Line("HHI of supplier shares", [p.hhi for p in series])],
            unit="HHI (0 to 1)",
            fmt=lambda v: f"{v:.2f}",
            references=HHI_REFERENCES,
        )
    years = data.trade.suppliers
    if years:
        charts["shares"] = stacked_bars(
            "chart-shares",
            f"Supplier shares of the extra-EU imports of {name}",
            [str(y.year) for y in years],
            [y.shares for y in years],
        )
        last = years[-1]
        charts["world"] = world_choropleth(
            "map-origins", f"Origins of the extra-EU imports of {name}, {last.year}", last.shares
        )
    if data.production and data.production.sites:
        points = [
            MapPoint(
                f"{s.company}, {s.name} ({s.city}, {s.country}), {s.status}"
                + (f", {s.capacity_t:,.0f} t/year" if s.capacity_t is not None else ""),
                s.lon,
                s.lat,
            )
            for s in data.production.sites
            if s.lon is not None and s.lat is not None
        ]
        charts["sites"] = europe_points("map-sites", f"EU production sites of {site_name}", points)
    return charts


def plotted(assessment: AssessmentOut) -> list[MatrixPoint]:
    """The materials with both an EI and an SR value."""
    points = []
    for m in assessment.materials:
        ei, sr = m.criteria.get("ei"), m.criteria.get("sr")
        if ei and sr and ei.value is not None and sr.value is not None:
            points.append(MatrixPoint(m.material, ei.value, sr.value, m.critical))
    return points


def matrix_chart(assessment: AssessmentOut) -> str | None:
    """The criticality matrix of ``assessment`` (``None`` when nothing has both EI and SR)."""
    points = plotted(assessment)
    ei, sr = assessment.thresholds.get("ei"), assessment.thresholds.get("sr")
    if not points or ei is None or sr is None:
        return None
    return criticality_matrix(
        "chart-matrix",
        f"Criticality matrix of the {assessment.methodology} assessment",
        points,
        ei_threshold=ei,
        sr_threshold=sr,
    )
