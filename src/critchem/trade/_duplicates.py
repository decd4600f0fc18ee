"""Duplicate keys of one load: exact copies dropped, conflicting values reported.

A flow's key is ``KEY``: one reporter's trade with one partner in one product, flow,
statistical procedure and period. Within a load, a row repeated exactly is stored once (the
copies are counted); two rows with one key and different figures are both kept and
reported, since which one is right cannot be told from the file.

Method, in bounded memory, without rewriting a file:

1. while the rows are written, ``CopyFilter`` gives each row two 64-bit hashes, one of its
   key and one of the whole row (``KeyHasher``: each distinct value of a column gets a number
   once, and the numbers of a row are mixed with NumPy, so no step runs per row in Python),
   each kept in a Bloom filter of fixed size. A row whose whole-row hash was (perhaps) seen
   before is held back: a candidate copy. A written row whose key hash was (perhaps) seen
   before is a candidate conflict: its key is noted (the key columns only);
2. after writing, the held rows are joined on the key with the written rows and the written
   rows found are compared in every column: a held row equal to a written row, or to an
   earlier held row, is a copy and is dropped; the others (the filter's false positives)
   are written to one more file, so nothing is dropped on a hash alone;
3. every stored row is now distinct, so a key on ``n`` stored rows is ``n - 1`` conflicting
   rows: the noted keys are counted in the stored files (one scan of the key columns, only
   when a key was noted; five examples). A false positive of the key filter is a key
   counted once, so no conflict.
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

BLOOM_WORDS = 1 << 21
"""64-bit words of each of ``CopyFilter``'s two Bloom filters (16 MiB each, whatever the file)."""
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
        if pa.types.is_floating(values.type):
            floats = pc.fill_null(pc.cast(values, pa.float64()), 0.0)
            plain = np.asarray(floats.to_numpy(zero_copy_only=False), np.float64) + 0.0  # -0.0
            numbers = plain.view(np.uint64) + np.uint64(1)
            if values.null_count:
                numbers[~np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False))] = 0
            return numbers
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

    def __call__(self, batch: pa.RecordBatch, start: np.ndarray | None = None) -> np.ndarray:
        """The hash of the columns of every row of ``batch`` (mixed into ``start`` if given)."""
        h = np.zeros(batch.num_rows, np.uint64) if start is None else start.copy()
        for name in self.columns:
            h ^= self._column(batch.column(name))
            h *= _MULTIPLIER
            h ^= h >> np.uint64(29)
        return _mix(h)


class _Bloom:
    """A blocked Bloom filter of 64-bit hashes: ``BLOOM_WORDS`` words, one memory access a hash."""

    def __init__(self) -> None:
        self._words: np.ndarray | None = None

    def seen(self, hashes: np.ndarray) -> np.ndarray:
        """Which of ``hashes`` the filter may have seen; then adds them all."""
        if self._words is None:
            self._words = np.zeros(BLOOM_WORDS, np.uint64)
        words = self._words
        slot = (hashes & np.uint64(BLOOM_WORDS - 1)).astype(np.intp)
        mask = np.zeros(len(hashes), np.uint64)
        for i in range(BLOOM_BITS):
            bit = (hashes >> np.uint64(40 + 6 * i)) & np.uint64(63)
            mask |= np.uint64(1) << bit
        found: np.ndarray = (words[slot] & mask) == mask
        todo = ~found
        while todo.any():  # two rows of one slot in a batch: the last write won, set the other
            words[slot[todo]] |= mask[todo]
            todo &= (words[slot] & mask) != mask
        return found

    def close(self) -> None:
        self._words = None


def _repeats(hashes: np.ndarray) -> np.ndarray:
    """Which rows repeat the hash of an earlier row of the same batch."""
    again = np.zeros(len(hashes), dtype=bool)
    ranked = np.sort(hashes)
    repeated = ranked[1:][ranked[1:] == ranked[:-1]]
    if len(repeated):
        positions = np.flatnonzero(np.isin(hashes, repeated))
        _, first = np.unique(hashes[positions], return_index=True)
        again[positions] = True
        again[positions[first]] = False
    return again


_HASHED = ("value", "net_mass_kg", "suppl_quantity", "suppl_unit", "currency", "partner_kind")
"""The columns hashed with the key for the whole-row hash (the others follow from them)."""


