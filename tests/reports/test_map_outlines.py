"""The bulletin's map of origins draws the shipped country outlines, origins shaded."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex

from critchem.reports.maps import LAND, ORIGIN_LAND, Origin, map_figure
from critchem.reports.shapes import shapes


def test_every_country_is_drawn_and_the_origin_is_shaded() -> None:
    china = Origin("CN", "China", 35.0, 103.0, 2, "red")
    figure = map_figure([china], "Origins")
    (ax,) = figure.axes
    (outlines,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    polygons = sum(len(s.polygons) for s in shapes())
    assert len(outlines.get_paths()) == polygons > 170
    faces = np.asarray(outlines.get_facecolor(), dtype=float)
    colours = [to_hex((r, g, b, a)) for r, g, b, a in faces.tolist()]
    cn_polygons = sum(len(s.polygons) for s in shapes() if s.iso2 == "CN")
    assert colours.count(ORIGIN_LAND) == cn_polygons >= 1
    assert colours.count(LAND) == polygons - cn_polygons
    assert not any(s.iso2 == "AQ" for s in shapes())
