"""Writing canonical flows as partitioned Parquet files, in a background thread.

Layout: ``<root>/<source>/<freq>/<year>/<load_id>-<n>.parquet``. Every column, the partition
columns included, is inside each file with its one type (``FLOW_SCHEMA``); the folders are
plain names, not ``key=value``, so no reader infers partition columns of another type.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from critchem.trade._duplicates import CopyFilter
from critchem.trade.schema import COMPRESSION, COMPRESSION_LEVEL, DICTIONARY_COLUMNS, FLOW_SCHEMA

MAX_ROWS_PER_FILE = 20_000_000

Partition = tuple[str, str, int]
"""(source, freq, year)."""


def partition_dir(root: Path, partition: Partition) -> Path:
    """The folder of one partition under ``root``."""
    source, freq, year = partition
    return root / source / freq / str(year)


def split_by_partition(batch: pa.RecordBatch) -> list[tuple[Partition, pa.RecordBatch]]:
    """Split a batch of flows by (source, freq, year); one piece in the usual case."""
    if batch.num_rows == 0:
        return []
    sources = pc.unique(batch.column("source")).to_pylist()
    freqs = pc.unique(batch.column("freq")).to_pylist()
    low, high = pc.min_max(batch.column("year")).values()
    if len(sources) == 1 and len(freqs) == 1 and low == high:
        return [((sources[0], freqs[0], int(low.as_py())), batch)]
    keys = pa.Table.from_batches([batch.select(["source", "freq", "year"])])
    pieces = []
    for key in keys.group_by(["source", "freq", "year"]).aggregate([]).to_pylist():
        mask = pc.and_(
            pc.and_(
                pc.equal(batch.column("source"), key["source"]),
                pc.equal(batch.column("freq"), key["freq"]),
            ),
            pc.equal(batch.column("year"), key["year"]),
        )
        pieces.append(((key["source"], key["freq"], int(key["year"])), batch.filter(mask)))
    return pieces


class PartitionWriter:
    """Writes batches of flows into partition files under ``root``, off the calling thread.

    Use as a context manager; ``write`` queues a batch, ``close`` (on exit) flushes and
    returns. An error in the writing thread is raised by the next ``write`` or by ``close``.
    """

    def __init__(
        self, root: Path, load_id: str, *, max_rows_per_file: int = MAX_ROWS_PER_FILE
    ) -> None:
        self.root = root
        self.load_id = load_id
        self.max_rows_per_file = max_rows_per_file
        self.files: list[Path] = []
        self.rows_written = 0
        self.held: dict[Path, list[pa.RecordBatch]] = {}
        """Rows held back as candidate exact copies, by partition folder (see ``_duplicates``)."""
        self.keys: dict[Path, list[pa.RecordBatch]] = {}
        """Key columns of written rows whose key was (perhaps) seen before: candidate conflicts."""
        self._copies = CopyFilter()
        self._writers: dict[Partition, tuple[pq.ParquetWriter, int, int]] = {}
        self._queue: queue.Queue[pa.RecordBatch | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="critchem-parquet", daemon=True)
        self._thread.start()

    def __enter__(self) -> PartitionWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def write(self, batch: pa.RecordBatch) -> None:
        """Queue a batch of flows for writing."""
        self._raise_pending()
        if batch.num_rows:
            self._queue.put(batch)

    def close(self) -> None:
        """Flush every file and stop the writing thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise_pending()

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if self._error is None:
                    for partition, piece in split_by_partition(batch):
                        self._write(partition, piece)
        except BaseException as error:  # handed to the calling thread
            self._error = error
            while self._queue.get() is not None:
                pass
        finally:
            for writer, _, _ in self._writers.values():
                writer.close()
            self._writers.clear()
            self._copies.close()

    def _write(self, partition: Partition, batch: pa.RecordBatch) -> None:
        admitted = self._copies.admit(batch)
        folder = partition_dir(self.root, partition)
        if admitted.held is not None:
            self.held.setdefault(folder, []).append(admitted.held)
        if admitted.keys is not None:
            self.keys.setdefault(folder, []).append(admitted.keys)
        if admitted.rows.num_rows:
            self._write_rows(partition, admitted.rows)

    def _write_rows(self, partition: Partition, batch: pa.RecordBatch) -> None:
        writer, number, rows = self._writers.get(partition, (None, -1, 0))
        if writer is None or rows >= self.max_rows_per_file:
            if writer is not None:
                writer.close()
            number += 1
            folder = partition_dir(self.root, partition)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{self.load_id}-{number}.parquet"
            writer = pq.ParquetWriter(
                path,
                FLOW_SCHEMA,
                compression=COMPRESSION,
                compression_level=COMPRESSION_LEVEL,
                use_dictionary=DICTIONARY_COLUMNS,
            )
            self.files.append(path)
            rows = 0
        writer.write_batch(batch)
        self._writers[partition] = (writer, number, rows + batch.num_rows)
        self.rows_written += batch.num_rows