@dataclass(frozen=True, slots=True)
class Admitted:
    """What ``CopyFilter.admit`` made of one batch."""

    rows: pa.RecordBatch
    """The rows to write now."""
    held: pa.RecordBatch | None
    """Rows whose whole-row hash was (perhaps) seen: candidate copies."""
    keys: pa.RecordBatch | None
    """The key columns of written rows whose key hash was (perhaps) seen: candidate conflicts."""


class CopyFilter:
    """Sorts the rows of a load into new rows, candidate copies and candidate conflicts.

    The hashes seen are kept in two Bloom filters of fixed size (``BLOOM_WORDS`` words each,
    16 MiB): memory does not grow with the file. What a filter says it has seen is checked
    after writing (``resolve``), so nothing is dropped or reported on a filter's word. Used
    by one thread (the writing thread).
    """

    def __init__(self) -> None:
        self._keys = KeyHasher(KEY)
        self._rows = KeyHasher(_HASHED)
        self._key_filter = _Bloom()
        self._row_filter = _Bloom()

    def admit(self, batch: pa.RecordBatch) -> Admitted:
        """Split ``batch`` into the rows to write, candidate copies and candidate conflicts."""
        if batch.num_rows == 0:
            return Admitted(batch, None, None)
        keys = self._keys(batch)
        rows = self._rows(batch, keys)
        hold = self._row_filter.seen(rows) | _repeats(rows)
        conflict = (self._key_filter.seen(keys) | _repeats(keys)) & ~hold
        noted = batch.filter(pa.array(conflict)).select(list(KEY)) if conflict.any() else None
        if not hold.any():
            return Admitted(batch, None, noted)
        return Admitted(batch.filter(pa.array(~hold)), batch.filter(pa.array(hold)), noted)

    def close(self) -> None:
        """Free the filters."""
        self._key_filter.close()
        self._row_filter.close()


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
    staged: list[Path],
    held: dict[Path, list[pa.RecordBatch]] | None = None,
    load_id: str = "",
    keys: dict[Path, list[pa.RecordBatch]] | None = None,
) -> Duplicates:
    """Drop the held rows that copy a stored row, keep the others, and count the conflicts.

    ``held`` maps a partition folder to the rows ``CopyFilter`` held back while its files
    were written, ``keys`` to the key columns of the written rows it noted as candidate
    conflicts. Held rows that are not copies are written to one more file of their folder
    (``<load_id>-<n>.parquet``, after the writer's files). With neither, nothing is read.
    """
    held = {folder: rows for folder, rows in (held or {}).items() if rows}
    keys = {folder: found for folder, found in (keys or {}).items() if found}
    folders = sorted(set(held) | set(keys))
    if not folders:
        return Duplicates(0, 0, ())
    files_of: dict[Path, list[Path]] = {}
    for path in staged:
        files_of.setdefault(path.parent, []).append(path)
    exact = conflicting = 0
    examples: list[str] = []
    spill = folders[0] / ".spill"
    spill.mkdir(parents=True, exist_ok=True)
    try:
        with _connect(spill) as con:
            for folder in folders:
                files = files_of.get(folder, [])
                noted = list(keys.get(folder, []))
                if folder in held:
                    copies, kept = _verify_held(con, files, held[folder], folder, load_id)
                    exact += copies
                    if kept is not None:
                        files = [*files, kept[0]]
                        noted.append(kept[1])
                if noted and files:
                    count, found = _conflicts(con, files, noted)
                    conflicting += count
                    examples.extend(found)
    finally:
        for leftover in spill.glob("*"):
            leftover.unlink(missing_ok=True)
        spill.rmdir()
    return Duplicates(exact, conflicting, tuple(sorted(examples)[:5]))


FETCHED_ROWS = 10_000
"""Written rows fetched by position at most; beyond, held rows are compared in one full join."""


