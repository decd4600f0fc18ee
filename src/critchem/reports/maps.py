"""The map of origins: bubbles over the shipped country outlines, nothing downloaded.

The origin of an alert is its partner country (where the imports come from; for an export
alert, where they go). Each origin is drawn at the approximate centroid shipped in
``data/country_centroids.csv`` on an equirectangular grid (x = longitude, y = latitude) over
the country outlines of Natural Earth 1:110m (``data/countries_110m.json``,
:mod:`critchem.reports.shapes`), the origin countries shaded: the bubble's area grows
with the number of alerts, its colour is the worst severity among them, and it is labelled
with the ISO2 code. Partners without a centroid (aggregates, confidential codes, ``*``) are
returned apart, to be listed.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, cast

from critchem.core.errors import ReferenceDataError
from critchem.reports.bulletin import BulletinItem
from critchem.reports.charts import SEVERITY_COLOURS, new_figure
from critchem.surveillance.alerts.fusion import max_severity
from critchem.surveillance.base import Severity

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CENTROIDS_FILE = "country_centroids.csv"


@dataclass(frozen=True, slots=True)
class Centroid:
    """The approximate centre of a country."""

    iso2: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Origin:
    """One origin on the map: where, how many alerts, the worst severity."""

    iso2: str
    name: str
    lat: float
    lon: float
    alerts: int
    severity: str


@cache
def centroids() -> dict[str, Centroid]:
    """The shipped country centroids by ISO2 code (see ``data/SOURCES.md``)."""
    text = resources.files("critchem.reports").joinpath("data", CENTROIDS_FILE).read_text("utf-8")
    found: dict[str, Centroid] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError) as exc:
            raise ReferenceDataError(f"{CENTROIDS_FILE}, line {line}: bad lat/lon {row}") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ReferenceDataError(f"{CENTROIDS_FILE}, line {line}: lat/lon out of range")
        found[row["iso2"]] = Centroid(row["iso2"], row["name"], lat, lon)
    return found


def origins(items: Iterable[BulletinItem]) -> tuple[list[Origin], list[str]]:
    """The mapped origins of ``items`` (most alerts first) and the partners that have no centroid.

    >>> origins([])
    ([], [])
    """
    counts: dict[str, int] = defaultdict(int)
    worst: dict[str, Severity] = {}
    for item in items:
        partner = item.partner.upper()
        counts[partner] += 1
        severity = cast(Severity, item.severity)
        worst[partner] = max_severity(worst.get(partner, "info"), severity)
    known = centroids()
    mapped = [
        Origin(code, known[code].name, known[code].lat, known[code].lon, n, worst[code])
        for code, n in counts.items()
        if code in known
    ]
    mapped.sort(key=lambda o: (-o.alerts, o.iso2))
    return mapped, sorted(code for code in counts if code not in known)


def bubble_area(alerts: int) -> float:
    """Marker area in points² for ``alerts`` alerts (area proportional to the count).

    >>> bubble_area(4) == 4 * bubble_area(1)
    True
    """
    return 60.0 * alerts


LAND, ORIGIN_LAND, BORDER = "#ececec", "#fde0c5", "#ffffff"


def draw_countries(ax: Axes, shaded: set[str]) -> int:
    """Fill every shipped country outline on ``ax`` (the ``shaded`` ISO2 codes in colour).

    Returns the number of polygons drawn (holes are not cut: at 1:110m they are lakes).
    """
    from matplotlib.collections import PolyCollection

    from critchem.reports.shapes import shapes

    rings, colours = [], []
    for shape in shapes():
        colour = ORIGIN_LAND if shape.iso2 in shaded else LAND
        for polygon in shape.polygons:
            rings.append(polygon[0])
            colours.append(colour)
    ax.add_collection(
        PolyCollection(rings, facecolors=colours, edgecolors=BORDER, linewidths=0.4, zorder=1)
    )
    return len(rings)


def map_figure(mapped: Sequence[Origin], title: str) -> Figure:
    """The map of origins (see the module docstring)."""
    figure = new_figure((11.0, 5.4))
    ax = figure.add_subplot()
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 80)
    ax.set_aspect("equal")
    ax.set_xticks(range(-180, 181, 30))
    ax.set_yticks(range(-60, 81, 20))
    ax.grid(True, color="#e3e3e3", linewidth=0.6)
    ax.set_xlabel("longitude (°)")
    ax.set_ylabel("latitude (°)")
    ax.set_title(title, loc="left", fontsize=11)
    ax.axhline(0, color="#c8c8c8", linewidth=0.8)
    draw_countries(ax, {o.iso2 for o in mapped})
    for origin in mapped:
        ax.scatter(
            [origin.lon],
            [origin.lat],
            s=bubble_area(origin.alerts),
            color=SEVERITY_COLOURS.get(origin.severity, "#000000"),
            alpha=0.75,
            edgecolor="black",
            linewidth=0.6,
            zorder=3,
        )
        offset = math.sqrt(bubble_area(origin.alerts)) / 2 + 3
        ax.annotate(
            f"{origin.iso2} ({origin.alerts})",
            (origin.lon, origin.lat),
            xytext=(offset, offset),
            textcoords="offset points",
            fontsize=8,
            zorder=4,
        )
    handles = [
        ax.scatter([], [], s=60, color=colour, edgecolor="black", label=f"worst: {name}")
        for name, colour in SEVERITY_COLOURS.items()
        if any(o.severity == name for o in mapped)
    ]
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True)
    if not mapped:
        ax.text(0, 10, "No origin to map this week.", ha="center", fontsize=11)
    ax.text(
        0.0,
        -0.12,
        "Country outlines: Natural Earth 1:110m (public domain), origins shaded; bubbles at "
        "approximate country centroids, longitude/latitude grid. Bubble area grows with the "
        "number of alerts.",
        transform=ax.transAxes,
        va="top",
        fontsize=8,
        color="#444444",
    )
    return figure


def map_description(mapped: Sequence[Origin], unmapped: Sequence[str]) -> str:
    """A sentence describing the map, for its ``<desc>``."""
    if not mapped:
        return "No origin to map."
    parts = ", ".join(
        f"{o.name} ({o.iso2}): {o.alerts} alert(s), worst {o.severity}" for o in mapped
    )
    tail = f" Not mapped: {', '.join(unmapped)}." if unmapped else ""
    return f"Origins of the alerts: {parts}.{tail}"
