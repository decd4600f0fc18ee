"""The series the live monitor and the back-test feed to the detectors, from canonical flows.

Data preparation only: no generator, no ground truth. ``INPUTS`` says which kind of series
each built-in detector watches; ``inputs`` builds every kind from a table of flows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from critchem.surveillance.base import Series
from critchem.surveillance.detectors._common import FloatArray
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT

InputKind = Literal["volume", "exports", "suppliers", "unit_values", "partner_volumes"]
INPUTS: dict[str, str] = {
    "import_surge": "volume",
    "seasonal_anomaly": "volume",
    "cusum": "volume",
    "structural_break": "volume",
    "bocpd": "volume",
    "quota_exhaustion": "volume",
    "unit_value_outlier": "unit_values",
    "concentration_shift": "suppliers",
    "export_shift": "exports",
    "trade_diversion": "partner_volumes",
}
"""Which series (an :data:`InputKind`) each built-in detector watches in the back-test."""


def _pivot(
    table: pa.Table, measure: str
) -> tuple[tuple[date, ...], dict[tuple[str, str], FloatArray]]:
    """Sum of ``measure`` over reporters per (product, partner), NaN for months without rows."""
    months = table.column("period_start").to_numpy()
    periods, month = np.unique(months, return_inverse=True)
    pairs = np.char.add(
        np.char.add(table.column("product").to_numpy().astype(str), "|"),
        table.column("partner").to_numpy().astype(str),
    )
    names, pair = np.unique(pairs, return_inverse=True)
    values = table.column(measure).to_numpy(zero_copy_only=False).astype(np.float64)
    total = np.zeros((len(names), len(periods)))
    count = np.zeros((len(names), len(periods)))
    ok = np.isfinite(values)
    np.add.at(total, (pair[ok], month[ok]), values[ok])
    np.add.at(count, (pair[ok], month[ok]), 1.0)
    total[count == 0] = np.nan
    labels = tuple(date.fromisoformat(str(p)[:10]) for p in periods)
    out = {}
    for i, name in enumerate(names):
        product, partner = str(name).split("|")
        out[(product, partner)] = total[i]
    return labels, out


def _extra_eu(table: pa.Table, flow: int) -> pa.Table:
    keep = pc.and_(pc.equal(table.column("flow"), flow), pc.equal(table.column("trade_type"), "E"))
    keep = pc.and_(keep, pc.equal(table.column("partner_kind"), "country"))
    return table.filter(keep)


def flow_series(table: pa.Table, *, flow: int = FLOW_IMPORT) -> list[Series]:
    """EU27 (summed over reporters) extra-EU series per (product, partner): mass, ``extra["value"]``."""
    subset = _extra_eu(table, flow)
    periods, mass = _pivot(subset, "net_mass_kg")
    _, value = _pivot(subset, "value")
    return [
        Series(
            {
                "product": p,
                "reporter": "EU27",
                "flow": str(flow),
                "partner": q,
                "measure": "net_mass_kg",
            },
            periods,
            mass[(p, q)],
            {"value": value[(p, q)]},
        )
        for p, q in sorted(mass)
    ]


def _by_product(
    series: list[Series], field: Callable[[Series], FloatArray], measure: str
) -> list[Series]:
    out = []
    for product in sorted({s.key["product"] for s in series}):
        members = [s for s in series if s.key["product"] == product]
        extra = {s.key["partner"]: field(s) for s in members}
        total = np.nansum(np.vstack(list(extra.values())), axis=0)
        key = {"product": product, "reporter": "EU27", "flow": "1", "measure": measure}
        out.append(Series(key, members[0].periods, total, extra))
    return out


def supplier_series(table: pa.Table) -> list[Series]:
    """Per product: total extra-EU import value, ``extra`` = value per partner."""
    return _by_product(flow_series(table), lambda s: s.extra["value"], "value")


def unit_value_series(table: pa.Table) -> list[Series]:
    """Per product: total import mass, ``extra`` = unit value (EUR/kg) per partner."""

    def uv(s: Series) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(s.values > 0, s.extra["value"] / s.values, np.nan)

    return _by_product(flow_series(table), uv, "unit_value")


def partner_volume_series(table: pa.Table) -> list[Series]:
    """Per product: total import mass, ``extra`` = mass (kg) per partner."""
    return _by_product(flow_series(table), lambda s: s.values, "net_mass_kg")


def inputs(table: pa.Table) -> dict[str, list[Series]]:
    """Every kind of series the detectors watch, built from ``table``."""
    return {
        "volume": flow_series(table),
        "exports": flow_series(table, flow=FLOW_EXPORT),
        "suppliers": supplier_series(table),
        "unit_values": unit_value_series(table),
        "partner_volumes": partner_volume_series(table),
    }
