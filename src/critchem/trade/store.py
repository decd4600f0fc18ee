"""The trade store: partitioned Parquet flows plus a DuckDB catalogue of loads.

Layout under ``root`` (see ``_layout``; the schema is ``FLOW_SCHEMA``)::

    flows/<source>/<freq>/<year>/<load_id>-<n>.parquet
    flows/_manifest.json  the committed files
    catalogue.duckdb      tables loads, load_files, supersessions, quarantine; view flows

A load writes into ``staging/<load_id>`` first. Once the counts reconcile it is recorded
(``committing``, with its files) before its files are moved into ``flows``, then marked
``loaded`` in one transaction; the ``flows`` view lists the files of committed loads only.
A newer file's rows replace the older rows of the same slices (``_supersede``). One ingest
runs at a time per store (a second fails with a message); each ingest first sweeps what an
interrupted one left behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import TracebackType

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from critchem.core.errors import CritchemError, IngestError
from critchem.trade import _catalogue, _duplicates, _layout, _supersede
from critchem.trade._parquet import PartitionWriter
from critchem.trade.loads import FAILED, LOADED, SKIPPED, LoadReport
from critchem.trade.sources import TradeSource, detect_source, get_source
from critchem.trade.sources.base import REJECT_SCHEMA

CATALOGUE = "catalogue.duckdb"
FLOWS = _layout.FLOWS
STAGING = _layout.STAGING
COMMITTING = "committing"
_HASH_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def retrieved_at(path: Path) -> str:
    """When the file was retrieved: from the downloader's sidecar JSON, else its mtime."""
    sidecar = path.with_name(path.name + ".json")
    if sidecar.is_file():
        try:
            value = json.loads(sidecar.read_text(encoding="utf-8")).get("retrieved_at")
        except (OSError, ValueError):
            value = None
        if isinstance(value, str) and value:
            return value
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat()


def critchem_version() -> str:
    """The installed critchem version (``unknown`` when not installed)."""
    try:
        return metadata.version("critchem")
    except metadata.PackageNotFoundError:
        return "unknown"


