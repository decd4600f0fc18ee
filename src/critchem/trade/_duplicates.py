"""Duplicate keys of one load: exact copies dropped, conflicting values reported.

A flow's key is ``KEY``: one reporter's trade with one partner in one product, flow,
statistical procedure and period. Within a load, a row repeated exactly is stored once (the
copies are counted); two rows with one key and different figures are both kept and
reported, since which one is right cannot be told from the file.

Method, in bounded memory, without rewriting a file:

1. while the rows are written, ``CopyFilter`` hashes each row (DuckDB's 64-bit ``hash`` of
   the key, the figures and the units: ``_HASHED``) and holds back every row whose hash was
   seen before in the load: a candidate exact copy (the hashes seen are kept as a few
   sorted arrays, 8 bytes a row);
2. after writing, the held rows are compared column by column with the written rows (one
   DuckDB semi-join): a held row equal to a written one is a copy and is dropped; any other
   (a hash collision) is written to one more file, so a collision adds a candidate, never
   a drop;
3. every stored row is now distinct, so one scan of the key hashes finds the conflicting
   keys: a key hash on ``n`` rows is ``n - 1`` conflicting rows (five examples read back).

Two different keys whose 64-bit key hashes collide would be counted as one conflict more
(odds about 1 in 10^19 per pair); no row is ever dropped on a hash alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from critchem.trade.schema import COMPRESSION, COMPRESSION_LEVEL, DICTIONARY_COLUMNS, FLOW_SCHEMA

KEY = (
    "source", "reporter", "partner", "trade_type", "product", "flow", "stat_procedure",
    "freq", "period",
)  # fmt: skip
"""The columns that identify one flow."""

MEMORY_LIMIT = "64MB"
"""DuckDB's memory limit while duplicates are resolved; beyond it DuckDB spills to disk (256 MB
before: the scan of 5,000,000 key hashes then raised the peak of an ingest by 113 MB, at 64 MB by 30 MB,
in the same time)."""


MERGED_RUN = 1 << 21
"""Hashes (8 bytes each) beyond which ``CopyFilter`` merges a sorted run no further."""


class CopyFilter:
    """Holds back the rows of a load whose whole-row hash was seen before (candidate copies).

    Used by one thread (the writing thread). ``admit`` returns the rows to write now; the
    rest are kept in ``held`` until ``resolve`` compares them with the written rows.
    """

    def __init__(self) -> None:
        self._con: duckdb.DuckDBPyConnection | None = None
        self._runs: list[np.ndarray] = []
        self.held: list[pa.RecordBatch] = []

    def _hashes(self, batch: pa.RecordBatch) -> np.ndarray:
        if self._con is None:
            self._con = duckdb.connect()
            self._con.execute("SET threads = 1")
        self._con.register("batch", batch)
        try:
            found = self._con.execute(f"SELECT hash({_HASHED}) AS h FROM batch").fetchnumpy()["h"]
        finally:
            self._con.unregister("batch")
        return np.asarray(found, dtype=np.uint64)

    def _seen(self, ranked: np.ndarray) -> np.ndarray:
        """Which of the sorted hashes ``ranked`` were seen before."""
        hit = np.zeros(len(ranked), dtype=bool)
        for run in self._runs:
            if not len(run):
                continue
            at = np.minimum(np.searchsorted(run, ranked), len(run) - 1)
            hit |= run[at] == ranked
        return hit

    def admit(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The rows of ``batch`` seen for the first time; the others are held back."""
        if batch.num_rows == 0:
            return batch
        hashes = self._hashes(batch)
        order = np.argsort(hashes, kind="stable")
        ranked = hashes[order]
        hold_ranked = self._seen(ranked)
        hold_ranked[1:] |= ranked[1:] == ranked[:-1]  # a repeat within the batch
        self._runs.append(ranked[~hold_ranked])
        # runs of falling sizes, each hash merged about log2(rows / batch) times; a run stops
        # growing at MERGED_RUN hashes, so a merge never copies more than twice that
        while (
            len(self._runs) > 1
            and len(self._runs[-1]) >= len(self._runs[-2])
            and len(self._runs[-2]) < MERGED_RUN
        ):
            last = self._runs.pop()
            merged = np.concatenate([self._runs[-1], last])
            merged.sort(kind="stable")  # two sorted runs: a linear merge
            self._runs[-1] = merged
        if not hold_ranked.any():
            return batch
        hold = np.zeros(len(hashes), dtype=bool)
        hold[order] = hold_ranked
        self.held.append(batch.filter(pa.array(hold)))
        return batch.filter(pa.array(~hold))

    def close(self) -> None:
        """Free the hashes (the held rows stay)."""
        self._runs = []
        if self._con is not None:
            self._con.close()
            self._con = None


