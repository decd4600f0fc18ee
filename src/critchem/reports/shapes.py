"""The shipped country outlines (Natural Earth 1:110m), for the maps of reports and pages.

``data/countries_110m.json`` (see ``data/SOURCES.md``), converted once by
``scripts/world_atlas_to_shapes.py``: rings of longitude/latitude in degrees by ISO2 code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from critchem.core.errors import ReferenceDataError

SHAPES_FILE = "countries_110m.json"


@dataclass(frozen=True, slots=True)
class Shape:
    """One country's outline: ISO2 code (``None`` for the few without), name, polygons."""

    iso2: str | None
    name: str
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]


@cache
def shapes() -> tuple[Shape, ...]:
    """The shipped country shapes (Antarctica left out)."""
    raw = resources.files("critchem.reports").joinpath("data", SHAPES_FILE).read_text("utf-8")
    try:
        data: dict[str, Any] = json.loads(raw)
        return tuple(
            Shape(
                c["iso2"],
                c["name"],
                tuple(
                    tuple(tuple((p[0], p[1]) for p in ring) for ring in poly)
                    for poly in c["polygons"]
                ),
            )
            for c in data["countries"]
            if c["iso2"] != "AQ"
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ReferenceDataError(f"{SHAPES_FILE}: not a country shapes file ({exc})") from exc
