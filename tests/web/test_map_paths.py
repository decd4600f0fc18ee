"""The compact country outlines draw the points that absolute coordinates at 0.1 px would."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from critchem.web.charts import maps

NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def _decode(d: str) -> list[list[tuple[float, float]]]:
    """The rings of a path of ``M x y l dx dy ... Z`` commands, as absolute points."""
    rings = []
    for ring in re.findall(r"M([^MZ]*)Z", d):
        start, _, steps = ring.partition("l")
        x, y = (float(v) for v in NUMBER.findall(start))
        points = [(x, y)]
        values = [float(v) for v in NUMBER.findall(steps)]
        assert len(values) % 2 == 0
        for dx, dy in zip(values[::2], values[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        rings.append(points)
    return rings


Projection = Callable[[float, float], tuple[float, float]]


def _absolute(shape: maps.Shape, project: Projection) -> list[list[tuple[float, float]]]:
    """The rings as the absolute ``f"{x:.1f}"`` coordinates, repeats of a point dropped."""
    rings = []
    for polygon in shape.polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                point = (float(f"{x:.1f}"), float(f"{y:.1f}"))
                if not points or point != points[-1]:
                    points.append(point)
            rings.append(points)
    return rings


@pytest.mark.parametrize("project", [maps._world, maps._europe], ids=["world", "europe"])
def test_every_outline_matches_its_absolute_points(project: Projection) -> None:
    drawn = 0
    for shape in maps.shapes():
        decoded = _decode(maps._path(shape, project))
        expected = _absolute(shape, project)
        assert len(decoded) == len(expected), shape.name
        for got, want in zip(decoded, expected, strict=True):
            assert len(got) == len(want), shape.name
            # 0.1 px: the old format rounded half to even, the new one rounds x·10.
            assert (
                max(max(abs(a - c), abs(b - d)) for (a, b), (c, d) in zip(got, want, strict=True))
                < 0.1001
            )
            drawn += len(got)
    assert drawn > 5000  # Natural Earth 1:110m has about 10,000 points


def test_compact_paths_are_about_half_the_absolute_ones() -> None:
    compact = sum(len(maps._path(s, maps._world)) for s in maps.shapes())
    absolute = sum(
        len("".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z" for ring in rings))
        for rings in (_absolute(s, maps._world) for s in maps.shapes())
    )
    assert compact < 0.6 * absolute


def test_the_compiled_outlines_are_the_projected_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built, written, then read back by a fresh process-level cache: the same paths."""
    monkeypatch.setenv("CRITCHEM_CACHE_DIR", str(tmp_path))
    maps._world_paths.cache_clear()
    maps._europe_paths.cache_clear()
    built = maps._world_paths(), maps._europe_paths()
    assert list((tmp_path / "reference").glob("world-paths-*.json"))
    assert list((tmp_path / "reference").glob("europe-paths-*.json"))
    maps._world_paths.cache_clear()
    maps._europe_paths.cache_clear()
    assert (maps._world_paths(), maps._europe_paths()) == built
    direct = {s.iso2: maps._path(s, maps._world) for s in maps.shapes()}
    assert {o.iso2: o.path for o in built[0]} == direct
    maps._world_paths.cache_clear()
    maps._europe_paths.cache_clear()
