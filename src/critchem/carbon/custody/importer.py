"""Read chain-of-custody records from JSON or CSV, naming the row and field of every error.

JSON: a list of record objects (the fields of ``RecordIn``), or ``{"records": [...]}``.
CSV: one record per line, one column per field of ``RecordIn``; an empty cell is an absent
field. Two fields hold lists: ``inputs`` as ``RECORD=QUANTITY`` items separated by ``;``
(``r-1=60;r-2=40``), and the certificate as the four columns ``certificate_scheme``,
``certificate_number``, ``certificate_valid_from``, ``certificate_valid_to`` (one certificate
per CSV row; JSON takes any number). Rows are numbered from 1 (in CSV, row 1 is line 2).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from critchem.carbon.custody.book import RowError
from critchem.carbon.custody.schemas import RecordIn
from critchem.core.errors import CarbonInputError

CERTIFICATE_COLUMNS = {
    "certificate_scheme": "scheme",
    "certificate_number": "number",
    "certificate_valid_from": "valid_from",
    "certificate_valid_to": "valid_to",
}


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "record"


def _csv_row(cells: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        k: v for k, v in cells.items() if v.strip() and k not in CERTIFICATE_COLUMNS
    }
    if "inputs" in data:
        items = []
        for part in data["inputs"].split(";"):
            if not part.strip():
                continue
            record, sep, quantity = part.partition("=")
            items.append({"record": record.strip(), "quantity": quantity.strip() if sep else ""})
        data["inputs"] = items
    certificate = {
        name: cells[col].strip()
        for col, name in CERTIFICATE_COLUMNS.items()
        if (cells.get(col) or "").strip()
    }
    if certificate:
        data["certificates"] = [certificate]
    return data


def parse_rows(text: str, fmt: str) -> list[dict[str, Any]]:
    """The raw rows of a JSON or CSV text; ``CarbonInputError`` if the file is unreadable as such."""
    if fmt == "json":
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CarbonInputError(f"not valid JSON ({exc})") from exc
        if isinstance(payload, dict) and isinstance(payload.get("records"), list):
            payload = payload["records"]
        if not isinstance(payload, list):
            raise CarbonInputError('give a list of records, or {"records": [...]}')
        return [r if isinstance(r, dict) else {"__not_an_object__": r} for r in payload]
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise CarbonInputError("the CSV file has no header")
    known = set(RecordIn.model_fields) | set(CERTIFICATE_COLUMNS)
    unknown = [c for c in reader.fieldnames if c not in known]
    if unknown:
        raise CarbonInputError(
            f"unknown column(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
        )
    return [_csv_row({k: v or "" for k, v in row.items() if k is not None}) for row in reader]


def validate_rows(raw: list[dict[str, Any]]) -> tuple[list[tuple[int, RecordIn]], list[RowError]]:
    """The valid records (row number, record) and every field error of the others."""
    good: list[tuple[int, RecordIn]] = []
    errors: list[RowError] = []
    for row, data in enumerate(raw, start=1):
        if "__not_an_object__" in data:
            errors.append(RowError(row=row, field="record", message="not an object"))
            continue
        try:
            good.append((row, RecordIn.model_validate(data)))
        except ValidationError as exc:
            errors.extend(
                RowError(row=row, field=_where(e["loc"]), message=e["msg"])
                for e in exc.errors(include_url=False)
            )
    return good, errors


def read_records(
    path: Path, fmt: str | None = None
) -> tuple[list[tuple[int, RecordIn]], list[RowError]]:
    """Read ``path`` (``json`` or ``csv``, by its suffix unless ``fmt``): valid rows and errors."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind not in ("json", "csv"):
        raise CarbonInputError(f"{path.name}: give a .json or .csv file (or --input-format)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CarbonInputError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise CarbonInputError(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    try:
        return validate_rows(parse_rows(text, kind))
    except CarbonInputError as exc:
        raise CarbonInputError(f"{path.name}: {exc}") from exc
