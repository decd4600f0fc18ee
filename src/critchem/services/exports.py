"""Machine-readable exports of result rows: CSV, Parquet and Excel, shared by the CLI and the API.

Screen formatting (thousand separators, rounding) is for tables only. Here numbers keep their
full precision, dates are ISO 8601 and text cells that a spreadsheet would run as a formula are
neutralised with :func:`critchem.spreadsheet.neutralise` (OWASP "CSV injection": a leading
``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import math
from collections.abc import Sequence
from typing import Any

from critchem.spreadsheet import neutralise

EXPORT_FORMATS = ("csv", "parquet", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
"""The media type of each export (Parquet: registered with IANA in 2024)."""


def _scalar(value: Any) -> Any:
    """One value as a plain Python scalar: enums by value, containers as JSON text."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def csv_cell(value: Any) -> str:
    """A CSV cell: raw numbers (no separators, full precision), ISO dates, empty for none.

    >>> [csv_cell(v) for v in (137269710.0, 0.123456789, None, dt.date(2025, 11, 1), True)]
    ['137269710.0', '0.123456789', '', '2025-11-01', 'true']
    """
    value = _scalar(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float | int):
        return repr(value)
    return neutralise(str(value))


def columns_of(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> list[str]:
    """``columns`` or every key met in ``rows``, in first-seen order."""
    if columns is not None:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """The rows as CSV text with a header line."""
    cols = columns_of(rows, columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in cols])
    return buffer.getvalue()


def to_arrow(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> Any:
    """The rows as a ``pyarrow.Table``; a column of mixed types is kept as text."""
    import pyarrow as pa

    cols = columns_of(rows, columns)
    arrays = []
    for col in cols:
        values = [_scalar(row.get(col)) for row in rows]
        try:
            arrays.append(pa.array(values))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays.append(pa.array([None if v is None else str(v) for v in values]))
    return pa.Table.from_arrays(arrays, names=cols)


def to_parquet(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> bytes:
    """The rows as a Parquet file (bytes)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(to_arrow(rows, columns), sink)
    return bytes(sink.getvalue().to_pybytes())


def to_xlsx(
    rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, *, sheet: str = "data"
) -> bytes:
    """The rows as an Excel workbook (bytes): real numbers and dates, neutralised text."""
    from openpyxl import Workbook

    cols = columns_of(rows, columns)
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.append(cols)
    for row in rows:
        cells = []
        for col in cols:
            value = _scalar(row.get(col))
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            if isinstance(value, str):
                value = neutralise(value)
            cells.append(value)
        ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> bytes:
    """The rows in ``fmt`` (csv, parquet or xlsx) as bytes."""
    if fmt == "csv":
        return to_csv(rows, columns).encode()
    if fmt == "parquet":
        return to_parquet(rows, columns)
    if fmt == "xlsx":
        return to_xlsx(rows, columns)
    from critchem.core.errors import CritchemError

    raise CritchemError(f"Unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
