"""Hand-made miniature tables in FLOW_SCHEMA for the indicator tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa

from critchem.nomenclature import load_countries
from critchem.trade.schema import FLOW_SCHEMA

EU = {p.code for p in load_countries().eu27(date(2020, 2, 1))}


def flow(
    reporter: str,
    partner: str,
    value: float | None,
    mass: float | None = None,
    *,
    product: str = "29012100",
    flow: int = 1,
    period: str = "2024-01",
    source: str = "test",
    currency: str = "EUR",
) -> dict[str, Any]:
    """One FLOW_SCHEMA row; the frequency follows from the period ("2024" or "2024-01")."""
    annual = len(period) == 4
    year = int(period[:4])
    partners = load_countries()
    kind = partners.get(partner).kind if partner in partners else "country"
    return {
        "source": source,
        "reporter": reporter,
        "partner": partner,
        "partner_kind": kind,
        "trade_type": "I" if partner in EU else "E",
        "product": product,
        "product_nomenclature": "CN2024",
        "product_masked": False,
        "flow": flow,
        "stat_procedure": 1,
        "freq": "A" if annual else "M",
        "period": period,
        "period_start": date(year, 1 if annual else int(period[5:7]), 1),
        "year": year,
        "value": value,
        "currency": currency,
        "net_mass_kg": mass,
        "suppl_quantity": None,
        "suppl_unit": None,
    }


def table(rows: list[dict[str, Any]]) -> pa.Table:
    """The rows as a FLOW_SCHEMA table."""
    return pa.Table.from_pylist(rows, schema=FLOW_SCHEMA)
