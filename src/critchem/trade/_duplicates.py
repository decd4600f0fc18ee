"""Duplicate keys of one load: exact copies dropped, conflicting values reported.

A flow's key is ``KEY``: one reporter's trade with one partner in one product, flow,
statistical procedure and period. Within a load, a row repeated exactly is stored once (the
copies are counted); two rows with one key and different figures are both kept and
reported, since which one is right cannot be told from the file.

Method, in bounded memory, without rewriting a file or reading the files back when the
load has no repeated key:

1. while the rows are written, ``CopyFilter`` gives each row a 64-bit hash of its key
   (``KeyHasher``: each distinct value of a key column gets a number once, and the numbers
   of a row are mixed with NumPy, so no step runs per row in Python) and holds back every
   row whose key hash was seen before in the load (the hashes seen are kept as a few
   sorted arrays, 8 bytes a row). Every written row therefore has a key of its own;
2. after writing, the held rows are joined on the key with the written rows (one DuckDB
   scan, only when rows were held): a held row equal in every column to the written row of
   its key, or to an earlier held row, is a copy and is dropped; the others are written to
   one more file. A held row whose key no written row has (two keys with one hash) is
   simply kept: nothing is dropped on a hash alone;
3. a key on ``n`` distinct stored rows is ``n - 1`` conflicting rows; only the keys of the
   held rows can have more than one, so the conflicts are counted from them (five examples).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from critchem.trade.schema import COMPRESSION, COMPRESSION_LEVEL, DICTIONARY_COLUMNS, FLOW_SCHEMA

KEY = (
    "source", "reporter", "partner", "trade_type", "product", "flow", "stat_procedure",
    "freq", "period",
)  # fmt: skip
"""The columns that identify one flow."""

MEMORY_LIMIT = "64MB"
"""DuckDB's memory limit while held rows are compared; beyond it DuckDB spills to disk."""

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_FINAL_1 = np.uint64(0xBF58476D1CE4E5B9)
_FINAL_2 = np.uint64(0x94D049BB133111EB)
_MASK = (1 << 64) - 1

BLOOM_WORDS = 1 << 22
"""64-bit words of ``CopyFilter``'s Bloom filter (32 MiB, whatever the size of the file)."""
BLOOM_BITS = 4
"""Bits set per key, all in one word (a blocked Bloom filter: one memory access a row)."""


