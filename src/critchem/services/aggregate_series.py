"""Trade series from partner aggregates, for stores without partner detail (Comext SDMX).

Comext's SDMX extracts give each Member State's trade with ``WORLD`` (all partners) and with
``EXT_EU27`` / ``EXT_EU27_2020`` (all non-members) only. The indicators leave aggregate
partners out (they need the partners one by one), so such a store had no series. Here the
EU27 figures are the sums over the Member States (or the stored EU27 rows when there are):

- ``import_value``, ``import_net_mass_kg``: imports from ``WORLD``; unit value = value / mass;
- ``extra_import_value``: imports from ``EXT_EU27``; ``extra_import_share`` its share of
  ``import_value``; ``export_value``: exports to ``WORLD``;
- concentration (HHI, top supplier) needs partners one by one: left empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from critchem.trade._layout import committed_files
from critchem.trade.indicators.reference import EU27, partner_reference

WORLD = ("WORLD",)
EXTRA_EU = ("EXT_EU27", "EXT_EU27_2020", "EXTRA_EU27", "EXTRA_EU27_2020")

_SQL = """
WITH f AS (
    SELECT source, period, flow, partner, value, net_mass_kg
    FROM read_parquet($files, hive_partitioning = false, union_by_name = true)
    WHERE product IN (SELECT unnest($codes)) AND freq = $freq
      AND partner IN (SELECT unnest($aggregates)) AND {reporters}
      {source}
)
SELECT source, $label AS reporter, period,
       sum(value) FILTER (WHERE flow = 1 AND partner IN (SELECT unnest($world))) AS import_value,
       sum(net_mass_kg) FILTER (WHERE flow = 1 AND partner IN (SELECT unnest($world)))
           AS import_net_mass_kg,
       sum(value) FILTER (WHERE flow = 1 AND partner IN (SELECT unnest($extra)))
           AS extra_import_value,
       sum(value) FILTER (WHERE flow = 2 AND partner IN (SELECT unnest($world))) AS export_value
FROM f GROUP BY source, period ORDER BY source, period
"""


def aggregate_series(
    store_root: Path,
    codes: list[str],
    *,
    reporter: str,
    freq: str,
    source: str | None,
) -> list[dict[str, Any]]:
    """Period by period figures of ``codes`` from the aggregate partners (see module doc)."""
    files = [str(f) for f in committed_files(Path(store_root))]
    if not files:
        return []
    params: dict[str, Any] = {
        "files": files,
        "codes": codes,
        "freq": freq,
        "aggregates": [*WORLD, *EXTRA_EU],
        "world": list(WORLD),
        "extra": list(EXTRA_EU),
        "label": reporter,
    }
    clauses = ["reporter = $reporter"]
    if reporter == EU27:
        clauses = ["reporter IN ('EU27', 'EU27_2020')", "reporter IN (SELECT unnest($members))"]
    con = duckdb.connect()
    try:
        for clause in clauses:
            sql = _SQL.format(reporters=clause, source="AND source = $source" if source else "")
            values = dict(params)
            if "$reporter" in sql:
                values["reporter"] = reporter
            if "$members" in sql:
                values["members"] = list(partner_reference().eu27)
            if source:
                values["source"] = source
            rows: list[dict[str, Any]] = con.sql(sql, params=values).to_arrow_table().to_pylist()
            rows = [r for r in rows if r["import_value"] is not None or r["export_value"]]
            if rows:
                return [_complete(r) for r in rows]
    finally:
        con.close()
    return []


def _complete(row: dict[str, Any]) -> dict[str, Any]:
    value, mass, extra = row["import_value"], row["import_net_mass_kg"], row["extra_import_value"]
    row["import_unit_value"] = value / mass if value is not None and mass else None
    row["extra_import_share"] = extra / value if extra is not None and value else None
    exports = row["export_value"]
    row["extra_import_export_ratio"] = extra / exports if extra is not None and exports else None
    row.update(hhi=None, gov_hhi=None, top_supplier=None, top_supplier_share=None)
    row["partner_basis"] = "aggregates (WORLD, EXT_EU27): no partner detail"
    return row
