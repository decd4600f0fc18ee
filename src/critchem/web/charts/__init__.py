"""Server-side SVG charts and maps of the web pages: no script, no asset from the internet.

Every chart is an inline ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (named by
``aria-labelledby``); the pages put a table of the same numbers beside it.
"""

from critchem.web.charts.bars import BarSeries, grouped_bars
from critchem.web.charts.lines import Line, line_chart, stacked_bars
from critchem.web.charts.maps import (
    MapMark,
    MapPoint,
    europe_marks,
    europe_points,
    world_choropleth,
)
from critchem.web.charts.matrix import MatrixPoint, criticality_matrix

__all__ = [
    "BarSeries",
    "Line",
    "MapMark",
    "MapPoint",
    "MatrixPoint",
    "criticality_matrix",
    "europe_marks",
    "europe_points",
    "grouped_bars",
    "line_chart",
    "stacked_bars",
    "world_choropleth",
]
