"""Parquet files already in the canonical ``FLOW_SCHEMA`` (exports of critchem, synthetic data).

Rows are checked like any other source's: a required field that is null, an unknown flow or
frequency sends the row to quarantine with its 1-based row number (Parquet has no header, so
row 1 is the first row).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from critchem.core.errors import TradeFormatError
from critchem.trade.schema import FLOW_SCHEMA
from critchem.trade.sources.base import REJECT_SCHEMA, ParsedBatch, TradeSource

PARQUET_MAGIC = "PAR1"
BATCH_ROWS = 262_144
_LOOSE = pa.schema([field.with_nullable(True) for field in FLOW_SCHEMA])


def _reasons(batch: pa.RecordBatch) -> pa.Array:
    """Per row, the reason it is rejected, or null for a good row."""
    reason: pa.Array = pa.nulls(batch.num_rows, pa.string())
    for field in FLOW_SCHEMA:
        if not field.nullable:
            missing = pc.is_null(batch.column(field.name))
            reason = pc.if_else(
                pc.and_(missing, pc.is_null(reason)), f"{field.name} is missing", reason
            )
    bad_flow = pc.invert(pc.is_in(batch.column("flow"), pa.array([1, 2], pa.int8())))
    reason = pc.if_else(
        pc.and_(pc.fill_null(bad_flow, False), pc.is_null(reason)), "flow is not 1 or 2", reason
    )
    bad_freq = pc.invert(pc.is_in(batch.column("freq"), pa.array(["M", "A", "D"])))
    return pc.if_else(
        pc.and_(pc.fill_null(bad_freq, False), pc.is_null(reason)),
        "freq is not M, A or D",
        reason,
    )


class Canonical(TradeSource):
    """Parquet in ``FLOW_SCHEMA``: the columns are cast to the schema, every row is checked."""

    name: ClassVar[str] = "canonical"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Parquet files in critchem's canonical flow schema"

    def sniff(self, header: str) -> bool:
        """Parquet files start with the magic bytes ``PAR1``."""
        return header.startswith(PARQUET_MAGIC)

    def parse(self, path: Path) -> Iterator[ParsedBatch]:
        """Stream the file's row groups as checked canonical flows."""
        try:
            parquet = pq.ParquetFile(path)
        except (OSError, pa.ArrowInvalid) as error:
            raise TradeFormatError(f"{path}: not a readable Parquet file ({error})") from error
        missing = [n for n in FLOW_SCHEMA.names if n not in parquet.schema_arrow.names]
        if missing:
            raise TradeFormatError(
                f"{path}: not in the canonical flow schema: missing column(s) {', '.join(missing)}"
            )
        total = max(parquet.metadata.num_rows, 1)
        seen = 0
        for raw in parquet.iter_batches(batch_size=BATCH_ROWS, columns=list(FLOW_SCHEMA.names)):
            batch = pa.RecordBatch.from_arrays(
                [raw.column(f.name).cast(f.type) for f in _LOOSE], schema=_LOOSE
            )
            reasons = _reasons(batch)
            bad = pc.is_valid(reasons)
            rows = pa.array(range(seen + 1, seen + batch.num_rows + 1), pa.int64())
            rejected = pa.RecordBatch.from_arrays(
                [
                    rows.filter(bad),
                    pc.cast(
                        pc.binary_join_element_wise(
                            *(
                                pc.cast(batch.column(n), pa.string()).fill_null("")
                                for n in ("reporter", "partner", "product", "period")
                            ),
                            ",",
                        ),
                        pa.string(),
                    ).filter(bad),
                    reasons.filter(bad),
                ],
                schema=REJECT_SCHEMA,
            )
            good = batch.filter(pc.invert(bad))
            seen += batch.num_rows
            yield ParsedBatch(
                flows=pa.RecordBatch.from_arrays(good.columns, schema=FLOW_SCHEMA),
                rejected=rejected,
                rows_read=batch.num_rows,
                rows_stored=good.num_rows,
                progress=seen / total,
            )
