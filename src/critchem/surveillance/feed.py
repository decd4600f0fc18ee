"""Daily and weekly series from the declaration-level surveillance feed.

The feed (source ``surveillance``, freq ``D``: one row per declaration item and day of
release) is summed over the Member States into EU27 series per product, flow and partner:
per day (``D``) or per ISO week starting Monday (``W``). A day or week without any
declaration is zero trade, not a gap: every declaration is in the feed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import duckdb
import numpy as np
import pyarrow as pa

from critchem.surveillance.base import Series

Freq = Literal["D", "W"]
STEP = {"D": timedelta(days=1), "W": timedelta(days=7)}

_SQL = """
SELECT product, flow, partner,
       CASE WHEN $freq = 'W' THEN date_trunc('week', period_start)::DATE
            ELSE period_start END AS p,
       sum(net_mass_kg) AS mass, sum(value) AS value
FROM feed WHERE freq = 'D'
GROUP BY ALL ORDER BY product, flow, partner, p
"""


def aggregate(table: pa.Table, freq: Freq, *, source: str = "surveillance") -> list[Series]:
    """EU27 series of ``freq`` per (product, flow, partner) from the feed's rows in ``table``.

    Each series runs from the first to the last period with a declaration of its product in
    the feed; ``extra["value"]`` holds the declared value beside the mass.
    """
    if freq not in STEP:
        raise ValueError(f"frequency {freq!r}: the feed is watched daily (D) or weekly (W)")
    if table.num_rows == 0:
        return []
    with duckdb.connect() as con:
        con.register("feed", table)
        rows = con.execute(_SQL, {"freq": freq}).fetchall()
    groups: dict[tuple[str, int, str], dict[date, tuple[float, float]]] = {}
    for product, flow, partner, period, mass, value in rows:
        groups.setdefault((str(product), int(flow), str(partner)), {})[period] = (
            float(mass or 0.0),
            float(value or 0.0),
        )
    spans: dict[str, tuple[date, date]] = {}
    for (product, _, _), points in groups.items():
        lo, hi = min(points), max(points)
        old = spans.get(product, (lo, hi))
        spans[product] = (min(old[0], lo), max(old[1], hi))
    out = []
    for (product, flow, partner), points in sorted(groups.items()):
        first, last = spans[product]
        periods: list[date] = []
        day = first
        while day <= last:
            periods.append(day)
            day += STEP[freq]
        mass = np.array([points.get(d, (0.0, 0.0))[0] for d in periods])
        value = np.array([points.get(d, (0.0, 0.0))[1] for d in periods])
        key = {
            "product": product,
            "reporter": "EU27",
            "flow": str(flow),
            "partner": partner,
            "measure": "net_mass_kg",
            "source": source,
            "freq": freq,
        }
        out.append(Series(key, tuple(periods), mass, {"value": value}))
    return out
