"""Maps: the world shaded by supplier share, and points on a map of Europe.

Country shapes are Natural Earth 1:110m (``reports/data/countries_110m.json``, see
``reports/data/SOURCES.md``), converted once by ``scripts/world_atlas_to_shapes.py``. The world is
drawn in the Equal Earth projection, Europe in an equirectangular projection scaled at 52° N.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from itertools import pairwise

from critchem.nomenclature._compiled import compiled
from critchem.reports.shapes import SHAPES_FILE, Shape, shapes
from critchem.web.charts.svg import frame, text

SHARE_BINS = (0.05, 0.15, 0.30, 0.50)
"""Upper bounds of the share classes of the choropleth (the last class is above 50 %)."""
SHARE_COLOURS = ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b")
NO_DATA = "#eeeeee"
EUROPE = (-12.0, 34.0, 35.0, 71.0)
"""Longitude and latitude bounds of the Europe map: west, south, east, north."""

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Equal Earth projection of (``lon``, ``lat``) in degrees, on the unit sphere.

    θ = asin(√3/2 · sin φ); x = 2√3 · λ · cos θ / (3 · (9A₄θ⁸ + 7A₃θ⁶ + 3A₂θ² + A₁));
    y = A₄θ⁹ + A₃θ⁷ + A₂θ³ + A₁θ, with A₁ = 1.340264, A₂ = −0.081106, A₃ = 0.000893,
    A₄ = 0.003796 (Šavrič, Patterson and Jenny 2018, "The Equal Earth map projection",
    International Journal of Geographical Information Science 33(3), eq. 1-2).

    >>> [round(v, 4) for v in equal_earth(180, 0)]
    [2.7066, 0.0]
    >>> round(equal_earth(0, 90)[1], 4)  # θ = π/3: 0.005753 + 0.001234 - 0.093142 + 1.403524
    1.3174
    """
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(math.sqrt(3) / 2 * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (2 * math.sqrt(3) * lam * math.cos(theta)) / (
        3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1)
    )
    y = _A4 * t6 * t2 * theta + _A3 * t6 * theta + _A2 * t2 * theta + _A1 * theta
    return x, y


def tenths(value: int) -> str:
    """The shortest SVG number for ``value`` tenths.

    >>> [tenths(v) for v in (0, 3, -3, 10, -15, 1234)]
    ['0', '.3', '-.3', '1', '-1.5', '123.4']
    """
    whole, tenth = divmod(abs(value), 10)
    sign = "-" if value < 0 else ""
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def numbers(values: Sequence[int]) -> str:
    """Numbers given in tenths, each separated from the previous only where SVG needs it.

    A minus sign starts a new number, and so does a second decimal point ("1.5.5" is 1.5
    then .5); anything else needs a space.

    >>> numbers([15, -3, 5, 20, 4])
    '1.5-.3.5 2 .4'
    """
    out: list[str] = []
    dotted = False
    for value in values:
        number = tenths(value)
        if out and not (number[0] == "-" or (number[0] == "." and dotted)):
            out.append(" ")
        out.append(number)
        dotted = "." in number
    return "".join(out)


def _path(shape: Shape, project: Callable[[float, float], tuple[float, float]]) -> str:
    """The ``d`` of ``shape``: each ring from its first point, then relative steps.

    Points are rounded to 0.1 px once, and each step is the exact difference of two rounded
    points, so the outline is the one absolute coordinates at 0.1 px would draw; steps of
    zero (points that round to the one before) are left out. About half the size of
    absolute coordinates.
    """
    rings = []
    for polygon in shape.polygons:
        for ring in polygon:
            points = [project(lon, lat) for lon, lat in ring]
            fixed = [(round(x * 10), round(y * 10)) for x, y in points]
            steps: list[int] = []
            for (x0, y0), (x1, y1) in pairwise(fixed):
                if (x1, y1) != (x0, y0):
                    steps += (x1 - x0, y1 - y0)
            relative = f"l{numbers(steps)}" if steps else ""
            rings.append(f"M{numbers(fixed[0])}{relative}Z")
    return "".join(rings)


WORLD_WIDTH, WORLD_HEIGHT = 640, 336
WORLD_SCALE = 112.0
"""Pixels per unit of the Equal Earth plane (the world is 2 × 2.7066 units wide)."""


