"""The unfair-competition signal of one product and partner, from the trade store.

EU27 monthly imports of the product from the partner (summed over the reporters, complete
months only, after the data-quality gate) against the EU27's exports of the same code, whose
unit value stands in for the EU price when no PRODCOM producer price is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from critchem.core.errors import NotFoundError
from critchem.surveillance.quality import corrected, misdeclarations
from critchem.surveillance.unfair import assess
from critchem.trade.store import TradeStore

_ROWS = """
WITH rows AS (
    SELECT * FROM flows WHERE freq = 'M' AND product = $product AND NOT product_masked
),
coverage AS (SELECT period, count(DISTINCT reporter) AS n FROM rows GROUP BY period)
SELECT rows.* FROM rows JOIN coverage USING (period)
WHERE n = (SELECT max(n) FROM coverage)
"""


def unfair_competition(
    product: str,
    *,
    store_root: Path,
    partner: str = "WORLD",
    months: int = 12,
    consumption_kg: tuple[float, float] | None = None,
    producer_price: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """The unfair-competition criteria and suspicion for EU27 imports of ``product``."""
    with TradeStore(store_root) as store:
        table = store.connection.sql(_ROWS, params={"product": product}).to_arrow_table()
    if table.num_rows == 0:
        raise NotFoundError(f"the trade store holds no monthly rows of CN {product}")
    flags = misdeclarations(table)
    table = corrected(table, flags)
    rows = table.to_pylist()

    def wanted(r: dict[str, Any], flow: int) -> bool:
        if r["flow"] != flow:
            return False
        if partner == "WORLD":
            return bool(r["partner"] == "WORLD")
        if r.get("trade_type") != "E" or r.get("partner_kind") != "country":
            return False
        return flow == 2 or r["partner"] == partner

    months_seen = sorted({r["period"] for r in rows})
    where = {p: i for i, p in enumerate(months_seen)}
    arrays = {k: np.zeros(len(months_seen)) for k in ("im", "iv", "xm", "xv")}
    for r in rows:
        for flow, (m, v) in ((1, ("im", "iv")), (2, ("xm", "xv"))):
            if wanted(r, flow):
                arrays[m][where[r["period"]]] += r["net_mass_kg"] or 0.0
                arrays[v][where[r["period"]]] += r["value"] or 0.0
    if not arrays["im"].any():
        raise NotFoundError(f"no EU27 imports of CN {product} from {partner} in the trade store")
    result = assess(
        months_seen,
        arrays["im"],
        arrays["iv"],
        arrays["xm"],
        arrays["xv"],
        months=months,
        consumption_kg=consumption_kg,
        producer_price=producer_price,
    )
    sources = sorted({str(r["source"]) for r in rows})
    return {
        "product": product,
        "partner": partner,
        **result.to_dict(),
        "sources": sources,
        "synthetic": "synthetic" in sources,
        "quality": [f.to_dict() for f in flags],
    }
