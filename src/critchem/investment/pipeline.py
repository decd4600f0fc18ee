"""The project pipeline: an append-only, versioned store, and CSV / Excel import and export.

Every change is a new row of the ``project_version`` table (SQLite or PostgreSQL, see
``pipeline_db``): nothing is ever overwritten, so ``history(id)`` returns every version a
project has had, with who recorded it and when.

Exports neutralise cells that a spreadsheet would run as a formula (``= + - @``, tab, CR at
the start: see ``critchem.spreadsheet``); imports undo that quoting, so a round trip keeps
the text.

Flat file layout (CSV and Excel share it): one row per project; ``promoters`` is
``Name (CC); Name (CC)``, ``molecules`` is ``id=t_per_year; id=t_per_year``, ``labels`` is
``label; label``.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from critchem import spreadsheet
from critchem.core.errors import PipelineError, ProjectNotFoundError, ProjectValidationError
from critchem.investment import pipeline_db
from critchem.investment.projects import Project, ProjectVersion, parse_project

COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "promoters",
    "country",
    "nuts2",
    "site",
    "molecules",
    "status",
    "start_year",
    "capex_meur",
    "funding_gap_meur",
    "trl",
    "ghg_avoided_10y_tco2e",
    "labels",
    "owner_org",
)
"""Columns of the CSV / Excel layout, in order."""
OPTIONAL_COLUMNS: tuple[str, ...] = ("source",)
"""Columns a file may leave out: ``source`` is ``illustrative`` for fictitious examples."""
EXPORT_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
"""The columns an export writes."""


PipelineLocation = Path | str
"""Where a pipeline lives: a SQLite database file or a SQLAlchemy URL."""


class RowError(BaseModel):
    """A rejected row: its 1-based row number in the file (header is row 1), column and why."""

    row: int
    column: str
    why: str


class ImportReport(BaseModel):
    """What an import did; ``rows_read == imported + rejected`` always holds."""

    file: str
    rows_read: int
    imported: int
    added: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RowError]


class Pipeline:
    """A versioned project store in a SQL database (SQLite or PostgreSQL).

    Parameters
    ----------
    location
        ``None``: a private in-memory database; a ``Path``: a SQLite database file; a string:
        a SQLAlchemy URL, e.g. ``postgresql+psycopg://user:password@host/db`` (the service
        keeps the pipeline in its one database, beside the alerts and the accounts).

    Every ``add`` and ``update`` is one row of ``project_version`` (who, when, the whole
    project); nothing is updated or deleted. The schema is migrated on first use.
    """

    def __init__(self, location: PipelineLocation | None = None) -> None:
        self.path = location if isinstance(location, Path) else None
        self._name = location.name if isinstance(location, Path) else "pipeline database"
        self._engine = pipeline_db.engine_for(location)

    def _rows(self, project_id: str | None = None) -> list[ProjectVersion]:
        from sqlalchemy import select

        from critchem.investment.pipeline_models import ProjectVersionRow as Row

        query = select(Row).order_by(Row.seq)
        if project_id is not None:
            query = query.where(Row.project_id == project_id)
        with pipeline_db.session(self._engine, self._name) as session:
            rows = list(session.scalars(query))
        return [version for row in rows if (version := self._version(row)) is not None]

    def _version(self, row: Any) -> ProjectVersion | None:
        """The stored version of a row; a row this code cannot read is skipped and logged."""
        try:
            project = Project.model_validate_json(row.payload)
        except ValueError as exc:
            pipeline_db.log_unreadable(row.project_id, row.version, exc)
            return None
        return ProjectVersion(
            id=row.project_id,
            version=row.version,
            action=row.action,
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
            project=project,
        )

    def _latest(self) -> dict[str, ProjectVersion]:
        latest: dict[str, ProjectVersion] = {}
        for entry in self._rows():
            latest[entry.id] = entry
        return latest

    def __contains__(self, project_id: object) -> bool:
        if not isinstance(project_id, str):
            return False
        return pipeline_db.last_version(self._engine, self._name, project_id) > 0

    def _record(
        self, project: Project, action: Literal["add", "update"], by: str
    ) -> ProjectVersion:
        previous = pipeline_db.last_version(self._engine, self._name, project.id)
        if action == "add" and previous:
            raise PipelineError(f"project {project.id!r} is already in the pipeline; update it")
        if action == "update" and not previous:
            raise ProjectNotFoundError(f"no project {project.id!r} in the pipeline to update")
        entry = ProjectVersion(
            id=project.id,
            version=previous + 1,
            action=action,
            recorded_at=datetime.now(UTC),
            recorded_by=by or project.owner_org,
            project=project,
        )
        pipeline_db.insert(self._engine, self._name, entry)
        return entry

    def add(self, project: Project, *, by: str = "") -> ProjectVersion:
        """Store a new project as version 1; refuses an id already in the pipeline."""
        return self._record(project, "add", by)

    def update(self, project: Project, *, by: str = "") -> ProjectVersion:
        """Store ``project`` as the next version of the project with its id."""
        return self._record(project, "update", by)

    def get(self, project_id: str) -> Project:
        """The current version of one project."""
        versions = self._rows(project_id)
        if not versions:
            raise self._not_found(project_id, list(self._latest()))
        return versions[-1].project

    @staticmethod
    def _not_found(project_id: str, known: list[str]) -> ProjectNotFoundError:
        """The error for an unknown id, suggesting the closest ids (never the file's path)."""
        close = difflib.get_close_matches(project_id, known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f" ({len(known)} projects)"
        return ProjectNotFoundError(f"no project {project_id!r} in the pipeline{hint}", close)

    def history(self, project_id: str) -> list[ProjectVersion]:
        """Every version of one project, oldest first."""
        versions = self._rows(project_id)
        if not versions:
            raise self._not_found(project_id, list(self._latest()))
        return versions

    def current(self) -> list[Project]:
        """The current version of every project, by id."""
        return [e.project for _, e in sorted(self._latest().items())]

    def as_of(self, when: datetime) -> list[Project]:
        """The version of every project that was current at ``when``, by id."""
        latest: dict[str, ProjectVersion] = {}
        for entry in self._rows():
            if entry.recorded_at <= when:
                latest[entry.id] = entry
        return [e.project for _, e in sorted(latest.items())]

    def release(self, *, by: str, at: datetime | None = None) -> datetime:
        """Record a release point: published aggregates show the pipeline as of it."""
        return pipeline_db.release(self._engine, self._name, by, at or datetime.now(UTC))

    def releases(self) -> list[datetime]:
        """Every release point, oldest first."""
        return pipeline_db.releases(self._engine, self._name)


# --- flat rows ---------------------------------------------------------------------------------


def project_to_row(project: Project) -> dict[str, str]:
    """The flat CSV / Excel row of a project."""
    data = project.model_dump(mode="json")
    row = {c: "" if data[c] is None else str(data[c]) for c in EXPORT_COLUMNS}
    row["promoters"] = "; ".join(f"{p.name} ({p.country})" for p in project.promoters)
    row["molecules"] = "; ".join(
        f"{m.molecule}={m.capacity_t_per_year:g}" for m in project.molecules
    )
    row["labels"] = "; ".join(project.labels)
    for key in ("capex_meur", "funding_gap_meur", "ghg_avoided_10y_tco2e"):
        row[key] = f"{data[key]:g}"
    return row


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class _CellError(ValueError):
    def __init__(self, column: str, why: str) -> None:
        super().__init__(why)
        self.column = column


def _promoters(text: str) -> list[dict[str, str]]:
    out = []
    for part in _split(text):
        name, _, rest = part.rpartition("(")
        if not name.strip() or not rest.endswith(")"):
            raise _CellError("promoters", f"{part!r} is not 'Name (CC)'")
        out.append({"name": name.strip(), "country": rest[:-1].strip()})
    return out


def _molecules(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in _split(text):
        mol, sep, cap = part.partition("=")
        try:
            capacity = float(cap)
        except ValueError:
            raise _CellError("molecules", f"{part!r} is not 'molecule-id=t_per_year'") from None
        if not sep:
            raise _CellError("molecules", f"{part!r} is not 'molecule-id=t_per_year'")
        out.append({"molecule": mol.strip(), "capacity_t_per_year": capacity})
    return out


def row_to_project(row: dict[str, Any]) -> Project:
    """Validate a flat row; raises :class:`ProjectValidationError` naming the column."""
    cells = {
        c: "" if row.get(c) is None else spreadsheet.restore(str(row.get(c)).strip())
        for c in EXPORT_COLUMNS
    }
    for column, text in cells.items():
        if any("\udc80" <= ch <= "\udcff" for ch in text):
            raise ProjectValidationError(
                f"column {column!r} is not UTF-8 text (save the file as CSV UTF-8)",
                field=column,
                value=text.encode("utf-8", errors="surrogateescape").decode("latin-1"),
            )
    data: dict[str, Any] = {k: v for k, v in cells.items() if v != ""}
    try:
        data["promoters"] = _promoters(cells["promoters"])
        data["molecules"] = _molecules(cells["molecules"])
    except _CellError as exc:
        raise ProjectValidationError(str(exc), field=exc.column, value=cells[exc.column]) from None
    data["labels"] = _split(cells["labels"])
    return parse_project(data)


def _decode(data: bytes) -> str:
    """The text of a CSV file: UTF-16 when it starts with its byte-order mark, else UTF-8.

    A byte that is not UTF-8 (a latin-1 line, say) is kept as a lone surrogate, so that only
    its row is rejected (``row_to_project`` names the column), not the whole file.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PipelineError("the file starts as UTF-16 text but is not") from None
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with io.StringIO(_decode(path.read_bytes()), newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise PipelineError(f"{path}: missing columns {missing}")
        for row in reader:
            yield reader.line_num, dict(row)


def _read_xlsx(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on a bad file
        raise PipelineError(f"{path}: not a readable Excel workbook ({exc})") from None
    sheet = book.active
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PipelineError(f"{path}: missing columns {missing}")
    for n, values in enumerate(rows, start=2):
        if all(v is None for v in values):
            continue
        yield n, dict(zip(header, values, strict=False))
    book.close()


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The data rows of a CSV or Excel (``.xlsx``) file with their 1-based row numbers."""
    if not path.exists():
        raise PipelineError(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path)


def import_file(pipeline: Pipeline, path: Path, *, by: str = "") -> ImportReport:
    """Import the projects of ``path`` into ``pipeline``, row by row; bad rows are reported.

    A new id is added, a known id becomes a new version when it changed; an id repeated in
    the file is rejected. Counts reconcile: ``rows_read == imported + rejected``.
    """
    errors: list[RowError] = []
    added = updated = unchanged = read = 0
    seen: set[str] = set()
    for n, row in read_rows(path):
        read += 1
        try:
            project = row_to_project(row)
        except ProjectValidationError as exc:
            column = exc.field.split(".", 1)[0] or "(row)"
            errors.append(RowError(row=n, column=column, why=str(exc)))
            continue
        if project.id in seen:
            errors.append(RowError(row=n, column="id", why=f"id {project.id!r} repeated in file"))
            continue
        seen.add(project.id)
        if project.id not in pipeline:
            pipeline.add(project, by=by)
            added += 1
        elif pipeline.get(project.id) != project:
            pipeline.update(project, by=by)
            updated += 1
        else:
            unchanged += 1
    imported = added + updated + unchanged
    return ImportReport(
        file=path.name,
        rows_read=read,
        imported=imported,
        added=added,
        updated=updated,
        unchanged=unchanged,
        rejected=len(errors),
        errors=errors,
    )


def export_file(projects: Iterable[Project], path: Path) -> int:
    """Write ``projects`` to a CSV or Excel (``.xlsx``) file; returns the number of rows."""
    rows = [{c: spreadsheet.neutralise(v) for c, v in project_to_row(p).items()} for p in projects]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "projects"
        sheet.append(list(EXPORT_COLUMNS))
        for row in rows:
            sheet.append([row[c] for c in EXPORT_COLUMNS])
        book.save(path)
        return len(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(EXPORT_COLUMNS), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
