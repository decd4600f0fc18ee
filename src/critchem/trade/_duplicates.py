"""Duplicate keys of one load: exact copies dropped, conflicting values reported.

A flow's key is ``KEY``: one reporter's trade with one partner in one product, flow,
statistical procedure and period. Within a load, a row repeated exactly is stored once (the
copies are counted); two rows with one key and different figures are both kept and
reported, since which one is right cannot be told from the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from critchem.trade._parquet import COMPRESSION, COMPRESSION_LEVEL, DICTIONARY_COLUMNS
from critchem.trade.schema import FLOW_SCHEMA

KEY = (
    "source", "reporter", "partner", "trade_type", "product", "flow", "stat_procedure",
    "freq", "period",
)  # fmt: skip
"""The columns that identify one flow."""


@dataclass(frozen=True)
class Duplicates:
    """What one load held twice: exact copies dropped, keys with conflicting figures."""

    exact_copies: int
    conflicting_keys: int
    examples: tuple[str, ...]


def _listed(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + p.as_posix().replace("'", "''") + "'" for p in paths) + "]"


def resolve(staged: list[Path]) -> Duplicates:
    """Drop exact copies from the staged files (rewritten in place) and find conflicts."""
    folders: dict[Path, list[Path]] = {}
    for path in staged:
        folders.setdefault(path.parent, []).append(path)
    exact = conflicting = 0
    examples: list[str] = []
    keys = ", ".join(KEY)
    with duckdb.connect() as con:
        for files in folders.values():
            source = f"read_parquet({_listed(files)}, hive_partitioning = false)"
            total, rows, distinct_keys = con.execute(
                f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT * FROM {source})),"
                f" (SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {source})) FROM {source}"
            ).fetchone() or (0, 0, 0)
            exact += int(total) - int(rows)
            conflicting += int(rows) - int(distinct_keys)
            if int(rows) > int(distinct_keys) and len(examples) < 5:
                for row in con.execute(
                    f"SELECT {keys}, count(*) FROM (SELECT DISTINCT * FROM {source})"
                    f" GROUP BY ALL HAVING count(*) > 1 LIMIT 5"
                ).fetchall():
                    examples.append(" ".join(str(v) for v in row[:-1]))
            if int(total) > int(rows):
                table = con.sql(f"SELECT DISTINCT * FROM {source}").to_arrow_table()
                table = table.select(FLOW_SCHEMA.names).cast(FLOW_SCHEMA)
                for path in files:
                    path.unlink()
                pq.write_table(
                    table,
                    files[0],
                    compression=COMPRESSION,
                    compression_level=COMPRESSION_LEVEL,
                    use_dictionary=DICTIONARY_COLUMNS,
                )
    return Duplicates(exact, conflicting, tuple(examples[:5]))
