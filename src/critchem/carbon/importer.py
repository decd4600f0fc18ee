"""Read PACT v3 product footprints from JSON, CSV or Excel, keeping good rows and naming bad ones.

JSON: a list of ProductFootprint objects, a ``{"data": [...]}`` envelope (as ``ListFootprints``
answers) or one object. Each object is a *row*, numbered from 1.

CSV: one footprint per line, one column per field, named by the specification's JSON path:
top-level fields by their name (``id``, ``companyName``), the carbon footprint's with a
``pcf.`` prefix (``pcf.fossilGhgEmissions``) and nested objects likewise
(``pcf.dqi.technologicalDQR``). Lists (``companyIds``, ``productIds``,
``pcf.crossSectoralStandards`` ...) hold their items separated by ``;``. An empty cell is an
absent field. Rows are numbered from 1 (the header is line 1, row 1 is line 2).

Excel (``.xlsx``): the CSV layout on the first sheet (header in row 1; dates may be Excel dates,
read as UTC).

Every error names the file, the row and the field, and the counts reconcile:
``read == valid + rejected``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from critchem.carbon.models import ProductFootprint
from critchem.core.errors import CarbonInputError

LIST_SEPARATOR = ";"
_LIST_FIELDS = {
    "precedingPfIds",
    "companyIds",
    "productIds",
    "productClassifications",
    "pcf.ipccCharacterizationFactors",
    "pcf.crossSectoralStandards",
}


class RowError(BaseModel):
    """One problem in one row: which row, which field, what is wrong."""

    row: int
    field: str
    message: str


class ImportReport(BaseModel):
    """The outcome of reading one file: what was read, kept and rejected, and why."""

    source: str
    sha256: str
    format: str
    read: int
    valid: int
    rejected: int
    errors: list[RowError]
    footprints: list[ProductFootprint]


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(row)"


def _errors(row: int, exc: ValidationError) -> list[RowError]:
    return [
        RowError(row=row, field=_field_path(err["loc"]), message=err["msg"])
        for err in exc.errors(include_url=False)
    ]


def _nest(flat: dict[str, str]) -> dict[str, Any]:
    """Turn ``{"pcf.dqi.temporalDQR": "2"}`` into ``{"pcf": {"dqi": {"temporalDQR": "2"}}}``."""
    nested: dict[str, Any] = {}
    for key, raw in flat.items():
        if key is None or raw is None:
            continue
        value = raw.strip()
        if value == "":
            continue
        item: Any = value
        if key in _LIST_FIELDS:
            item = [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
        elif value.lower() in {"true", "false"}:
            item = value.lower() == "true"
        target = nested
        *parents, leaf = key.strip().split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = item
    return nested


def _records_json(text: str, source: str) -> list[Any]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CarbonInputError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if isinstance(payload, dict) and "data" in payload:
        payload = payload["data"]
    if isinstance(payload, dict):
        return [payload]
    if not isinstance(payload, list):
        raise CarbonInputError(
            f"{source}: expected a footprint, a list of footprints or {{'data': [...]}}"
        )
    return payload


def _records_csv(text: str, source: str) -> list[Any]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise CarbonInputError(
            f"{source}: the CSV header must name the footprint fields (e.g. id, companyName, "
            "pcf.fossilGhgEmissions); column 'id' is missing"
        )
    return [_nest(row) for row in reader]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
        return stamp.isoformat().replace("+00:00", "Z")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _records_xlsx(data: bytes, source: str) -> list[Any]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a broken file
        raise CarbonInputError(f"{source}: not a readable Excel workbook ({exc})") from exc
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    header = [_cell_text(h).strip() for h in rows[0]] if rows else []
    if "id" not in header:
        raise CarbonInputError(
            f"{source}: row 1 of the first sheet must name the footprint fields; 'id' is missing"
        )
    records = []
    for row in rows[1:]:
        if all(v is None or _cell_text(v).strip() == "" for v in row):
            continue
        records.append(_nest({h: _cell_text(v) for h, v in zip(header, row, strict=False) if h}))
    return records


def parse_footprints(text: str | bytes, fmt: str, *, source: str = "<input>") -> ImportReport:
    """Validate footprints given as JSON, CSV (text) or Excel (bytes); layouts: module docstring."""
    raw = text.encode() if isinstance(text, str) else text
    if fmt == "xlsx":
        records = _records_xlsx(raw, source)
    elif fmt in {"json", "csv"}:
        try:
            decoded = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CarbonInputError(f"{source}: not UTF-8 text") from exc
        records = (_records_json if fmt == "json" else _records_csv)(decoded, source)
    else:
        raise CarbonInputError(f"{source}: unknown format {fmt!r} (json, csv or xlsx)")
    footprints: list[ProductFootprint] = []
    errors: list[RowError] = []
    rejected = 0
    seen: dict[str, int] = {}
    for row, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            errors.append(RowError(row=row, field="(row)", message="not a JSON object"))
            rejected += 1
            continue
        try:
            footprint = ProductFootprint.model_validate(record)
        except ValidationError as exc:
            errors.extend(_errors(row, exc))
            rejected += 1
            continue
        key = str(footprint.id)
        if key in seen:
            errors.append(RowError(row=row, field="id", message=f"duplicate of row {seen[key]}"))
            rejected += 1
            continue
        seen[key] = row
        footprints.append(footprint)
    digest = hashlib.sha256(raw).hexdigest()
    return ImportReport(
        source=source,
        sha256=digest,
        format=fmt,
        read=len(records),
        valid=len(footprints),
        rejected=rejected,
        errors=errors,
        footprints=footprints,
    )


def read_footprints(path: Path, fmt: str | None = None) -> ImportReport:
    """Read and validate the footprints of ``path`` (format from ``fmt`` or the extension)."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CarbonInputError(f"{path}: cannot be read ({exc.strerror})") from exc
    return parse_footprints(data, kind, source=path.name)