def _same(con: duckdb.DuckDBPyConnection, files: list[Path], numbered: pa.Table) -> np.ndarray:
    """For each held row: whether a written row equals it in every column.

    The written files are joined on the key columns alone (the figures are not read); the
    few written rows found are then read by their position and compared in every column.
    """
    same = np.zeros(numbered.num_rows, dtype=bool)
    on = " AND ".join(f"f.{c} IS NOT DISTINCT FROM h.{c}" for c in KEY)
    equal = " AND ".join(
        f"f.{c} IS NOT DISTINCT FROM h.{c}" for c in FLOW_SCHEMA.names if c not in KEY
    )
    con.register("held", numbered)
    try:
        for file in files:
            scan = (
                f"read_parquet({_listed([file])}, hive_partitioning = false,"
                " file_row_number = true)"
            )
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
                same[int(row)] |= bool(equal_row)
    finally:
        con.unregister("held")
    return same


def _verify_held(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    rows: list[pa.RecordBatch],
    folder: Path,
    load_id: str,
) -> tuple[int, tuple[Path, pa.RecordBatch] | None]:
    """Drop the held rows that copy a written or an earlier held row; write the others.

    Returns the number of copies, and the file written with the key columns of its rows.
    """
    table = pa.Table.from_batches(rows).cast(FLOW_SCHEMA)
    numbered = table.append_column("held_row", pa.array(np.arange(table.num_rows), pa.int64()))
    same = _same(con, files, numbered)
    rest = numbered.filter(pa.array(~same))
    firsts = (
        rest.group_by(list(FLOW_SCHEMA.names), use_threads=False)
        .aggregate([("held_row", "min")])
        .column("held_row_min")
    )
    keep = np.sort(np.asarray(firsts.to_numpy(), dtype=np.int64))
    copies = table.num_rows - len(keep)
    if not len(keep):
        return copies, None
    kept = table.take(pa.array(keep))
    path = folder / f"{load_id}-{len(files)}.parquet"  # the writer numbers files from 0
    pq.write_table(
        kept,
        path,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=DICTIONARY_COLUMNS,
    )
    return copies, (path, kept.select(list(KEY)).combine_chunks().to_batches()[0])


NOTED_KEYS = 50_000
"""Noted keys joined with the stored rows at most; beyond, stored rows are counted by key hash."""


def _conflicts(
    con: duckdb.DuckDBPyConnection, files: list[Path], noted: list[pa.RecordBatch]
) -> tuple[int, list[str]]:
    """Conflicting rows of the noted keys (``n - 1`` for a key on ``n`` rows), examples.

    A few keys are joined with the stored rows on the key columns. Many (a file with many
    conflicting figures) are matched by DuckDB's 64-bit hash of the key instead, which keeps
    the join within DuckDB's memory limit; two keys of one hash would then count as one
    conflict more (odds about 1 in 10^19 a pair).
    """
    wanted = pa.Table.from_batches(noted).group_by(list(KEY), use_threads=False).aggregate([])
    source = f"read_parquet({_listed(files)}, hive_partitioning = false)"
    keys = ", ".join(KEY)
    con.register("wanted", wanted)
    try:
        if wanted.num_rows <= NOTED_KEYS:
            on = " AND ".join(f"f.{c} IS NOT DISTINCT FROM w.{c}" for c in KEY)
            columns = ", ".join(f"w.{c}" for c in KEY)
            repeated = con.execute(
                f"SELECT {columns}, count(*) FROM wanted w JOIN {source} f ON {on}"
                " GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL"
            ).fetchall()
            examples = [" ".join(str(v) for v in row[:-1]) for row in repeated[:5]]
            return sum(int(row[-1]) - 1 for row in repeated), examples
        counts = con.execute(
            f"SELECT hk, count(*) FROM (SELECT hash({keys}) AS hk FROM {source})"
            f" WHERE hk IN (SELECT hash({keys}) FROM wanted)"
            " GROUP BY hk HAVING count(*) > 1 ORDER BY hk"
        ).fetchall()
    finally:
        con.unregister("wanted")
    if not counts:
        return 0, []
    first = ", ".join(str(int(h)) for h, _ in counts[:5])
    examples = [
        " ".join(str(v) for v in row)
        for row in con.execute(
            f"SELECT DISTINCT {keys} FROM {source} WHERE hash({keys}) IN ({first})"
            " ORDER BY ALL LIMIT 5"
        ).fetchall()
    ]
    return sum(int(n) - 1 for _, n in counts), examples
