"""Convert Natural Earth 110m country shapes from the npm package ``world-atlas`` to a compact file.

Run once, when the shapes are to be updated (nothing downloads them at run time)::

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/world_atlas_to_shapes.py package/countries-110m.json \
        src/critchem/reports/data/countries_110m.json

The input is TopoJSON (quantised, delta-encoded arcs); the output is plain JSON, one record
per country with its ISO 3166-1 alpha-2 code (from the numeric ``id`` through ``pycountry``;
Kosovo, which has no ISO code, gets Comext's ``XK``), its name and its polygons as rings of
``[longitude, latitude]`` in degrees rounded to 0.01° (a ring crossing the antimeridian
continues east of 180°). Shapes without a code (Northern
Cyprus, Somaliland) are kept with ``iso2`` null so that the map has no holes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pycountry

NAMED_CODES = {"Kosovo": "XK"}
"""Shapes whose numeric id is missing but whose country has a code in critchem."""


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The arcs of ``topology`` as absolute ``(lon, lat)`` points (TopoJSON spec, section 2.1)."""
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """One ring from arc indexes (a negative index ``~i`` is arc ``i`` reversed)."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    lons = [lon for lon, _ in points]
    if max(lons) - min(lons) > 180:
        # The ring crosses the antimeridian (Russia, Fiji, the Aleutians): continue it east of
        # 180° instead of drawing a line across the whole map.
        points = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    return [[round(lon, 2), round(lat, 2)] for lon, lat in points]


def iso2(numeric: str | None, name: str) -> str | None:
    """The alpha-2 code of a numeric ISO 3166-1 id (or of a named exception)."""
    if name in NAMED_CODES:
        return NAMED_CODES[name]
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_2 if country else None


def convert(topology: dict[str, Any]) -> dict[str, Any]:
    """The compact shapes of every country of ``topology``."""
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        countries.append(
            {
                "iso2": iso2(geometry.get("id"), name),
                "name": name,
                "polygons": [[ring(r, arcs) for r in polygon] for polygon in polygons],
            }
        )
    return {
        "source": "Natural Earth 1:110m Admin 0 countries via world-atlas 2.0.2 (countries-110m)",
        "licence": "Natural Earth: public domain; world-atlas: ISC",
        "countries": countries,
    }


def main(argv: list[str]) -> int:
    """Convert ``argv[0]`` (TopoJSON) into ``argv[1]`` (compact JSON)."""
    if len(argv) != 2:
        print("usage: world_atlas_to_shapes.py countries-110m.json OUTPUT.json", file=sys.stderr)
        return 2
    topology = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    out = convert(topology)
    Path(argv[1]).write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(out['countries'])} countries written to {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
