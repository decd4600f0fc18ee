"""The DuckDB catalogue of a trade store: loads, quarantined rows, and the ``flows`` view."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

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
    """Open (creating if needed) the catalogue database."""
    connection = duckdb.connect(str(path))
    connection.execute(SCHEMA_SQL)
    return connection


def empty_flows_sql() -> str:
    """A typed, empty ``SELECT`` with the columns of ``FLOW_SCHEMA``."""
    columns = ", ".join(
        f"CAST(NULL AS {_DUCKDB_TYPES[field.type]}) AS {field.name}" for field in FLOW_SCHEMA
    )
    return f"SELECT {columns} WHERE false"


def refresh_view(connection: duckdb.DuckDBPyConnection, flows_root: Path) -> None:
    """(Re)define the ``flows`` view over the Parquet files under ``flows_root``."""
    if any(flows_root.glob("source=*/freq=*/year=*/*.parquet")):
        pattern = (flows_root / "source=*" / "freq=*" / "year=*" / "*.parquet").as_posix()
        names = ", ".join(FLOW_SCHEMA.names)
        literal = pattern.replace("'", "''")
        body = f"SELECT {names} FROM read_parquet('{literal}', hive_partitioning = false)"
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
