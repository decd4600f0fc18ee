"""The canonical trade-flow schema every trade source emits.

One row is one observation: a reporter's trade with one partner in one product, flow,
statistical procedure and period. A missing value (``null``) means "no data" and is never the
same as zero.
"""

from __future__ import annotations

import pyarrow as pa

FLOW_IMPORT = 1
FLOW_EXPORT = 2

FREQ_MONTHLY = "M"
FREQ_ANNUAL = "A"
FREQ_DAILY = "D"

FLOW_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        # reporter: ISO 3166-1 alpha-2 as Comext writes it (GR for Greece) or an aggregate
        # (EU27_2020); for BACI/Comtrade the reporting country.
        pa.field("reporter", pa.string(), nullable=False),
        # partner: ISO alpha-2 / Comext code, Q-codes kept as they are, aggregates (WORLD,
        # EXT_EU27_2020); ``partner_kind`` labels them.
        pa.field("partner", pa.string(), nullable=False),
        pa.field("partner_kind", pa.string(), nullable=False),
        # trade_type: "I" intra-EU, "E" extra-EU, null when not applicable (non-EU reporter).
        pa.field("trade_type", pa.string()),
        # product: the code as published (CN8, HS6, TARIC10, or masked such as 39XXXXXX).
        pa.field("product", pa.string(), nullable=False),
        # product_nomenclature: "CN2025", "HS1992", "HS2022", "TARIC2025" ...
        pa.field("product_nomenclature", pa.string(), nullable=False),
        pa.field("product_masked", pa.bool_(), nullable=False),
        pa.field("flow", pa.int8(), nullable=False),  # 1 import, 2 export
        # stat_procedure: 1 normal, 2 inward processing, 3 outward processing, 9 not recorded.
        pa.field("stat_procedure", pa.int8()),
        pa.field("freq", pa.string(), nullable=False),  # "M", "A", "D"
        # period: "2024-03" (M), "2024" (A, including Comext's YYYY52), "2024-03-15" (D).
        pa.field("period", pa.string(), nullable=False),
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("year", pa.int16(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("currency", pa.string(), nullable=False),  # "EUR" or "USD"
        pa.field("net_mass_kg", pa.float64()),
        pa.field("suppl_quantity", pa.float64()),
        pa.field("suppl_unit", pa.string()),
    ]
)
"""The columns, types and meanings of a canonical trade flow."""

COLUMNS: tuple[str, ...] = tuple(FLOW_SCHEMA.names)

COMPRESSION = "zstd"
"""Compression of the store's Parquet files."""
COMPRESSION_LEVEL = 1
DICTIONARY_COLUMNS = [field.name for field in FLOW_SCHEMA if not pa.types.is_floating(field.type)]
"""Columns written with dictionary encoding (codes, labels; not the measured values)."""
