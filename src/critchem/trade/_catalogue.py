"""The DuckDB catalogue of a trade store: loads, quarantined rows, and the ``flows`` view."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from critchem.core.errors import IngestError
from critchem.trade.loads import LoadReport
from critchem.trade.schema import FLOW_SCHEMA

_DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.bool_(): "BOOLEAN",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.date32(): "DATE",
    pa.float64(): "DOUBLE",
}

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS loads (
    load_id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    file_size BIGINT NOT NULL,
    retrieved_at TIMESTAMP,  -- UTC
    ingested_at TIMESTAMP NOT NULL,  -- UTC
    parser VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    critchem_version VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_stored BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    flows_written BIGINT NOT NULL,
    status VARCHAR NOT NULL,
    error VARCHAR,
    seconds DOUBLE
);
CREATE TABLE IF NOT EXISTS load_files (
    load_id VARCHAR NOT NULL,
    path VARCHAR NOT NULL,  -- relative to flows/
    rows BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS supersessions (
    load_id VARCHAR NOT NULL,  -- the older load whose rows were replaced
    superseded_by VARCHAR NOT NULL,
    rows BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS quarantine (
    load_id VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,
    raw VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
);
"""

LOAD_COLUMNS = (
    "load_id", "source", "path", "file_sha256", "file_size", "retrieved_at", "ingested_at",
    "parser", "parser_version", "critchem_version", "rows_read", "rows_stored",
    "rows_quarantined", "flows_written", "status", "error", "seconds",
)  # fmt: skip


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the catalogue database; a busy one is a clear error."""
    try:
        connection = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        raise IngestError(
            f"the trade store catalogue {path.name} is in use by another process "
            f"({str(exc).splitlines()[0]}); wait for it to finish and try again"
        ) from None
    connection.execute(SCHEMA_SQL)
    return connection


def live_files(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The files (relative to ``flows``) of every committed load."""
    rows = connection.execute(
        "SELECT f.path FROM load_files f JOIN loads l USING (load_id)"
        " WHERE l.status = 'loaded' ORDER BY f.path"
    ).fetchall()
    return [str(r[0]) for r in rows]


def record_files(
    connection: duckdb.DuckDBPyConnection, load_id: str, files: list[tuple[str, int]]
) -> None:
    """Insert the ``load_files`` rows of one load: (path relative to ``flows``, rows)."""
    if files:
        connection.executemany(
            "INSERT INTO load_files VALUES (?, ?, ?)", [[load_id, p, n] for p, n in files]
        )


def empty_flows_sql() -> str:
    """A typed, empty ``SELECT`` with the columns of ``FLOW_SCHEMA``."""
    columns = ", ".join(
        f"CAST(NULL AS {_DUCKDB_TYPES[field.type]}) AS {field.name}" for field in FLOW_SCHEMA
    )
    return f"SELECT {columns} WHERE false"


def refresh_view(connection: duckdb.DuckDBPyConnection, flows_root: Path) -> None:
    """(Re)define the ``flows`` view over the files of the committed loads (not a glob)."""
    files = [(flows_root / name).as_posix() for name in live_files(connection)]
    if files:
        names = ", ".join(FLOW_SCHEMA.names)
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        body = f"SELECT {names} FROM read_parquet([{listed}], hive_partitioning = false)"
    else:
        body = empty_flows_sql()
    connection.execute(f"CREATE OR REPLACE VIEW flows AS {body}")


def find_loaded(connection: duckdb.DuckDBPyConnection, sha256: str) -> LoadReport | None:
    """The successful load of a file with this sha256, if any."""
    row = connection.execute(
        f"SELECT {', '.join(LOAD_COLUMNS)} FROM loads"
        " WHERE file_sha256 = ? AND status = 'loaded' ORDER BY ingested_at LIMIT 1",
        [sha256],
    ).fetchall()
    if not row:
        return None
    data = dict(zip(LOAD_COLUMNS, row[0], strict=True))
    return LoadReport(
        load_id=data["load_id"],
        status=data["status"],
        source=data["source"],
        path=data["path"],
        file_sha256=data["file_sha256"],
        file_size=int(data["file_size"]),
        retrieved_at=_iso(data["retrieved_at"]),
        ingested_at=_iso(data["ingested_at"]),
        parser=data["parser"],
        parser_version=data["parser_version"],
        critchem_version=data["critchem_version"],
        rows_read=int(data["rows_read"]),
        rows_stored=int(data["rows_stored"]),
        rows_quarantined=int(data["rows_quarantined"]),
        flows_written=int(data["flows_written"]),
        seconds=float(data["seconds"] or 0.0),
    )


def _iso(value: object) -> str:
    """A stored UTC timestamp as ISO 8601 with its offset."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    return str(value or "")


def _utc(text: str) -> datetime | None:
    """An ISO 8601 time as a naive UTC datetime (how the catalogue stores times)."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def record_load(
    connection: duckdb.DuckDBPyConnection, report: LoadReport, error: str | None = None
) -> None:
    """Insert the ``loads`` row of a report."""
    values = [
        report.load_id, report.source, report.path, report.file_sha256, report.file_size,
        _utc(report.retrieved_at), _utc(report.ingested_at), report.parser, report.parser_version,
        report.critchem_version, report.rows_read, report.rows_stored, report.rows_quarantined,
        report.flows_written, report.status, error, report.seconds,
    ]  # fmt: skip
    marks = ", ".join("?" for _ in LOAD_COLUMNS)
    connection.execute(f"INSERT INTO loads ({', '.join(LOAD_COLUMNS)}) VALUES ({marks})", values)


def insert_quarantine(
    connection: duckdb.DuckDBPyConnection, load_id: str, rejected: pa.Table
) -> None:
    """Append rejected rows (``REJECT_SCHEMA``) of one load to ``quarantine``."""
    if rejected.num_rows == 0:
        return
    connection.register("_rejected", rejected)
    try:
        connection.execute(
            "INSERT INTO quarantine SELECT ?, row_number, raw, reason FROM _rejected", [load_id]
        )
    finally:
        connection.unregister("_rejected")
