"""Reading the input tables of a criticality assessment (CSV, UTF-8, header on line 1).

Four tables, each read by one function that checks every cell and raises
:class:`~critchem.core.errors.AssessmentInputError` naming the file, the 1-based line and the
column and why. An empty cell means "not applicable", never 0.

========================  ====================================================================
table                     columns
========================  ====================================================================
stage inputs              ``material, stage, supply_basis, import_reliance, eol_rir, si_sr,
                          si_ei, hhi_wgi_t_gs, hhi_wgi_t_eu``
supply shares             ``material, stage, scope, country, share, t``
end uses                  ``material, sector, share``
value added               ``sector, value_added_meur``
========================  ====================================================================
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from critchem.core.errors import AssessmentInputError, UnknownCountryError
from critchem.criticality.schemas import FileRef
from critchem.nomenclature import governance_of

STAGE_COLUMNS = (
    "material",
    "stage",
    "supply_basis",
    "import_reliance",
    "eol_rir",
    "si_sr",
    "si_ei",
    "hhi_wgi_t_gs",
    "hhi_wgi_t_eu",
)
SHARE_COLUMNS = ("material", "stage", "scope", "country", "share", "t")
END_USE_COLUMNS = ("material", "sector", "share")
VALUE_ADDED_COLUMNS = ("sector", "value_added_meur")

SUPPLY_BASES = ("GS", "EU", "GS+EU")
SCOPES = ("GS", "EU")
SHARE_SUM_TOLERANCE = 0.02
"""How far the shares of one material (and stage and scope) may sum from 1 (rounded data)."""

_NACE = re.compile(r"^[A-U]\d{2}$")


def key(material: str) -> str:
    """The key materials are matched on across files (case-insensitive, trimmed)."""
    return " ".join(material.split()).casefold()


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of one input file with their 1-based line numbers."""

    ref: FileRef
    rows: tuple[tuple[int, dict[str, str]], ...]

    @property
    def name(self) -> str:
        """The file name used in messages."""
        return self.ref.name


