"""Readers of Eurostat PRODCOM files: the dissemination API (SDMX-CSV) and the bulk layout.

Both emit :class:`~critchem.production.prodcom.records.Observation` (one per reporter, code
and year) and the rows they reject, each with its line and reason; every data row is counted
once (``ProdcomParse.reconciles``).

**API layout** (``api``): SDMX-CSV of the Comext dissemination API
(``/eurostat/api/comext/dissemination/sdmx/2.1/data/DS-059358/...?format=SDMX-CSV``), columns
``DATAFLOW,LAST UPDATE,freq,reporter,product,indicators,TIME_PERIOD,OBS_VALUE`` (``OBS_FLAG``
optional), one row per indicator. The older dataset DS-056120 names its dimensions ``decl``
and ``prccode``; both spellings are read. ``QNTUNIT`` rows carry the unit as text and the flag
indicators (``PVALFLAG``, ``PQNTFLAG``) carry the flag as text in ``OBS_VALUE``.

**Bulk layout** (``bulk``): the EUROPROMS files (``epannsold-r2``), one row per
``DECL,PERIOD,PRCCODE`` with the indicators as columns (``PRODVAL, PVALFLAG, PVALBASE,
PRODQNT, PQNTFLAG, PQNTBASE, QNTUNIT, EXPVAL, EXPQNT, IMPVAL, IMPQNT``), ``PERIOD`` as
``YYYY52`` (annual) or ``YYYY``. Columns are found by name, in any order; comma, semicolon
or tab delimited.

PRODCOM codes are read with or without dots (``20.14.11.30`` → ``20141130``). Reporters are
kept as written (Member State codes, ``EU27_2020`` ...).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from critchem.core.errors import ProdcomFormatError
from critchem.production.prodcom._files import delimiter_of, open_text, sha256_of
from critchem.production.prodcom.records import (
    CONFIDENTIAL,
    NOT_PUBLISHED,
    OBS_FLAG_STATUS,
    REPORTED,
    WITH_VALUE,
    Figure,
    Observation,
    ProdcomParse,
    Rejected,
    flag_status,
)

API = "api"
BULK = "bulk"

PRODCOM_CODE_RE = re.compile(r"^[0-9]{4}[0-9A-Z]{4}$")
_YEAR_RE = re.compile(r"^(\d{4})(52)?$")

NUMERIC = ("PRODVAL", "PRODQNT", "EXPVAL", "IMPVAL")
FLAGS = ("PVALFLAG", "PQNTFLAG")
UNIT = "QNTUNIT"
USED = (*NUMERIC, *FLAGS, UNIT)
"""The PRODCOM indicators critchem reads."""
KNOWN_UNUSED = (
    "PVALBASE", "PQNTBASE", "EXPQNT", "IMPQNT", "OWNPRODVAL", "OWNVALFLAG", "OWNVALBASE",
    "OWNPRODQNT", "OWNQNTFLAG", "OWNQNTBASE", "SCPRODVAL", "SCVALFLAG", "SCVALBASE",
    "SCPRODQNT", "SCQNTFLAG", "SCQNTBASE",
)  # fmt: skip
"""Other indicators of the PRODCOM datasets: counted as ignored, never rejected."""

API_REQUIRED = ("freq", "indicators", "TIME_PERIOD", "OBS_VALUE")
API_REPORTER = ("reporter", "decl")
API_PRODUCT = ("product", "prccode")
API_OPTIONAL = ("DATAFLOW", "LAST UPDATE", "OBS_FLAG", "CONF_STATUS")
BULK_REQUIRED = ("DECL", "PERIOD", "PRCCODE")


def _columns(header: str) -> list[str]:
    row = next(csv.reader([header], delimiter=delimiter_of(header)))
    return [name.strip().strip('"') for name in row]


def layout_of(header: str) -> str | None:
    """``api``, ``bulk`` or ``None`` for a header line.

    >>> layout_of("DATAFLOW,LAST UPDATE,freq,reporter,product,indicators,TIME_PERIOD,OBS_VALUE")
    'api'
    >>> layout_of("DECL,PERIOD,PRCCODE,PRODVAL,PVALFLAG")
    'bulk'
    """
    names = set(_columns(header))
    if set(API_REQUIRED) <= names and names & set(API_REPORTER) and names & set(API_PRODUCT):
        return API
    upper = {n.upper() for n in names}
    if set(BULK_REQUIRED) <= upper and upper & {"PRODVAL", "PRODQNT"}:
        return BULK
    return None


def normalise_code(text: str) -> str | None:
    """A PRODCOM code without dots or spaces, or ``None`` when it is not one.

    >>> normalise_code("20.14.11.30"), normalise_code(" 20141130 "), normalise_code("2014")
    ('20141130', '20141130', None)
    """
    code = re.sub(r"[.\s]", "", text).upper()
    return code if PRODCOM_CODE_RE.match(code) else None


def _year(text: str) -> int | None:
    match = _YEAR_RE.match(text.strip())
    return int(match.group(1)) if match else None


def _number(text: str) -> tuple[float | None, bool]:
    """(value, ok): an empty cell is (None, True); a non-number (None, False)."""
    stripped = text.strip()
    if not stripped:
        return None, True
    try:
        value = float(stripped)
    except ValueError:
        return None, False
    return (value, True) if value == value and value >= 0 else (None, False)


@dataclass
class _Cell:
    """What the rows of one observation said, before it is built."""

    line: int
    numbers: dict[str, float | None] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)
    obs_flags: dict[str, str] = field(default_factory=dict)
    unit: str | None = None


def _figure(cell: _Cell, indicator: str, flag_name: str) -> Figure:
    value = cell.numbers.get(indicator)
    status = flag_status(cell.flags.get(flag_name, "")) or REPORTED
    obs = cell.obs_flags.get(indicator, "").strip().lower()
    for letter, meaning in OBS_FLAG_STATUS.items():
        if letter in obs:
            status = meaning
            break
    if status == CONFIDENTIAL:
        return Figure(None, CONFIDENTIAL)  # never filled, whatever the file carries
    if status not in WITH_VALUE:
        return Figure(None, status)
    if value is None:
        return Figure(None, NOT_PUBLISHED)
    return Figure(value, status)


def _observation(key: tuple[str, str, int], cell: _Cell) -> Observation:
    reporter, code, year = key
    return Observation(
        reporter=reporter,
        prccode=code,
        year=year,
        production_value=_figure(cell, "PRODVAL", "PVALFLAG"),
        production_quantity=_figure(cell, "PRODQNT", "PQNTFLAG"),
        unit=cell.unit or None,
        export_value=cell.numbers.get("EXPVAL"),
        import_value=cell.numbers.get("IMPVAL"),
        line=cell.line,
    )


class _Collector:
    """Accumulates rows into observations and rejections, counting every row."""

    def __init__(self) -> None:
        self.cells: dict[tuple[str, str, int], _Cell] = {}
        self.seen: dict[tuple[str, str, int, str], int] = {}
        self.rejected: list[Rejected] = []
        self.ignored: Counter[str] = Counter()
        self.rows_read = 0
        self.rows_used = 0

    def reject(self, line: int, row: Sequence[str], reason: str, delimiter: str) -> None:
        self.rejected.append(Rejected(line, delimiter.join(row), reason))

    def cell(self, key: tuple[str, str, int], line: int) -> _Cell:
        return self.cells.setdefault(key, _Cell(line))

    def result(self, path: Path, layout: str) -> ProdcomParse:
        observations = tuple(
            _observation(key, cell)
            for key, cell in sorted(self.cells.items(), key=lambda item: item[1].line)
        )
        return ProdcomParse(
            path=str(path),
            layout=layout,
            sha256=sha256_of(path),
            observations=observations,
            rejected=tuple(self.rejected),
            rows_read=self.rows_read,
            rows_used=self.rows_used,
            ignored=dict(self.ignored),
        )


def _key_errors(
    reporter: str, code_text: str, year_text: str
) -> tuple[str | None, int | None, list[str]]:
    errors = []
    code = normalise_code(code_text)
    if code is None:
        errors.append(f"PRODCOM code {code_text!r} is not an 8-character PRODCOM code")
    year = _year(year_text)
    if year is None:
        errors.append(f"period {year_text!r} is not a year (YYYY or YYYY52)")
    if not reporter.strip():
        errors.append("reporter is empty")
    return code, year, errors


def _parse_api(
    path: Path, rows: Iterable[list[str]], columns: list[str], delimiter: str
) -> ProdcomParse:
    index = {name: i for i, name in enumerate(columns)}
    reporter_col = next(index[n] for n in API_REPORTER if n in index)
    product_col = next(index[n] for n in API_PRODUCT if n in index)
    flag_col = index.get("OBS_FLAG")
    out = _Collector()
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        out.rows_read += 1
        if len(row) != len(columns):
            out.reject(
                line, row, f"has {len(row)} fields, the header has {len(columns)}", delimiter
            )
            continue
        get = row.__getitem__
        indicator = get(index["indicators"]).strip()
        if indicator in KNOWN_UNUSED:
            out.ignored[indicator] += 1
            continue
        errors = []
        if indicator not in USED:
            errors.append(f"indicator {indicator!r} is not a PRODCOM indicator")
        if get(index["freq"]).strip() != "A":
            errors.append(f"freq {get(index['freq'])!r} is not A (annual)")
        reporter = get(reporter_col).strip()
        code, year, key_errors = _key_errors(reporter, get(product_col), get(index["TIME_PERIOD"]))
        errors += key_errors
        text = get(index["OBS_VALUE"]).strip()
        number: float | None = None
        if indicator in NUMERIC:
            number, ok = _number(text)
            if not ok:
                errors.append(f"OBS_VALUE {text!r} of {indicator} is not a non-negative number")
        elif indicator in FLAGS and flag_status(text) is None:
            errors.append(f"OBS_VALUE {text!r} of {indicator} is not a PRODCOM flag")
        if errors or code is None or year is None:
            out.reject(line, row, "; ".join(errors), delimiter)
            continue
        key = (reporter, code, year)
        first = out.seen.setdefault((*key, indicator), line)
        if first != line:
            out.reject(
                line,
                row,
                f"duplicate of line {first} (same reporter, code, year and indicator)",
                delimiter,
            )
            continue
        cell = out.cell(key, line)
        if indicator in NUMERIC:
            cell.numbers[indicator] = number
            if flag_col is not None and row[flag_col].strip():
                cell.obs_flags[indicator] = row[flag_col]
        elif indicator in FLAGS:
            cell.flags[indicator] = text
        else:
            cell.unit = text or None
        out.rows_used += 1
    return out.result(path, API)


def _parse_bulk(
    path: Path, rows: Iterable[list[str]], columns: list[str], delimiter: str
) -> ProdcomParse:
    index = {name.upper(): i for i, name in enumerate(columns)}
    out = _Collector()
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        out.rows_read += 1
        if len(row) != len(columns):
            out.reject(
                line, row, f"has {len(row)} fields, the header has {len(columns)}", delimiter
            )
            continue
        reporter = row[index["DECL"]].strip()
        code, year, errors = _key_errors(reporter, row[index["PRCCODE"]], row[index["PERIOD"]])
        cell = _Cell(line)
        for name in NUMERIC:
            if name not in index:
                continue
            text = row[index[name]]
            as_flag = flag_status(text) if text.strip().startswith((":", "-")) else None
            if as_flag is not None:  # a flag written in the value column
                flag_name = {"PRODVAL": "PVALFLAG", "PRODQNT": "PQNTFLAG"}.get(name)
                if flag_name:
                    cell.flags.setdefault(flag_name, text.strip())
                continue
            number, ok = _number(text)
            if not ok:
                errors.append(f"{name} {text.strip()!r} is not a non-negative number")
            cell.numbers[name] = number
        for name in FLAGS:
            if name in index:
                text = row[index[name]].strip()
                if flag_status(text) is None:
                    errors.append(f"{name} {text!r} is not a PRODCOM flag")
                elif text:
                    cell.flags[name] = text
        if UNIT in index:
            cell.unit = row[index[UNIT]].strip() or None
        if errors or code is None or year is None:
            out.reject(line, row, "; ".join(errors), delimiter)
            continue
        key = (reporter, code, year)
        if key in out.cells:
            first = out.cells[key].line
            out.reject(
                line, row, f"duplicate of line {first} (same DECL, PRCCODE and PERIOD)", delimiter
            )
            continue
        out.cells[key] = cell
        out.rows_used += 1
    return out.result(path, BULK)


def parse_prodcom(path: Path, *, layout: str | None = None) -> ProdcomParse:
    """Read a PRODCOM file in the API (SDMX-CSV) or bulk layout (recognised by its header).

    Raises
    ------
    ProdcomFormatError
        When the file cannot be read or its header is neither layout. A bad row never
        raises: it is returned in ``rejected`` with its line and the reason.
    """
    path = Path(path)
    with open_text(path) as handle:
        header = handle.readline().rstrip("\r\n")
        found = layout_of(header)
        if layout is not None and found != layout:
            raise ProdcomFormatError(
                f"{path}: line 1 (header) is not the PRODCOM {layout} layout ({header[:120]!r})"
            )
        if found is None:
            raise ProdcomFormatError(
                f"{path}: line 1 (header) is not a PRODCOM layout: the API layout needs"
                f" {', '.join(API_REQUIRED)}, reporter|decl and product|prccode; the bulk layout"
                f" needs {', '.join(BULK_REQUIRED)} and PRODVAL or PRODQNT (got {header[:120]!r})"
            )
        delimiter = delimiter_of(header)
        columns = _columns(header)
        rows = csv.reader(handle, delimiter=delimiter)
        try:
            if found == API:
                return _parse_api(path, rows, columns, delimiter)
            return _parse_bulk(path, rows, columns, delimiter)
        except csv.Error as error:
            raise ProdcomFormatError(f"{path}: line {rows.line_num}: {error}") from error