def _world(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    return WORLD_WIDTH / 2 + x * WORLD_SCALE, 6 + (1.3174 - y) * WORLD_SCALE


PATHS_VERSION = 1
"""Version of the projected outlines: raise it when a projection or ``_path`` changes."""
_SHAPES_SOURCE = [("critchem.reports", SHAPES_FILE)]


@dataclass(frozen=True, slots=True)
class Outline:
    """One country drawn on a map: ISO2 code (``None`` for the few without), name, ``d``."""

    iso2: str | None
    name: str
    path: str


@cache
def _world_paths() -> tuple[Outline, ...]:
    """The countries projected on the world map, compiled once per shapes file.

    Projecting the 177 outlines costs about 0.4 s of CPU; the result is kept with the
    compiled reference tables, keyed by the shapes file's SHA-256 and :data:`PATHS_VERSION`.
    """
    rows = compiled(
        "world-paths",
        _SHAPES_SOURCE,
        lambda: [[s.iso2, s.name, _path(s, _world)] for s in shapes()],
        version=PATHS_VERSION,
    )
    return tuple(Outline(iso2, name, path) for iso2, name, path in rows)


def share_colour(share: float | None) -> str:
    """The fill of a country with ``share`` of the imports (``None``: no imports from it).

    >>> share_colour(0.6) == SHARE_COLOURS[-1], share_colour(None) == NO_DATA
    (True, True)
    """
    if share is None:
        return NO_DATA
    for bound, colour in zip(SHARE_BINS, SHARE_COLOURS, strict=False):
        if share < bound:
            return colour
    return SHARE_COLOURS[-1]


def world_choropleth(ident: str, title: str, shares: dict[str, float]) -> str:
    """The world with each country shaded by its share (0..1) of the imports."""
    body = [f'<rect class="sea" width="{WORLD_WIDTH}" height="{WORLD_HEIGHT}"/>']
    outlines = _world_paths()
    for shape in outlines:
        share = shares.get(shape.iso2 or "")
        cls = "mark country supplier" if share is not None else "country"
        label = f"{shape.name}: {share:.1%}" if share is not None else shape.name
        body.append(
            f'<path class="{cls}" d="{shape.path}" fill="{share_colour(share)}" '
            f'fill-rule="evenodd"><title>{escape(label)}</title></path>'
        )
    x = 16.0
    bounds = ["< 5 %", "5-15 %", "15-30 %", "30-50 %", "≥ 50 %"]
    for colour, label in zip(SHARE_COLOURS, bounds, strict=True):
        body.append(
            f'<rect x="{x:.0f}" y="{WORLD_HEIGHT - 22}" width="14" height="12" '
            f'fill="{colour}" stroke="#555" stroke-width="0.5"/>'
        )
        body.append(text(x + 18, WORLD_HEIGHT - 12, label, cls="legend"))
        x += 82
    top = sorted(shares.items(), key=lambda kv: -kv[1])[:5]
    named = ", ".join(f"{code} {share:.0%}" for code, share in top) or "none"
    drawn = {shape.iso2 for shape in outlines}
    missing = sorted(code for code in shares if code not in drawn)
    description = f"World map of the origins, shaded by share of the imports; largest: {named}."
    if missing:
        description += f" Not on the map (no outline at this scale): {', '.join(missing)}."
    return frame(ident, WORLD_WIDTH, WORLD_HEIGHT, title, description, "".join(body))


EUROPE_WIDTH, EUROPE_HEIGHT = 640, 480


def _europe(lon: float, lat: float) -> tuple[float, float]:
    west, south, east, north = EUROPE
    k = math.cos(math.radians(52))
    width = (east - west) * k
    scale = min(EUROPE_WIDTH / width, EUROPE_HEIGHT / (north - south))
    return (lon - west) * k * scale, (north - lat) * scale


def _europe_outlines() -> list[list[str | None]]:
    """``[iso2, name, d]`` of the countries near the Europe map's bounds."""
    west, south, east, north = EUROPE
    inside: list[list[str | None]] = []
    for shape in shapes():
        points = [p for poly in shape.polygons for ring in poly for p in ring]
        if any(
            west - 15 <= lon <= east + 15 and south - 5 <= lat <= north + 5 for lon, lat in points
        ):
            inside.append([shape.iso2, shape.name, _path(shape, _europe)])
    return inside


@cache
def _europe_paths() -> tuple[str, ...]:
    """The Europe map's countries as SVG paths, compiled once per shapes file."""
    rows = compiled("europe-paths", _SHAPES_SOURCE, _europe_outlines, version=PATHS_VERSION)
    return tuple(
        f'<path class="country" d="{path}" fill="#f2f2ee" fill-rule="evenodd">'
        f"<title>{escape(name)}</title></path>"
        for _iso2, name, path in rows
    )


def _europe_base(ident: str) -> list[str]:
    """The sea and the countries, opening the group clipped to the map (close it: ``</g>``)."""
    clip = f"{ident}-clip"
    return [
        f'<clipPath id="{clip}"><rect width="{EUROPE_WIDTH}" height="{EUROPE_HEIGHT}"/></clipPath>',
        f'<rect class="sea" width="{EUROPE_WIDTH}" height="{EUROPE_HEIGHT}"/>',
        f'<g clip-path="url(#{clip})">',
        *_europe_paths(),
    ]


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A labelled point on the Europe map."""

    label: str
    lon: float
    lat: float


def europe_points(ident: str, title: str, points: Sequence[MapPoint]) -> str:
    """Europe's countries with ``points`` (e.g. production sites) drawn as dots."""
    body = _europe_base(ident)
    for point in points:
        x, y = _europe(point.lon, point.lat)
        body.append(
            f'<circle class="mark site" cx="{x:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{escape(point.label)}</title></circle>"
        )
    body.append("</g>")
    description = f"Map of Europe with {len(points)} site(s)."
    return frame(ident, EUROPE_WIDTH, EUROPE_HEIGHT, title, description, "".join(body))


@dataclass(frozen=True, slots=True)
class MapMark:
    """A labelled mark on the Europe map: a circle or a triangle of a legend class."""

    label: str
    lon: float
    lat: float
    kind: str
    triangle: bool = False


def _mark(mark: MapMark, colour: str, role: str = "mark") -> str:
    x, y = _europe(mark.lon, mark.lat)
    title = f"<title>{escape(mark.label)}</title>"
    if mark.triangle:
        points = f"{x:.1f},{y - 7:.1f} {x - 6:.1f},{y + 4:.1f} {x + 6:.1f},{y + 4:.1f}"
        return (
            f'<polygon class="{role} project" points="{points}" style="fill:{colour}">'
            f"{title}</polygon>"
        )
    return (
        f'<circle class="{role} plant" cx="{x:.1f}" cy="{y:.1f}" r="3.5" style="fill:{colour}">'
        f"{title}</circle>"
    )


def europe_marks(
    ident: str, title: str, marks: Sequence[MapMark], legend: Sequence[tuple[str, str, str]]
) -> str:
    """Europe with ``marks`` coloured by kind; ``legend`` is (kind, colour, label) in order.

    Triangles are drawn above circles. The legend, in the top left corner (the Norwegian
    Sea), gives each kind with its count of marks.
    """
    colours = {kind: colour for kind, colour, _ in legend}
    body = _europe_base(ident)
    ordered = sorted(marks, key=lambda m: m.triangle)
    body.extend(_mark(m, colours.get(m.kind, "#6b6b6b")) for m in ordered)
    body.append("</g>")
    counts = {kind: sum(1 for m in marks if m.kind == kind) for kind, _, _ in legend}
    shown = [(kind, colour, label) for kind, colour, label in legend if counts[kind]]
    y = 12.0
    if shown:
        body.append(
            f'<rect class="legend-box" x="6" y="{y - 6}" width="250" '
            f'height="{18 * len(shown) + 8}"/>'
        )
    for kind, colour, label in shown:
        is_triangle = any(m.triangle for m in marks if m.kind == kind)
        sample = MapMark("", 0.0, 0.0, kind, is_triangle)
        symbol = _mark(sample, colour, role="key")
        dx, dy = _europe(0.0, 0.0)
        body.append(f'<g transform="translate({18 - dx:.1f} {y + 6 - dy:.1f})">{symbol}</g>')
        body.append(text(30, y + 10, f"{label} ({counts[kind]})", cls="legend"))
        y += 18
    parts = ", ".join(f"{counts[k]} {label}" for k, _, label in shown) or "nothing"
    description = f"Map of Europe with {parts}."
    return frame(ident, EUROPE_WIDTH, EUROPE_HEIGHT, title, description, "".join(body))
