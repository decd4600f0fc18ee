"""Trade-diversion suspects after the EU's trade-defence cases, from the trade store.

For each trade-defence case of the register whose codes the store holds, EU27 monthly
extra-EU imports (kg) of each matching CN8 code by partner country (the EU27 aggregate rows
when the store has them, otherwise the sum over the Member States) are screened by
:func:`critchem.surveillance.diversion.suspects`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from critchem.events import load_events
from critchem.surveillance.diversion import suspects
from critchem.trade.store import TradeStore

_ROWS = """
SELECT product, reporter, partner, period_start, sum(net_mass_kg) AS kg, list(DISTINCT source) AS sources
FROM flows
WHERE freq = 'M' AND flow = 1 AND trade_type = 'E' AND partner_kind = 'country'
  AND NOT product_masked AND starts_with(product, $code)
GROUP BY ALL
"""


def diversion(*, store_root: Path, product: str | None = None, months: int = 12) -> dict[str, Any]:
    """The diversion suspects of every trade-defence case (optionally on codes under ``product``)."""
    cases = [c for c in load_events("trade-defence") if c.codes and c.countries]
    if product:
        cases = [
            c for c in cases if any(product.startswith(k) or k.startswith(product) for k in c.codes)
        ]
    found: list[dict[str, Any]] = []
    screened: list[dict[str, Any]] = []
    sources: set[str] = set()
    with TradeStore(store_root) as store:
        for case in cases:
            for code in case.codes:
                rows = store.connection.sql(_ROWS, params={"code": code}).fetchall()
                if product and not (code.startswith(product) or product.startswith(code)):
                    continue
                if not rows:
                    screened.append({"case": case.id, "code": code, "status": "no data"})
                    continue
                eu = [r for r in rows if r[1] == "EU27"] or rows
                for cn8 in sorted({r[0] for r in eu}):
                    mine = [
                        r for r in eu if r[0] == cn8 and (not product or cn8.startswith(product))
                    ]
                    if not mine:
                        continue
                    periods = sorted({_day(r[3]) for r in mine})
                    where = {p: i for i, p in enumerate(periods)}
                    by_partner: dict[str, Any] = {}
                    for _, _, partner, start, kg, src in mine:
                        series = by_partner.setdefault(partner, np.zeros(len(periods)))
                        series[where[_day(start)]] += float(kg or 0.0)
                        sources.update(src)
                    hits = suspects(case, cn8, periods, by_partner, months=months)
                    screened.append(
                        {"case": case.id, "code": cn8, "status": f"{len(hits)} suspect(s)"}
                    )
                    found.extend(h.to_dict() for h in hits)
    return {
        "suspects": found,
        "screened": screened,
        "sources": sorted(sources),
        "synthetic": "synthetic" in sources,
        "months": months,
    }


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
