"""Streaming a delimited trade file in blocks of string columns, keeping track of file lines.

Arrow's streaming CSV reader parses one block at a time (never the whole file). Every field is
read as a string, so no value is lost or coerced before validation. A row with the wrong
number of fields is not an error of the file: it is handed back as a rejected row with its
line number, and the rows around it are kept.
"""

from __future__ import annotations

import codecs
import io
import queue
import threading
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from critchem.core.errors import TradeFormatError
from critchem.trade.sources._archive import Input, open_input, read_header
from critchem.trade.sources.base import REJECT_SCHEMA

DEFAULT_BLOCK_SIZE = 4 << 20
"""Bytes of text parsed per block (about 50,000 Comext rows; smaller blocks in flight keep
the memory of an ingest low, larger ones were not faster)."""


@dataclass(slots=True)
class _InvalidRows:
    """Rows with the wrong number of fields, collected while Arrow parses a block.

    Arrow calls the handler from its own reading thread, which parses the next block while
    the previous one is handed over: a row may be added while ``drain`` runs. The rows are
    therefore kept in one list of whole entries, taken and replaced under a lock, so an entry
    added during a drain lands in the next one instead of being lost or torn apart.
    """

    expected: int
    entries: list[tuple[int, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, row: pacsv.InvalidRow) -> str:
        found = row.actual_columns
        try:
            text = row.text
        except UnicodeDecodeError:  # a line in another encoding (latin-1, UTF-16 ...)
            text = "(not UTF-8 text)"
        what = "a blank line" if not text.strip() else f"{found} fields"
        line = int(row.number) if row.number is not None else -1
        entry = (line, text, f"expected {self.expected} fields, found {what}")
        with self.lock:
            self.entries.append(entry)
        return "skip"

    def drain(self) -> pa.RecordBatch:
        """The rows collected since the last call, as rejected rows."""
        with self.lock:
            taken, self.entries = self.entries, []
        lines, raws, reasons = zip(*taken, strict=True) if taken else ((), (), ())
        return pa.RecordBatch.from_arrays(
            [
                pa.array(lines, pa.int64()),
                pa.array(raws, pa.string()),
                pa.array(reasons, pa.string()),
            ],
            schema=REJECT_SCHEMA,
        )


@dataclass(frozen=True, slots=True)
class Block:
    """One parsed block: the rows that had the right shape, and those that did not."""

    rows: pa.RecordBatch
    """All columns as strings, in the layout's column order."""
    malformed: pa.RecordBatch
    """Rows with the wrong number of fields (``REJECT_SCHEMA``)."""
    first_line: int
    """File line of the first candidate row of this block."""
    skipped: np.ndarray
    """File lines (sorted) of malformed rows at or after ``first_line``."""
    progress: float

    @property
    def rows_read(self) -> int:
        """Rows of the file consumed by this block."""
        return int(self.rows.num_rows + self.malformed.num_rows)

    def lines(self, positions: np.ndarray) -> np.ndarray:
        """The file lines of the rows at ``positions`` in ``rows``.

        The ``j``-th good row sits on line ``first_line + j + k`` where ``k`` is the number of
        malformed lines before it; with ``s_i`` the sorted malformed lines, ``k`` is the count
        of ``s_i - i - first_line <= j``.
        """
        positions = positions.astype(np.int64)
        shifted = self.skipped - np.arange(len(self.skipped)) - self.first_line
        return self.first_line + positions + np.searchsorted(shifted, positions, side="right")


def check_header(path: Path, header: str, expected: Sequence[str], delimiter: str = ",") -> None:
    """Raise ``TradeFormatError`` unless ``header`` has exactly the ``expected`` columns."""
    found = [name.strip().strip('"') for name in header.split(delimiter)]
    if found == list(expected):
        return
    missing = [name for name in expected if name not in found]
    extra = [name for name in found if name not in expected]
    detail = []
    if missing:
        detail.append("missing " + ", ".join(missing))
    if extra:
        detail.append("unexpected " + ", ".join(extra))
    if not detail:
        detail.append("columns in another order")
    raise TradeFormatError(
        f"{path}: line 1 (header) does not match the layout: " + "; ".join(detail)
    )


def read_blocks(
    path: Path,
    columns: Sequence[str],
    *,
    delimiter: str = ",",
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> Iterator[Block]:
    """Stream ``path`` (plain, ``.gz`` or ``.7z``) as blocks of string columns.

    The header is checked against ``columns`` first (``TradeFormatError`` if it differs).
    Parsing runs one block ahead in a background thread (Arrow releases the GIL), so the
    caller's work on a block overlaps with the parsing of the next.
    """
    header = read_header(path)
    check_header(path, header, columns, delimiter)
    block_size = max(block_size, 2 * len(header.encode()) + 2)  # a block must hold the header
    with open_input(path) as source:
        prefetch = _Prefetch(path, source, columns, delimiter, block_size)
        yield from _numbered(prefetch, delimiter)


def _numbered(prefetch: _Prefetch, delimiter: str) -> Iterator[Block]:
    """The parsed blocks with their line numbers, blank and non-UTF-8 lines set apart."""
    next_line = 2
    pending: list[int] = []
    with prefetch as parsed:
        for rows, malformed, progress in parsed:
            pending.extend(malformed.column("row_number").to_pylist())
            skipped = np.array(sorted(line for line in pending if line >= next_line), np.int64)
            block = _without_blank_lines(Block(rows, malformed, next_line, skipped, progress))
            if not prefetch.all_utf8:  # a byte read so far is not UTF-8: check each value
                block = _without_bad_text(block, delimiter)
            pending.extend(sorted(set(block.skipped.tolist()) - set(skipped.tolist())))
            if block.rows.num_rows:
                next_line = int(block.lines(np.array([block.rows.num_rows - 1]))[0]) + 1
            else:  # only malformed rows: skip the run of them that starts here
                taken = set(pending)
                while next_line in taken:
                    next_line += 1
            pending = [line for line in pending if line >= next_line]
            yield block


def _not_utf8(column: pa.Array) -> np.ndarray | None:
    """Which values of a string column are not valid UTF-8 (``None``: all are)."""
    try:
        column.validate(full=True)
        return None
    except pa.ArrowInvalid:
        pass
    bad = np.zeros(len(column), dtype=bool)
    for i, value in enumerate(column.cast(pa.binary()).to_pylist()):
        if value is not None:
            try:
                value.decode("utf-8")
            except UnicodeDecodeError:
                bad[i] = True
    return bad


def _without_bad_text(block: Block, delimiter: str) -> Block:
    """Move rows that are not UTF-8 text (a latin-1 line, say) to the malformed rows."""
    rows = block.rows
    bad = np.zeros(rows.num_rows, dtype=bool)
    for column in rows.columns:
        found = _not_utf8(column)
        if found is not None:
            bad |= found
    if not bad.any():
        return block
    lines = block.lines(np.flatnonzero(bad))
    picked = rows.filter(pa.array(bad))
    raws = [
        delimiter.join(v.decode("utf-8", errors="replace") for v in values if isinstance(v, bytes))
        for values in zip(*(c.cast(pa.binary()).to_pylist() for c in picked.columns), strict=True)
    ]
    found_rows = pa.RecordBatch.from_arrays(
        [
            pa.array(lines, pa.int64()),
            pa.array(raws, pa.string()),
            pa.array(["the line is not UTF-8 text (another encoding?)"] * len(lines)),
        ],
        schema=REJECT_SCHEMA,
    )
    malformed = pa.Table.from_batches([block.malformed, found_rows]).sort_by("row_number")
    return Block(
        rows.filter(pa.array(~bad)),
        malformed.combine_chunks().to_batches()[0],
        block.first_line,
        np.sort(np.concatenate([block.skipped, lines])),
        block.progress,
    )


def _without_blank_lines(block: Block) -> Block:
    """Move rows read from blank lines (every field empty) to the malformed rows."""
    rows = block.rows
    if rows.num_rows == 0 or rows.num_columns == 0:
        return block
    first = rows.column(0)
    if not pc.any(pc.equal(first, "")).as_py():
        return block
    blank = np.ones(rows.num_rows, dtype=bool)
    for column in rows.columns:
        blank &= np.asarray(pc.equal(column, "").to_numpy(zero_copy_only=False), dtype=bool)
    if not blank.any():
        return block
    lines = block.lines(np.flatnonzero(blank))
    found = pa.RecordBatch.from_arrays(
        [
            pa.array(lines, pa.int64()),
            pa.array([""] * len(lines), pa.string()),
            pa.array([f"expected {rows.num_columns} fields, found a blank line"] * len(lines)),
        ],
        schema=REJECT_SCHEMA,
    )
    malformed = pa.Table.from_batches([block.malformed, found]).sort_by("row_number")
    return Block(
        rows.filter(pa.array(~blank)),
        malformed.combine_chunks().to_batches()[0] if malformed.num_rows else block.malformed,
        block.first_line,
        np.sort(np.concatenate([block.skipped, lines])),
        block.progress,
    )


_Parsed = tuple[pa.RecordBatch, pa.RecordBatch, float]
_END = None


READ_AHEAD = 3
"""Blocks of raw text Arrow may read ahead of the blocks consumed (bounds memory)."""


class _Metered(io.RawIOBase):
    """A byte stream that lets its reader run at most ``READ_AHEAD`` reads ahead.

    Arrow's streaming CSV reader reads its input in a background thread with a queue of
    up to 32 blocks; on a fast disk and a slower consumer that queue fills and memory grows
    with the file. Each ``readinto`` takes a credit, each consumed block gives one back; the
    wait has a timeout (``WAIT``), so a reader that needs one more read than foreseen is
    slowed, never stopped. A read that went ahead without a credit is owed: the next consumed
    block repays it instead of adding a credit, so the bound holds however often the wait
    times out (a plain semaphore would gain one credit per timeout, and the read-ahead would
    grow again with the file on a loaded machine).
    """

    WAIT = 1.0
    """Seconds a read waits for a credit before it goes ahead owing one."""

    def __init__(self, stream: pa.NativeFile) -> None:
        super().__init__()
        self._stream = stream
        self._credits = threading.Semaphore(READ_AHEAD)
        self._owing = 0
        self._lock = threading.Lock()
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.all_utf8 = True
        """Whether every byte read so far is UTF-8 text (checked as it is read)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if not self._credits.acquire(timeout=self.WAIT):
            with self._lock:
                self._owing += 1
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        if self.all_utf8 and (not data.isascii() or self._decoder.getstate()[0]):
            try:
                self._decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                self.all_utf8 = False
        return len(data)

    def consumed(self) -> None:
        """One block was taken by the consumer: one more read may go ahead (or a debt is paid)."""
        with self._lock:
            if self._owing:
                self._owing -= 1
                return
        self._credits.release()


class _Prefetch:
    """Parses blocks in a background thread, one ahead of the consumer."""

    def __init__(
        self, path: Path, source: Input, columns: Sequence[str], delimiter: str, block_size: int
    ) -> None:
        self._path = path
        self._source = source
        self._columns = list(columns)
        self._invalid = _InvalidRows(expected=len(columns))
        self._options = (
            pacsv.ReadOptions(
                use_threads=False,  # single-threaded parsing gives rows their line numbers
                block_size=block_size,
                skip_rows=1,
                column_names=list(columns),
            ),
            pacsv.ParseOptions(
                delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=self._invalid
            ),
            pacsv.ConvertOptions(
                column_types={name: pa.string() for name in columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,  # a line in another encoding is rejected alone, below
            ),
        )
        self._queue: queue.Queue[_Parsed | BaseException | None] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="critchem-csv", daemon=True)
        self._metered = _Metered(source.stream)

    @property
    def all_utf8(self) -> bool:
        """Whether every byte read so far is UTF-8 text."""
        return self._metered.all_utf8

    def __enter__(self) -> Iterator[_Parsed]:
        self._thread.start()
        return self._iterate()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.05)
            except queue.Empty:
                continue
        self._thread.join()

    def _put(self, item: _Parsed | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        parsed = self._parse()
        try:
            for item in parsed:
                if not self._put(item):
                    return
            self._put(_END)
        except BaseException as error:  # handed to the consuming thread
            self._put(error)
        finally:
            parsed.close()  # stops Arrow's reading thread before this one ends

    def _parse(self) -> Generator[_Parsed, None, None]:
        read_options, parse_options, convert_options = self._options
        try:
            reader = pacsv.open_csv(
                pa.PythonFile(self._metered, mode="r"),
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
        except pa.ArrowInvalid as error:
            if "Empty CSV file" in str(error):
                return
            raise TradeFormatError(
                f"{self._path}: cannot be read as delimited text ({error})"
            ) from error
        try:
            while True:
                try:
                    rows = reader.read_next_batch()
                except StopIteration:
                    break
                except pa.ArrowInvalid as error:
                    raise TradeFormatError(f"{self._path}: unreadable text ({error})") from error
                yield rows, self._invalid.drain(), self._source.progress()
        finally:
            reader.close()
        # Arrow has parsed every block: the handler is called no more, nothing is left behind.
        malformed = self._invalid.drain()
        if malformed.num_rows:
            empty = pa.RecordBatch.from_arrays(
                [pa.array([], pa.string()) for _ in self._columns], names=self._columns
            )
            yield empty, malformed, 1.0

    def _iterate(self) -> Iterator[_Parsed]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            self._metered.consumed()
            yield item