def read_table(path: Path, role: str, columns: tuple[str, ...]) -> Table:
    """Read a CSV file, check its header holds ``columns`` and strip every cell."""
    raw = path.read_bytes()
    ref = FileRef(role=role, name=path.name, sha256=hashlib.sha256(raw).hexdigest())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AssessmentInputError(f"{path.name}: not UTF-8 text ({exc})", file=path.name) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    for column in columns:
        if column not in header:
            raise AssessmentInputError.at(
                path.name, 1, column, f"missing column (expected: {', '.join(columns)})"
            )
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if None in row:
            raise AssessmentInputError.at(
                path.name, reader.line_num, header[-1], "more cells than columns in the header"
            )
        cells = {k: (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue
        rows.append((reader.line_num, cells))
    return Table(ref, tuple(rows))


def number(
    table: Table,
    line: int,
    row: dict[str, str],
    column: str,
    *,
    low: float | None = 0.0,
    high: float | None = None,
    what: str = "a number",
) -> float | None:
    """The number in one cell, ``None`` when the cell is empty (not applicable)."""
    text = row[column]
    if not text:
        return None
    if text.endswith("%"):
        raise AssessmentInputError.at(
            table.name, line, column, f"{text!r} is a percentage: write {what} as a fraction"
        )
    try:
        value = float(text)
    except ValueError:
        raise AssessmentInputError.at(table.name, line, column, f"{text!r} is not {what}") from None
    if not math.isfinite(value):
        raise AssessmentInputError.at(table.name, line, column, f"{text!r} is not finite")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{low if low is not None else '-inf'}..{high if high is not None else 'inf'}"
        raise AssessmentInputError.at(
            table.name, line, column, f"{value:g} is outside {bounds} ({what})"
        )
    return value


def choice(
    table: Table, line: int, row: dict[str, str], column: str, allowed: tuple[str, ...]
) -> str:
    """The text of a cell that must be one of ``allowed`` (case-insensitive)."""
    text = row[column]
    for option in allowed:
        if text.casefold() == option.casefold():
            return option
    raise AssessmentInputError.at(
        table.name, line, column, f"{text!r} is not one of {', '.join(allowed)}"
    )


def required_text(table: Table, line: int, row: dict[str, str], column: str) -> str:
    """The text of a cell that may not be empty."""
    if not row[column]:
        raise AssessmentInputError.at(table.name, line, column, "empty cell")
    return row[column]


def sector_code(table: Table, line: int, row: dict[str, str], column: str) -> str:
    """A NACE Rev. 2 division code such as ``C20`` (section letter and two digits)."""
    text = required_text(table, line, row, column).upper().replace(".", "")
    if not _NACE.match(text):
        raise AssessmentInputError.at(
            table.name, line, column, f"{row[column]!r} is not a NACE 2-digit sector such as 'C20'"
        )
    return text


@dataclass(frozen=True, slots=True)
class StageRow:
    """One row of the stage inputs: a material at one stage."""

    line: int
    material: str
    stage: str
    supply_basis: str
    import_reliance: float | None
    eol_rir: float | None
    si_sr: float | None
    si_ei: float | None
    hhi_gs: float | None
    hhi_eu: float | None


def read_stage_rows(path: Path, stages: tuple[str, ...]) -> tuple[Table, list[StageRow]]:
    """Read the stage inputs; one row per material and stage, fractions 0..1, HHIs 0..10."""
    table = read_table(path, "inputs", STAGE_COLUMNS)
    seen: dict[tuple[str, str], int] = {}
    out: list[StageRow] = []
    for line, row in table.rows:
        material = required_text(table, line, row, "material")
        stage = choice(table, line, row, "stage", stages)
        if (key(material), stage) in seen:
            raise AssessmentInputError.at(
                table.name,
                line,
                "stage",
                f"{material!r} at stage {stage!r} already given on line {seen[key(material), stage]}",
            )
        seen[key(material), stage] = line

        def frac(
            column: str, what: str, row: dict[str, str] = row, line: int = line
        ) -> float | None:
            return number(table, line, row, column, low=0.0, high=1.0, what=what)

        def hhi(column: str, row: dict[str, str] = row, line: int = line) -> float | None:
            return number(table, line, row, column, low=0.0, high=10.0, what="an HHI_WGI,t (0..10)")

        out.append(
            StageRow(
                line=line,
                material=" ".join(material.split()),
                stage=stage,
                supply_basis=choice(table, line, row, "supply_basis", SUPPLY_BASES),
                import_reliance=frac("import_reliance", "import reliance (0..1)"),
                eol_rir=frac("eol_rir", "the end-of-life recycling input rate (0..1)"),
                si_sr=frac("si_sr", "a substitution index (0..1)"),
                si_ei=frac("si_ei", "a substitution index (0..1)"),
                hhi_gs=hhi("hhi_wgi_t_gs"),
                hhi_eu=hhi("hhi_wgi_t_eu"),
            )
        )
    return table, out


@dataclass(frozen=True, slots=True)
class ComputedHhi:
    """An HHI_WGI,t computed from supply shares and the shipped WGI."""

    value: float
    lines: tuple[int, ...]
    countries: int


def newest_wgi_scaled(country: str) -> float:
    """The scaled governance (0..10, 10 the worst) of ``country`` from the newest shipped WGI.

    The WGI 2024 release (year 2023, :mod:`critchem.nomenclature.wgi_newest`) is used; a country that
    lacks a 2023 dimension falls back to WGI 2020 (:func:`critchem.nomenclature.governance_of`).

    >>> 0 < newest_wgi_scaled("CN") < 10
    True
    """
    from critchem.nomenclature import load_countries
    from critchem.nomenclature.wgi_newest import wgi_scaled_by_iso3

    partner = load_countries().get(country) if len(country) != 3 else None
    iso3 = partner.iso3 if partner is not None else country.upper()
    newest = wgi_scaled_by_iso3()
    if iso3 is not None and iso3 in newest:
        return newest[iso3]
    return governance_of(country).scaled


def read_supply_shares(
    path: Path, stages: tuple[str, ...]
) -> tuple[Table, dict[tuple[str, str, str], ComputedHhi]]:
    """HHI_WGI,t per (material key, stage, scope) from a supply-shares file.

    Shares are fractions that must sum to 1 (± :data:`SHARE_SUM_TOLERANCE`) per material, stage
    and scope; countries are ISO alpha-2 or alpha-3 codes with WGI estimates; an empty ``t`` is
    1 (no trade restriction).
    """
    table = read_table(path, "supply_shares", SHARE_COLUMNS)
    groups: dict[tuple[str, str, str], list[tuple[int, float, float, float]]] = {}
    names: dict[tuple[str, str, str], str] = {}
    for line, row in table.rows:
        material = required_text(table, line, row, "material")
        stage = choice(table, line, row, "stage", stages)
        scope = choice(table, line, row, "scope", SCOPES)
        country = required_text(table, line, row, "country")
        try:
            wgi = newest_wgi_scaled(country)
        except UnknownCountryError:
            raise AssessmentInputError.at(
                table.name, line, "country", f"{country!r} is not a country with WGI estimates"
            ) from None
        share = number(table, line, row, "share", low=0.0, high=1.0, what="a share (0..1)")
        if share is None:
            raise AssessmentInputError.at(table.name, line, "share", "empty cell")
        t = number(table, line, row, "t", low=0.0, what="a trade factor (1 = no restriction)")
        group = (key(material), stage, scope)
        groups.setdefault(group, []).append((line, share, wgi, 1.0 if t is None else t))
        names[group] = material
    out: dict[tuple[str, str, str], ComputedHhi] = {}
    for group, items in groups.items():
        total = sum(share for _, share, _, _ in items)
        if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
            lines = [line for line, *_ in items]
            raise AssessmentInputError.at(
                table.name,
                lines[0],
                "share",
                f"shares of {names[group]!r} at {group[1]} ({group[2]}) on lines "
                f"{lines[0]}-{lines[-1]} sum to {total:.4g}, not 1",
            )
        value = sum(share * share * wgi * t for _, share, wgi, t in items)
        out[group] = ComputedHhi(value, tuple(line for line, *_ in items), len(items))
    return table, out


@dataclass(frozen=True, slots=True)
class EndUse:
    """One material's share of end uses in one NACE sector."""

    line: int
    sector: str
    share: float


def read_end_uses(path: Path) -> tuple[Table, dict[str, list[EndUse]], dict[str, str]]:
    """End-use shares per material key (and the material names as written)."""
    table = read_table(path, "end_uses", END_USE_COLUMNS)
    out: dict[str, list[EndUse]] = {}
    names: dict[str, str] = {}
    for line, row in table.rows:
        material = required_text(table, line, row, "material")
        sector = sector_code(table, line, row, "sector")
        share = number(table, line, row, "share", low=0.0, high=1.0, what="a share (0..1)")
        if share is None:
            raise AssessmentInputError.at(table.name, line, "share", "empty cell")
        uses = out.setdefault(key(material), [])
        if any(u.sector == sector for u in uses):
            raise AssessmentInputError.at(
                table.name, line, "sector", f"{material!r} already has a share in {sector}"
            )
        uses.append(EndUse(line, sector, share))
        names.setdefault(key(material), material)
    for k, uses in out.items():
        total = sum(u.share for u in uses)
        if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
            raise AssessmentInputError.at(
                table.name,
                uses[0].line,
                "share",
                f"end-use shares of {names[k]!r} sum to {total:.4g}, not 1",
            )
    return table, out, names


def read_value_added(path: Path) -> tuple[Table, dict[str, tuple[float, int]]]:
    """Value added (M€) and line per NACE 2-digit sector."""
    table = read_table(path, "value_added", VALUE_ADDED_COLUMNS)
    out: dict[str, tuple[float, int]] = {}
    for line, row in table.rows:
        sector = sector_code(table, line, row, "sector")
        if sector in out:
            raise AssessmentInputError.at(
                table.name, line, "sector", f"{sector} already given on line {out[sector][1]}"
            )
        value = number(table, line, row, "value_added_meur", low=0.0, what="value added in M€")
        if value is None:
            raise AssessmentInputError.at(table.name, line, "value_added_meur", "empty cell")
        out[sector] = (value, line)
    return table, out