def _new_load_id(sha256: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{sha256[:8]}-{uuid.uuid4().hex[:4]}"


class TradeStore:
    """Canonical trade flows on disk, with the provenance of every load.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as root, TradeStore(root) as store:
    ...     store.flows().count("*").fetchall()
    [(0,)]
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._connection: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> TradeStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The catalogue connection (opened on first use)."""
        if self._connection is None:
            self._connection = _catalogue.connect(self.root / CATALOGUE)
            self._upgrade_layout(self._connection)
            _catalogue.refresh_view(self._connection, self.root / FLOWS)
        return self._connection

    def _upgrade_layout(self, connection: duckdb.DuckDBPyConnection) -> None:
        """Move a store of the former ``key=value`` layout to plain folders, once."""
        moves = _layout.legacy_files(self.root)
        if not moves:
            return
        loaded = {
            str(r[0])
            for r in connection.execute(
                "SELECT load_id FROM loads WHERE status = 'loaded'"
            ).fetchall()
        }
        files: list[tuple[str, str, int]] = []
        for old, new in moves:
            load_id = old.stem.rsplit("-", 1)[0]
            if load_id not in loaded:
                continue
            new.parent.mkdir(parents=True, exist_ok=True)
            old.replace(new)
            rows = pq.ParquetFile(new).metadata.num_rows
            files.append((load_id, new.relative_to(self.root / FLOWS).as_posix(), rows))
        connection.execute("BEGIN TRANSACTION")
        for load_id, rel, rows in files:
            _catalogue.record_files(connection, load_id, [(rel, rows)])
        connection.execute("COMMIT")
        _layout.write_manifest(self.root, _catalogue.live_files(connection))

    def close(self) -> None:
        """Close the catalogue connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def flows(self) -> duckdb.DuckDBPyRelation:
        """All stored flows (``FLOW_SCHEMA``) as a DuckDB relation; filter on ``freq``."""
        return self.connection.table("flows")

    def loads(self) -> duckdb.DuckDBPyRelation:
        """The catalogue of loads, newest last."""
        return self.connection.sql("SELECT * FROM loads ORDER BY ingested_at")

    def load_files(self, load_id: str, *, freq: str | None = None) -> list[Path]:
        """The committed flow files of one load (of one frequency when ``freq`` is given)."""
        rows = self.connection.execute(
            "SELECT path FROM load_files WHERE load_id = ? ORDER BY path", [load_id]
        ).fetchall()
        paths = [str(r[0]) for r in rows]
        if freq is not None:
            paths = [p for p in paths if p.split("/")[1:2] == [freq]]
        return [self.root / FLOWS / p for p in paths]

    def rows(self, *, source: str, freq: str) -> pa.Table:
        """Every stored row of ``source`` at frequency ``freq`` (``FLOW_SCHEMA``)."""
        return (
            self.connection.table("flows")
            .filter(duckdb.ColumnExpression("source") == duckdb.ConstantExpression(source))
            .filter(duckdb.ColumnExpression("freq") == duckdb.ConstantExpression(freq))
            .to_arrow_table()
        )

    def committed_loads(self) -> list[str]:
        """The ids of the committed (``loaded``) loads, oldest first."""
        rows = self.connection.execute(
            "SELECT load_id FROM loads WHERE status = 'loaded' ORDER BY ingested_at"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def products_of(self, load_ids: list[str], *, freq: str) -> pa.Table:
        """The distinct ``(source, product)`` pairs of the rows of ``load_ids`` at ``freq``."""
        files = [str(p) for load_id in load_ids for p in self.load_files(load_id, freq=freq)]
        if not files:
            return pa.table(
                {"source": pa.array([], pa.string()), "product": pa.array([], pa.string())}
            )
        with duckdb.connect() as con:
            rel = con.sql(
                "SELECT DISTINCT source, product FROM read_parquet($files)",
                params={"files": files},
            )
            return rel.to_arrow_table()

    def complete_months(self, pairs: pa.Table) -> pa.Table:
        """The monthly rows of the ``(source, product)`` pairs, in months every reporter published.

        Product codes masked for confidentiality are left out. A month that only some
        reporters have published yet (the newest months of Comext arrive reporter by
        reporter) would make an EU27 sum collapse: such months are left out until complete.
        """
        con = self.connection
        con.register("wanted_pairs", pairs)
        try:
            return con.sql(
                """
                WITH rows AS (
                    SELECT f.* FROM flows f JOIN wanted_pairs s USING (source, product)
                    WHERE f.freq = 'M' AND NOT f.product_masked
                ),
                coverage AS (
                    SELECT source, period, count(DISTINCT reporter) AS reporters
                    FROM rows GROUP BY source, period
                ),
                complete AS (
                    SELECT source, period FROM coverage c
                    WHERE reporters = (SELECT max(reporters) FROM coverage m
                                       WHERE m.source = c.source)
                )
                SELECT rows.* FROM rows JOIN complete USING (source, period)
                """
            ).to_arrow_table()
        finally:
            con.unregister("wanted_pairs")

    def quarantine(self, load_id: str) -> duckdb.DuckDBPyRelation:
        """The rejected rows of one load, by file line."""
        return self.connection.sql(
            "SELECT row_number, raw, reason FROM quarantine WHERE load_id = $id"
            " ORDER BY row_number",
            params={"id": load_id},
        )

    def ingest(
        self, path: str | Path, *, source: str | TradeSource = "auto", progress: bool = True
    ) -> LoadReport:
        """Parse a trade file and store its flows; bad rows go to quarantine.

        Parameters
        ----------
        path
            The file (plain, ``.gz`` or ``.7z``).
        source
            A registered source name, a configured ``TradeSource``, or ``"auto"`` to detect
            the layout from the header line.
        progress
            Show a progress bar and print the reconciliation line.

        Returns
        -------
        LoadReport
            Status ``loaded``, or ``skipped`` when a file with the same SHA-256 was loaded
            before (then the earlier load is reported and nothing is written).

        Raises
        ------
        IngestError
            When the counts do not reconcile or the files cannot be written (the failed load
            is recorded with its error; nothing of it is visible in ``flows``).
        TradeFormatError
            When the file is not in the source's layout.
        """
        path = Path(path)
        with _layout.ingest_lock(self.root):
            self._sweep()
            return self._ingest(path, source, progress)

    def _sweep(self) -> None:
        """Fail interrupted loads and delete files and staging no committed load owns."""
        connection = self.connection
        connection.execute(
            "UPDATE loads SET status = 'failed', error = 'interrupted before its commit'"
            " WHERE status = 'committing'"
        )
        live = _catalogue.live_files(connection)
        _layout.sweep(self.root, set(live))
        _layout.write_manifest(self.root, live)

    def _ingest(self, path: Path, source: str | TradeSource, progress: bool) -> LoadReport:
        started = time.perf_counter()
        if not path.is_file():
            raise IngestError(f"{path}: no such file")
        # The file is hashed on a thread of its own (hashlib releases the GIL) while the
        # parser is found and Arrow is made ready; a layout error counts only for a new file.
        problem: CritchemError | None = None
        with ThreadPoolExecutor(1, thread_name_prefix="critchem-sha256") as pool:
            hashing = pool.submit(file_sha256, path)
            try:
                parser = _resolve(source, path)
                _warm_up_arrow()
            except CritchemError as refused:
                problem = refused
            sha256 = hashing.result()
        earlier = _catalogue.find_loaded(self.connection, sha256)
        if earlier is not None:
            report = _skipped(earlier, path)
            if progress:
                _say(report.summary())
            return report
        if problem is not None:
            raise problem
        load_id = _new_load_id(sha256)
        staging = self.root / STAGING / load_id
        counts = {"read": 0, "stored": 0, "quarantined": 0}
        rejected: list[pa.RecordBatch] = []
        held: dict[Path, list[pa.RecordBatch]] = {}
        keys: dict[Path, list[pa.RecordBatch]] = {}
        error: BaseException | None = None
        try:
            with PartitionWriter(staging, load_id) as writer, _bar(path, progress) as advance:
                for batch in parser.parse(path):
                    writer.write(batch.flows)
                    counts["read"] += batch.rows_read
                    counts["stored"] += batch.rows_stored
                    counts["quarantined"] += batch.rejected.num_rows
                    if batch.rejected.num_rows:
                        rejected.append(batch.rejected)
                    advance(batch.progress)
            flows_written = writer.rows_written
            held, keys = writer.held, writer.keys
        except BaseException as caught:
            error = caught
            flows_written = 0
        report = LoadReport(
            load_id=load_id,
            status=LOADED,
            source=parser.name,
            path=str(path.resolve()),
            file_sha256=sha256,
            file_size=path.stat().st_size,
            retrieved_at=retrieved_at(path),
            ingested_at=datetime.now(UTC).isoformat(),
            parser=type(parser).__name__,
            parser_version=parser.version,
            critchem_version=critchem_version(),
            rows_read=counts["read"],
            rows_stored=counts["stored"],
            rows_quarantined=counts["quarantined"],
            flows_written=flows_written,
            seconds=round(time.perf_counter() - started, 3),
        )
        if error is None and not report.reconciles:
            error = IngestError(
                f"{path}: counts do not reconcile: {report.summary()} (difference"
                f" {report.rows_read - report.rows_stored - report.rows_quarantined})"
            )
        if error is not None:
            self._fail(report, staging, error)
        report = self._commit(report, staging, rejected, held, keys)
        if progress:
            _say(report.summary())
        return report

    def _fail(self, report: LoadReport, staging: Path, error: BaseException) -> None:
        shutil.rmtree(staging, ignore_errors=True)
        failed = replace(report, status=FAILED, flows_written=0, files=())
        _catalogue.record_load(self.connection, failed, error=f"{type(error).__name__}: {error}")
        if isinstance(error, CritchemError) or not isinstance(error, Exception):
            raise error
        raise IngestError(f"{report.path}: load {report.load_id} failed: {error}") from error

    def _commit(
        self,
        report: LoadReport,
        staging: Path,
        rejected: list[pa.RecordBatch],
        held: dict[Path, list[pa.RecordBatch]],
        keys: dict[Path, list[pa.RecordBatch]],
    ) -> LoadReport:
        flows_root = self.root / FLOWS
        connection = self.connection
        found = _duplicates.resolve(sorted(staging.rglob("*.parquet")), held, report.load_id, keys)
        staged = sorted(staging.rglob("*.parquet"))
        relative = [p.relative_to(staging).as_posix() for p in staged]
        sizes = [
            (rel, pq.ParquetFile(p).metadata.num_rows)
            for rel, p in zip(relative, staged, strict=True)
        ]
        report = replace(
            report,
            files=tuple(str(flows_root / rel) for rel in relative),
            flows_written=sum(n for _, n in sizes),
            duplicate_copies=found.exact_copies,
            conflicting_keys=found.conflicting_keys,
        )
        older = connection.execute(
            "SELECT f.load_id, f.path FROM load_files f JOIN loads l USING (load_id)"
            " WHERE l.status = 'loaded'"
        ).fetchall()
        moved: list[Path] = []
        rewrites: list[_supersede.Rewrite] = []
        try:
            # 1. recorded before published: a crash from here on leaves a 'committing' load
            connection.execute("BEGIN TRANSACTION")
            _catalogue.record_load(connection, replace(report, status=COMMITTING))
            _catalogue.record_files(connection, report.load_id, sizes)
            _catalogue.insert_quarantine(
                connection, report.load_id, pa.Table.from_batches(rejected, schema=REJECT_SCHEMA)
            )
            connection.execute("COMMIT")
            # 2. publish the files, 3. rewrite older files that the new rows supersede
            for source_file, rel in zip(staged, relative, strict=True):
                target = flows_root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                source_file.replace(target)
                moved.append(target)
            rewrites = _supersede.plan(flows_root, moved, [(str(a), str(b)) for a, b in older])
            # 4. one transaction: the load is committed and the older files swapped
            connection.execute("BEGIN TRANSACTION")
            for r in rewrites:
                connection.execute("DELETE FROM load_files WHERE path = ?", [r.old])
                if r.new is not None:
                    _catalogue.record_files(connection, r.load_id, [(r.new, r.rows_left)])
                connection.execute(
                    "INSERT INTO supersessions VALUES (?, ?, ?)",
                    [r.load_id, report.load_id, r.rows_dropped],
                )
            connection.execute(
                "UPDATE loads SET status = 'loaded' WHERE load_id = ?", [report.load_id]
            )
            connection.execute("COMMIT")
            report = replace(report, rows_superseded=sum(r.rows_dropped for r in rewrites))
        except BaseException as error:
            with suppress(duckdb.Error):
                connection.rollback()
            with suppress(duckdb.Error):
                connection.execute(
                    "UPDATE loads SET status = 'failed', error = ? WHERE load_id = ?",
                    [f"{type(error).__name__}: {error}", report.load_id],
                )
            for target in moved:
                target.unlink(missing_ok=True)
            for r in rewrites:
                if r.new is not None:
                    (flows_root / r.new).unlink(missing_ok=True)
            raise IngestError(
                f"{report.path}: cannot record load {report.load_id}: {error}"
            ) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        for r in rewrites:  # the catalogue points at the new files: the old ones go
            (flows_root / r.old).unlink(missing_ok=True)
        _layout.write_manifest(self.root, _catalogue.live_files(connection))
        _catalogue.refresh_view(connection, flows_root)
        return report


def _warm_up_arrow() -> None:
    """Make pyarrow import pandas now (it does on its first ``pa.array``, in about half a second).

    Done while the file is hashed, rather than on the reading thread for the first block
    with the whole pipeline waiting for it.
    """
    pa.array([0], pa.int64())


def _say(line: str) -> None:
    Console(stderr=True, highlight=False).print(line, soft_wrap=True, markup=False)


def _resolve(source: str | TradeSource, path: Path) -> TradeSource:
    if isinstance(source, TradeSource):
        return source
    if source == "auto":
        return detect_source(path)
    return get_source(source)


def _skipped(earlier: LoadReport, path: Path) -> LoadReport:
    return replace(earlier, status=SKIPPED, path=str(path.resolve()), seconds=0.0)


@contextmanager
def _bar(path: Path, show: bool) -> Iterator[Callable[[float], object]]:
    if not show:
        yield lambda fraction: None
        return
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"ingest {path.name}", total=1.0)
        yield lambda fraction: bar.update(task, completed=min(max(fraction, 0.0), 1.0))
