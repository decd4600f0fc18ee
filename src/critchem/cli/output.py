"""Rendering of service results as a table, JSON or CSV, and of errors."""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from critchem.exceptions import CritchemError, NotFoundError

P = ParamSpec("P")
R = TypeVar("R")


class Format(enum.StrEnum):
    """Output formats every data command accepts."""

    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(Format.table, "--format", "-f", help="Output format.")


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
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
) -> None:
    """Print ``data`` (one record or a list of records) in ``fmt`` on standard output."""
    plain = _plain(data)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(plain, ensure_ascii=False, indent=2) + "\n")
        return
    rows: list[dict[str, Any]] = plain if isinstance(plain, list) else [plain]
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(cols)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in cols])
        sys.stdout.write(buffer.getvalue())
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
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in cols))
    console.print(table)


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
