"""Rendering of service results as a table, JSON or CSV, and of errors."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from critchem.core.errors import CritchemError, NotFoundError
from critchem.core.labels import data_labels, label_line

P = ParamSpec("P")
R = TypeVar("R")


class Format(enum.StrEnum):
    """Output formats every data command accepts."""

    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


FORMAT_OPTION = typer.Option(
    Format.table,
    "--format",
    "-f",
    help="Output format: table (for the screen), json, csv, or parquet/xlsx with --out FILE.",
)
OUT_OPTION = typer.Option(
    None, "--out", dir_okay=False, help="Write the data to this file instead of the screen."
)
SPARK_MASTER_OPTION = typer.Option(
    None,
    "--spark-master",
    help=(
        "With --backend pyspark: local[N] (default local[2]) or a standalone cluster "
        "spark://host:port (the store must be at the same path on every worker)."
    ),
)
_BINARY = (Format.parquet, Format.xlsx)


def _plain(value: Any, mode: str = "json") -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode=mode)
    if isinstance(value, list | tuple):
        return [_plain(v, mode) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.4g}"
    return str(value)


def render(
    data: BaseModel | Sequence[BaseModel] | dict[str, Any] | list[dict[str, Any]],
    fmt: Format,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    out: Path | None = None,
) -> None:
    """Print ``data`` (one record or a list of records) in ``fmt``, or write it to ``out``.

    Table is screen formatting; json, csv, parquet and xlsx keep raw numbers and ISO dates.
    Parquet and Excel need ``out``. A table with no row says so. Data that carry a synthetic
    or illustrative source (:func:`critchem.core.labels.data_labels`) get the visible label in
    the table's title, and a ``data_label`` column in CSV, Parquet and Excel.
    """
    if fmt in _BINARY and out is None:
        raise fail(f"--format {fmt.value} writes a file: add --out FILE", 2)
    if fmt is not Format.table:
        _export(data, fmt, columns, out)
        return
    plain = _plain(data)
    title = _labelled(title, data_labels(plain))
    rows: list[dict[str, Any]] = plain if isinstance(plain, list) else [plain]
    cols = list(columns or (rows[0].keys() if rows else []))
    if isinstance(plain, list) and len(set(per_row := _row_labels(rows))) > 1:
        rows = [{**r, "data_label": tag} for r, tag in zip(rows, per_row, strict=True)]
        cols = [*cols, "data_label"] if "data_label" not in cols else cols
    if not rows:
        Console().print(f"No results{f' ({title})' if title else ''}.", highlight=False)
        return
    console = Console(width=max(Console().width, 140))
    if isinstance(plain, dict) and columns is None:
        table = Table(title=title, show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for key, value in plain.items():
            table.add_row(key, _cell(value))
    else:
        table = Table(title=title)
        for col in cols:
            table.add_column(header(col), overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in cols))
    console.print(table)


def _row_labels(rows: Sequence[Any]) -> list[str]:
    """Each row's own label words (``SYNTHETIC``, ``ILLUSTRATIVE``; empty for real data)."""
    return [" ".join(data_labels(row)) for row in rows]


def _labelled(title: str | None, labels: tuple[str, ...]) -> str | None:
    """``title`` led by the label words it lacks (the words alone when there is no title)."""
    missing = [label for label in labels if label not in (title or "")]
    if not missing:
        return title
    line = label_line(tuple(missing))
    return f"{line} | {title}" if title else line


def _export(data: Any, fmt: Format, columns: Sequence[str] | None, out: Path | None) -> None:
    from critchem.services import exports

    if fmt is Format.json:
        text = json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n"
        payload = text.encode()
    else:
        plain = _plain(data, "python" if fmt in _BINARY else "json")
        rows = plain if isinstance(plain, list) else [plain]
        if data_labels(rows):
            tags = _row_labels(rows)
            rows = [
                {**row, "data_label": tag} if isinstance(row, dict) else row
                for row, tag in zip(rows, tags, strict=True)
            ]
            if columns is not None and "data_label" not in columns:
                columns = [*columns, "data_label"]
        payload = exports.export(rows, fmt.value, columns)
    if out is None:
        sys.stdout.write(payload.decode())
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(payload)
    Console(stderr=True).print(f"Written: {out}", highlight=False)


UNITS = {
    "eur": "EUR",
    "kg": "kg",
    "t": "t",
    "eur_per_kg": "EUR/kg",
    "unit_value": "EUR/kg",
    "value": "EUR",
    "pct": "%",
    "share": "0-1",
}
"""Column-name endings that carry a unit, shown in brackets in table headers."""

_UPPER = {
    "hhi": "HHI",
    "gov_hhi": "Governance-weighted HHI",
    "cn8": "CN8",
    "hs6": "HS6",
    "id": "ID",
    "eu": "EU",
}


def header(column: str) -> str:
    """A human table header with its unit: ``value_eur`` -> ``Value (EUR)``.

    >>> header("import_unit_value"), header("hhi"), header("import_net_mass_kg")
    ('Import unit value (EUR/kg)', 'HHI', 'Import net mass (kg)')
    >>> header("extra_import_value"), header("top_supplier_share"), header("hhi_2022")
    ('Extra import value (EUR)', 'Top supplier share (0-1)', 'HHI 2022')
    """
    if column.lower() in _UPPER:
        return _UPPER[column.lower()]
    stem, unit = column, None
    for suffix in sorted(UNITS, key=len, reverse=True):
        if column.endswith("_" + suffix):
            unit = UNITS[suffix]
            if suffix in {"eur", "kg", "t", "eur_per_kg", "pct"}:
                stem = column[: -len(suffix) - 1]
            break
    words = stem.split("_")
    text = " ".join(_UPPER.get(w.lower(), w) for w in words)
    text = text[:1].upper() + text[1:]
    return f"{text} ({unit})" if unit else text


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` on standard error and return the exit to raise."""
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn critchem errors into a clear message and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except NotFoundError as exc:
            raise fail(str(exc), 3) from exc
        except CritchemError as exc:
            raise fail(str(exc), 2) from exc

    return wrapper