@dataclass(frozen=True)
class Duplicates:
    """What one load held twice: exact copies dropped, keys with conflicting figures."""

    exact_copies: int
    conflicting_keys: int
    examples: tuple[str, ...]


_HASHED = ", ".join(
    (*KEY, "value", "net_mass_kg", "suppl_quantity", "suppl_unit", "currency", "partner_kind")
)
"""The columns ``CopyFilter`` hashes: rows equal on these are candidates, compared in full."""


def _listed(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + p.as_posix().replace("'", "''") + "'" for p in paths) + "]"


def _connect(spill: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET threads = 2")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET temp_directory = '{spill.as_posix().replace(chr(39), chr(39) * 2)}'")
    return con


def _source(files: list[Path]) -> str:
    return f"read_parquet({_listed(files)}, hive_partitioning = false)"


def resolve(
    staged: list[Path], held: dict[Path, list[pa.RecordBatch]] | None = None, load_id: str = ""
) -> Duplicates:
    """Drop the held rows that copy a staged row, keep the others, and find conflicts.

        ``held`` maps a partition folder to the rows ``CopyFilter`` held back while its files
        were written. Held rows that are not copies are written to one more file of their folder
    (``<load_id>-<n>.parquet``, after the writer's files).
    """
    held = held or {}
    folders: dict[Path, list[Path]] = {}
    for path in staged:
        folders.setdefault(path.parent, []).append(path)
    for folder in held:
        folders.setdefault(folder, [])
    if not folders:
        return Duplicates(0, 0, ())
    exact = conflicting = 0
    examples: list[str] = []
    spill = next(iter(folders)) / ".spill"
    spill.mkdir(parents=True, exist_ok=True)
    try:
        with _connect(spill) as con:
            for folder, files in folders.items():
                rows = held.get(folder, [])
                if rows:
                    copies, extra = _verify_held(con, files, rows, folder, load_id)
                    exact += copies
                    files = [*files, *extra]
                if files:
                    keys, found = _conflicts(con, files)
                    conflicting += keys
                    examples.extend(found[: 5 - len(examples)])
    finally:
        for leftover in spill.glob("*"):
            leftover.unlink(missing_ok=True)
        spill.rmdir()
    return Duplicates(exact, conflicting, tuple(examples[:5]))


def _verify_held(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    rows: list[pa.RecordBatch],
    folder: Path,
    load_id: str,
) -> tuple[int, list[Path]]:
    """Count the held rows equal to a written row; write the others (once each) to a file."""
    table = pa.Table.from_batches(rows).cast(FLOW_SCHEMA)
    numbered = table.append_column("held_row", pa.array(np.arange(table.num_rows), pa.int64()))
    con.register("held", numbered)
    try:
        same = " AND ".join(f"f.{c} IS NOT DISTINCT FROM h.{c}" for c in FLOW_SCHEMA.names)
        matched: set[int] = set()
        if files:
            matched = {
                int(n)
                for (n,) in con.execute(
                    f"SELECT h.held_row FROM held h WHERE EXISTS"
                    f" (SELECT 1 FROM {_source(files)} f WHERE {same})"
                ).fetchall()
            }
    finally:
        con.unregister("held")
    keep: list[int] = []
    kept: set[tuple[object, ...]] = set()
    for n, values in enumerate(zip(*(c.to_pylist() for c in table.columns), strict=True)):
        if n in matched or values in kept:
            continue
        kept.add(values)
        keep.append(n)
    if not keep:
        return table.num_rows, []
    path = folder / f"{load_id}-{len(files)}.parquet"  # the writer numbers files from 0
    pq.write_table(
        table.take(pa.array(keep)),
        path,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=DICTIONARY_COLUMNS,
    )
    return table.num_rows - len(keep), [path]


def _conflicts(con: duckdb.DuckDBPyConnection, files: list[Path]) -> tuple[int, list[str]]:
    """Conflicting rows (every row distinct: ``n - 1`` for a key on ``n`` rows), examples."""
    keys = ", ".join(KEY)
    repeated = con.execute(
        f"SELECT hk, count(*) - 1 FROM (SELECT hash({keys}) AS hk FROM {_source(files)})"
        " GROUP BY hk HAVING count(*) > 1 ORDER BY hk"
    ).fetchall()
    if not repeated:
        return 0, []
    wanted = ", ".join(str(int(h)) for h, _ in repeated[:5])
    examples = [
        " ".join(str(v) for v in row)
        for row in con.execute(
            f"SELECT DISTINCT {keys} FROM {_source(files)} WHERE hash({keys}) IN ({wanted})"
            " ORDER BY ALL LIMIT 5"
        ).fetchall()
    ]
    return sum(int(extra) for _, extra in repeated), examples
