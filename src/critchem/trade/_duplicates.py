"""Duplicate keys of one load: exact copies dropped, conflicting values reported.

A flow's key is ``KEY``: one reporter's trade with one partner in one product, flow,
statistical procedure and period. Within a load, a row repeated exactly is stored once (the
copies are counted); two rows with one key and different figures are both kept and
reported, since which one is right cannot be told from the file.

Method, in bounded memory (DuckDB with a memory limit that spills to disk):

1. one scan groups the rows of a partition by two 64-bit hashes, of their key and of the
   whole row: a key hash with several row hashes is a conflicting key (counted, five
   examples read back), a row hash seen more than once marks candidate exact copies;
2. only the candidate rows are read again and compared column by column (a hash collision
   adds a candidate, never a drop): copies after the first, in file order, are dropped;
3. only the files that hold a dropped copy are rewritten, batch by batch.

Two different rows of one key whose 64-bit row hashes collide would be counted as one
conflict fewer (odds about 1 in 10^19 per pair); no row is ever dropped on a hash alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from critchem.trade._parquet import COMPRESSION, COMPRESSION_LEVEL, DICTIONARY_COLUMNS
from critchem.trade.schema import FLOW_SCHEMA

KEY = (
    "source", "reporter", "partner", "trade_type", "product", "flow", "stat_procedure",
    "freq", "period",
)  # fmt: skip
"""The columns that identify one flow."""

MEMORY_LIMIT = "256MB"
"""DuckDB's memory limit while duplicates are resolved; beyond it DuckDB spills to disk."""


@dataclass(frozen=True)
class Duplicates:
    """What one load held twice: exact copies dropped, keys with conflicting figures."""

    exact_copies: int
    conflicting_keys: int
    examples: tuple[str, ...]


def _listed(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + p.as_posix().replace("'", "''") + "'" for p in paths) + "]"


def _connect(spill: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET threads = 2")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET temp_directory = '{spill.as_posix().replace(chr(39), chr(39) * 2)}'")
    return con


def resolve(staged: list[Path]) -> Duplicates:
    """Drop exact copies from the staged files (rewritten in place) and find conflicts."""
    if not staged:
        return Duplicates(0, 0, ())
    folders: dict[Path, list[Path]] = {}
    for path in staged:
        folders.setdefault(path.parent, []).append(path)
    exact = conflicting = 0
    examples: list[str] = []
    spill = staged[0].parent / ".spill"
    spill.mkdir(exist_ok=True)
    try:
        with _connect(spill) as con:
            for files in folders.values():
                copies, keys, found = _resolve_partition(con, files)
                exact += copies
                conflicting += keys
                examples.extend(found[: 5 - len(examples)])
    finally:
        for leftover in spill.glob("*"):
            leftover.unlink(missing_ok=True)
        spill.rmdir()
    return Duplicates(exact, conflicting, tuple(examples[:5]))


def _resolve_partition(
    con: duckdb.DuckDBPyConnection, files: list[Path]
) -> tuple[int, int, list[str]]:
    keys = ", ".join(KEY)
    columns = ", ".join(FLOW_SCHEMA.names)
    source = (
        f"read_parquet({_listed(files)}, hive_partitioning = false,"
        " filename = true, file_row_number = true)"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE seen AS SELECT hash({keys}) AS hk,"
        f" hash({columns}) AS hr, count(*) AS n FROM {source} GROUP BY ALL"
    )
    conflicts = con.execute(
        "SELECT hk, count(*) - 1 FROM seen GROUP BY hk HAVING count(*) > 1 ORDER BY hk"
    ).fetchall()
    (copied,) = con.execute("SELECT count(*) FROM seen WHERE n > 1").fetchone() or (0,)
    if not conflicts and not int(copied):
        con.execute("DROP TABLE seen")
        return 0, 0, []
    wanted = ", ".join(str(int(h)) for h, _ in conflicts[:5]) or "NULL"
    # one more scan reads back the few rows needed: examples and candidate copies
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE suspects AS SELECT *, hash({keys}) IN ({wanted})"
        f" AS example, hash({columns}) IN (SELECT hr FROM seen WHERE n > 1) AS copied"
        f" FROM {source} WHERE example OR copied"
    )
    examples = [
        " ".join(str(v) for v in row)
        for row in con.execute(
            f"SELECT DISTINCT {keys} FROM suspects WHERE example ORDER BY ALL LIMIT 5"
        ).fetchall()
    ]
    drops = [
        (str(name), int(number))
        for name, number in con.execute(
            f"SELECT filename, file_row_number FROM (SELECT filename, file_row_number,"
            f" row_number() OVER (PARTITION BY {columns} ORDER BY filename, file_row_number)"
            f" AS copy FROM suspects WHERE copied) WHERE copy > 1"
        ).fetchall()
    ]
    con.execute("DROP TABLE suspects")
    con.execute("DROP TABLE seen")
    by_file: dict[str, list[int]] = {}
    for name, number in drops:
        by_file.setdefault(name, []).append(number)
    for path in files:
        rows = by_file.get(path.as_posix())
        if rows:
            _drop_rows(path, rows)
    return len(drops), sum(int(extra) for _, extra in conflicts), examples


def _drop_rows(path: Path, rows: list[int]) -> None:
    """Rewrite ``path`` without the rows at the given positions, one row group at a time.

    Row groups without a dropped row are copied as they are (decoded and encoded again,
    but not filtered).
    """
    dropped = np.array(sorted(rows), dtype=np.int64)
    rewritten = path.with_name(path.name + ".dedup")
    source = pq.ParquetFile(path)
    offset = 0
    with pq.ParquetWriter(
        rewritten,
        FLOW_SCHEMA,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=DICTIONARY_COLUMNS,
    ) as writer:
        for group in range(source.metadata.num_row_groups):
            table = source.read_row_group(group).select(FLOW_SCHEMA.names).cast(FLOW_SCHEMA)
            end = offset + table.num_rows
            inside = dropped[(dropped >= offset) & (dropped < end)]
            if inside.size:
                keep = np.ones(table.num_rows, dtype=bool)
                keep[inside - offset] = False
                table = table.filter(pa.array(keep))
            writer.write_table(table)
            offset = end
    rewritten.replace(path)