def _mix(h: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place on a ``uint64`` array (wraps modulo 2**64)."""
    h ^= h >> np.uint64(30)
    h *= _FINAL_1
    h ^= h >> np.uint64(27)
    h *= _FINAL_2
    h ^= h >> np.uint64(31)
    return h


def _text_number(text: str) -> int:
    """The number of one text value: its UTF-8 bytes as an integer when at most 8, else a hash.

    Must equal what ``_fixed_width`` computes for a column of values of one width.
    """
    data = text.encode()
    if len(data) <= 8:
        return (int.from_bytes(data, "little") + len(data) * int(_MULTIPLIER)) & _MASK
    return hash(text) & _MASK  # stable within the process, which is all a load needs


def _fixed_width(values: pa.Array) -> np.ndarray | None:
    """``_text_number`` of every value of a string column whose values all have one width <= 8.

    The string data of such a column is one fixed-width record per row: read as integers
    with NumPy, no value is looked at in Python.
    """
    n = len(values)
    if n == 0 or values.null_count or not pa.types.is_string(values.type):
        return None
    _, offsets_buffer, data_buffer = values.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, n + 1, values.offset * 4)
    width = int(offsets[1] - offsets[0])
    if width > 8 or int(offsets[-1] - offsets[0]) != n * width:
        return None
    if width and not np.array_equal(np.diff(offsets), np.full(n, width, np.int32)):
        return None
    if width == 0:
        return np.zeros(n, np.uint64)
    raw = np.frombuffer(data_buffer, np.uint8, n * width, int(offsets[0])).reshape(n, width)
    padded = np.zeros((n, 8), np.uint8)
    padded[:, :width] = raw
    numbers = padded.view("<u8").reshape(n).astype(np.uint64)
    numbers += np.uint64((width * int(_MULTIPLIER)) & _MASK)
    return numbers


class KeyHasher:
    """A 64-bit hash of the key columns of each row, stable within one load.

    A value's number is its bytes (text of at most 8 bytes), its integer, or a hash; null is
    0. A row's numbers are mixed column after column (SplitMix64). Equal keys get equal
    hashes; different keys share one with odds of about 2**-64 a pair. Columns of codes of
    one width are read as integers with NumPy; others are dictionary-encoded, and only their
    distinct values are numbered in Python.

    >>> hasher = KeyHasher(("a", "b"))
    >>> h = hasher(pa.record_batch({"a": ["x", "y", "x"], "b": [1, 1, 1]}))
    >>> bool(h[0] == h[2]), bool(h[0] == h[1])
    (True, False)
    """

    def __init__(self, columns: Sequence[str] = KEY) -> None:
        self.columns = tuple(columns)
        self._numbers: dict[object, int] = {}

    def _numbered(self, entry: object) -> int:
        found = self._numbers.get(entry)
        if found is None:
            found = _text_number(entry) if isinstance(entry, str) else hash(entry) & _MASK
            if len(self._numbers) < 1 << 20:
                self._numbers[entry] = found
        return found

    def _column(self, values: pa.Array) -> np.ndarray:
        if pa.types.is_integer(values.type):
            shifted = pc.fill_null(pc.add(pc.cast(values, pa.int64()), 1), 0)  # null: 0
            return np.asarray(shifted.to_numpy(zero_copy_only=False)).astype(np.uint64)
        fixed = _fixed_width(values)
        if fixed is not None:
            return fixed
        encoded = pc.dictionary_encode(values)
        entries = encoded.dictionary.to_pylist()
        table = np.array([*(self._numbered(e) for e in entries), 0], np.uint64)  # 0: null
        indices = pc.fill_null(encoded.indices, len(entries))
        picked: np.ndarray = table[indices.to_numpy(zero_copy_only=False)]
        return picked

    def __call__(self, batch: pa.RecordBatch) -> np.ndarray:
        """The key hash of every row of ``batch``."""
        h = np.zeros(batch.num_rows, np.uint64)
        for name in self.columns:
            h ^= self._column(batch.column(name))
            h *= _MULTIPLIER
            h ^= h >> np.uint64(29)
        return _mix(h)


class CopyFilter:
    """Holds back the rows of a load whose key hash was (perhaps) seen before.

    The key hashes seen are kept in a blocked Bloom filter of fixed size (``BLOOM_WORDS``):
    memory does not grow with the file. A hash the filter says it has seen is a repeated
    key (a copy or a conflicting figure) or, rarely, a false positive; either way the row
    is only held, and ``resolve`` compares it with the written rows, so nothing is dropped
    on the filter's word. Used by one thread (the writing thread). ``admit`` returns the
    rows to write now; the rest are kept in ``held`` until ``resolve``.
    """

    def __init__(self) -> None:
        self._hasher = KeyHasher()
        self._words: np.ndarray | None = None
        self.held: list[pa.RecordBatch] = []

    def _seen(self, hashes: np.ndarray) -> np.ndarray:
        """Which of ``hashes`` the filter may have seen; then adds them all."""
        if self._words is None:
            self._words = np.zeros(BLOOM_WORDS, np.uint64)
        words = self._words
        slot = (hashes & np.uint64(BLOOM_WORDS - 1)).astype(np.intp)
        mask = np.zeros(len(hashes), np.uint64)
        for i in range(BLOOM_BITS):
            bit = (hashes >> np.uint64(40 + 6 * i)) & np.uint64(63)
            mask |= np.uint64(1) << bit
        seen: np.ndarray = (words[slot] & mask) == mask
        todo = ~seen
        while todo.any():  # two rows of one slot in a batch: the last write won, set the other
            words[slot[todo]] |= mask[todo]
            todo &= (words[slot] & mask) != mask
        return seen

    def admit(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The rows of ``batch`` whose key is new; the others are held back."""
        if batch.num_rows == 0:
            return batch
        hashes = self._hasher(batch)
        hold = self._seen(hashes)
        ranked = np.sort(hashes)
        repeated = ranked[1:][ranked[1:] == ranked[:-1]]
        if len(repeated):  # a key repeated within the batch: all but its first row
            positions = np.flatnonzero(np.isin(hashes, repeated))
            _, first = np.unique(hashes[positions], return_index=True)
            again = np.ones(len(positions), dtype=bool)
            again[first] = False
            hold[positions[again]] = True
        if not hold.any():
            return batch
        self.held.append(batch.filter(pa.array(hold)))
        return batch.filter(pa.array(~hold))

    def close(self) -> None:
        """Free the filter (the held rows stay)."""
        self._words = None


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


def resolve(
    staged: list[Path], held: dict[Path, list[pa.RecordBatch]] | None = None, load_id: str = ""
) -> Duplicates:
    """Drop the held rows that copy a stored row, keep the others, and count the conflicts.

    ``held`` maps a partition folder to the rows ``CopyFilter`` held back while its files
    were written (every written row has a key of its own). Held rows that are not copies
    are written to one more file of their folder (``<load_id>-<n>.parquet``, after the
    writer's files). Without held rows nothing is read.
    """
    held = {folder: rows for folder, rows in (held or {}).items() if rows}
    if not held:
        return Duplicates(0, 0, ())
    files_of: dict[Path, list[Path]] = {}
    for path in staged:
        files_of.setdefault(path.parent, []).append(path)
    exact = conflicting = 0
    examples: list[str] = []
    spill = next(iter(held)) / ".spill"
    spill.mkdir(parents=True, exist_ok=True)
    try:
        with _connect(spill) as con:
            for folder, rows in held.items():
                found = _verify_held(con, files_of.get(folder, []), rows, folder, load_id)
                exact += found.exact_copies
                conflicting += found.conflicting_keys
                examples.extend(found.examples)
    finally:
        for leftover in spill.glob("*"):
            leftover.unlink(missing_ok=True)
        spill.rmdir()
    return Duplicates(exact, conflicting, tuple(sorted(examples)[:5]))


FETCHED_ROWS = 10_000
"""Written rows fetched by position at most; beyond, held rows are compared in one full join."""


def _matches(
    con: duckdb.DuckDBPyConnection, files: list[Path], numbered: pa.Table
) -> tuple[np.ndarray, np.ndarray]:
    """For each held row: whether a written row has its key, and whether it equals it.

    The written files are joined on the key columns alone (the figures are not read); the
    few written rows found are then read by their position and compared in every column.
    """
    n = numbered.num_rows
    key_written = np.zeros(n, dtype=bool)
    same = np.zeros(n, dtype=bool)
    on = " AND ".join(f"f.{c} IS NOT DISTINCT FROM h.{c}" for c in KEY)
    equal = " AND ".join(
        f"f.{c} IS NOT DISTINCT FROM h.{c}" for c in FLOW_SCHEMA.names if c not in KEY
    )
    con.register("held", numbered)
    try:
        for file in files:
            scan = f"read_parquet({_listed([file])}, hive_partitioning = false, file_row_number = true)"
            pairs = con.execute(
                f"SELECT h.held_row, f.file_row_number FROM held h JOIN {scan} f ON {on}"
            ).fetchall()
            if not pairs:
                continue
            if len(pairs) > FETCHED_ROWS:
                found = con.execute(
                    f"SELECT h.held_row, {equal} FROM held h JOIN {scan} f ON {on}"
                ).fetchall()
            else:
                positions = ", ".join(str(int(position)) for _, position in pairs)
                found = con.execute(
                    f"SELECT h.held_row, {equal} FROM (SELECT * FROM {scan}"
                    f" WHERE file_row_number IN ({positions})) f JOIN held h ON {on}"
                ).fetchall()
            for row, equal_row in found:
                key_written[int(row)] = True
                same[int(row)] |= bool(equal_row)
    finally:
        con.unregister("held")
    return key_written, same


def _verify_held(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    rows: list[pa.RecordBatch],
    folder: Path,
    load_id: str,
) -> Duplicates:
    """Drop the held rows that copy a written or an earlier held row; write the others."""
    table = pa.Table.from_batches(rows).cast(FLOW_SCHEMA)
    numbered = table.append_column("held_row", pa.array(np.arange(table.num_rows), pa.int64()))
    key_written, same = _matches(con, files, numbered)
    rest = numbered.filter(pa.array(~same))
    firsts = (
        rest.group_by(list(FLOW_SCHEMA.names), use_threads=False)
        .aggregate([("held_row", "min")])
        .column("held_row_min")
    )
    keep = np.sort(np.asarray(firsts.to_numpy(), dtype=np.int64))
    copies = table.num_rows - len(keep)
    if not len(keep):
        return Duplicates(copies, 0, ())
    kept = table.take(pa.array(keep))
    keys = kept.select(list(KEY)).append_column(
        "written", pa.array(key_written[keep].astype(np.int64))
    )
    per_key = keys.group_by(list(KEY), use_threads=False).aggregate(
        [("written", "max"), ("written", "count")]
    )
    rows_of_key = pc.add(per_key.column("written_max"), per_key.column("written_count"))
    extra = pc.subtract(rows_of_key, 1)
    conflicting = int(pc.sum(extra).as_py() or 0)
    repeated = per_key.filter(pc.greater(extra, 0)).select(list(KEY)).to_pylist()
    ordered = sorted(
        (tuple(row[c] for c in KEY) for row in repeated),
        key=lambda values: tuple((v is None, v if v is not None else 0) for v in values),
    )
    examples = tuple(" ".join(str(v) for v in values) for values in ordered[:5])
    path = folder / f"{load_id}-{len(files)}.parquet"  # the writer numbers files from 0
    pq.write_table(
        kept,
        path,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=DICTIONARY_COLUMNS,
    )
    return Duplicates(copies, conflicting, examples)
