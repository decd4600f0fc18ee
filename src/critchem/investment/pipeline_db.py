"""The pipeline's database plumbing: one migrated engine per database, errors as messages.

Engines are created once per URL and process (the schema is migrated then), so opening a
``Pipeline`` per request costs nothing. Every database failure reaches the caller as a
:class:`~critchem.core.errors.PipelineError` that names the store, never a traceback; a row
that the database refuses (a ``CHECK`` on a non-finite or absurd number, a version recorded
meanwhile by another writer) is refused with the reason.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from critchem.core.errors import PipelineError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from critchem.investment.projects import ProjectVersion

log = logging.getLogger(__name__)

_engines: dict[str, Engine] = {}
_opening = threading.Lock()


def _url(location: Path | str) -> str:
    if isinstance(location, Path):
        return f"sqlite:///{location}"
    return location


def engine_for(location: Path | str | None) -> Engine:
    """The engine of the pipeline at ``location`` (see ``Pipeline``), migrated to head."""
    from sqlalchemy import create_engine, event, pool
    from sqlalchemy.exc import SQLAlchemyError

    name = location.name if isinstance(location, Path) else "pipeline database"
    if location is None:
        from critchem.investment.pipeline_models import PipelineRelease, ProjectVersionRow

        engine = create_engine("sqlite://", poolclass=pool.StaticPool)
        tables = [ProjectVersionRow.__table__, PipelineRelease.__table__]
        ProjectVersionRow.metadata.create_all(engine, tables=tables)  # type: ignore[arg-type]
        return engine
    url = _url(location)
    with _opening:
        cached = _engines.get(url)
        if cached is not None:
            return cached
        engine = create_engine(url)
        database = engine.url.database
        if engine.dialect.name == "sqlite" and database not in (None, "", ":memory:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        try:
            from critchem.core.migrate import migrate

            migrate(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise PipelineError(
                f"{name}: not a usable pipeline database ({_reason(exc)}); a pipeline kept in "
                "an older JSON-lines file is imported again from its CSV export"
            ) from None
        _engines[url] = engine
    return engine


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).splitlines()[0]


@contextmanager
def session(engine: Engine, name: str) -> Iterator[Session]:
    """An ORM session on ``engine``; database failures become a ``PipelineError``."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    try:
        with Session(engine, expire_on_commit=False) as s:
            yield s
    except SQLAlchemyError as exc:
        raise PipelineError(f"{name}: the database failed ({_reason(exc)})") from None


def last_version(engine: Engine, name: str, project_id: str) -> int:
    """The latest version number of a project, 0 when it is not in the pipeline."""
    from sqlalchemy import func, select

    from critchem.investment.pipeline_models import ProjectVersionRow as Row

    with session(engine, name) as s:
        found = s.scalar(select(func.max(Row.version)).where(Row.project_id == project_id))
    return int(found or 0)


def insert(engine: Engine, name: str, entry: ProjectVersion) -> None:
    """Record one version; the database's refusal (checks, a concurrent version) is reported."""
    from sqlalchemy.exc import IntegrityError, SQLAlchemyError
    from sqlalchemy.orm import Session

    from critchem.investment.pipeline_models import ProjectVersionRow as Row

    project = entry.project
    row = Row(
        project_id=entry.id,
        version=entry.version,
        action=entry.action,
        recorded_at=entry.recorded_at,
        recorded_by=entry.recorded_by[:200],
        title=project.title,
        country=project.country,
        status=project.status.value,
        capex_meur=project.capex_meur,
        funding_gap_meur=project.funding_gap_meur,
        ghg_avoided_10y_tco2e=project.ghg_avoided_10y_tco2e,
        payload=project.model_dump_json(),
    )
    try:
        with Session(engine) as s, s.begin():
            s.add(row)
    except IntegrityError as exc:
        why = _reason(exc)
        if "unique" in why.lower() or "duplicate" in why.lower():
            raise PipelineError(
                f"project {entry.id!r}: version {entry.version} was recorded meanwhile by "
                "another writer; read the project again and retry"
            ) from None
        raise PipelineError(
            f"project {entry.id!r}: refused by the pipeline database ({why})"
        ) from None
    except SQLAlchemyError as exc:
        raise PipelineError(f"{name}: the database failed ({_reason(exc)})") from None
    log.info(
        "pipeline %s %s version %d by %s", entry.action, entry.id, entry.version, entry.recorded_by
    )


def log_unreadable(project_id: str, version: int, exc: Exception) -> None:
    """Log a stored version this code cannot read (it is skipped, the rest stays usable)."""
    log.warning("pipeline: project %r version %d unreadable, skipped: %s", project_id, version, exc)


def release(engine: Engine, name: str, by: str, at: datetime) -> datetime:
    """Record a release point at ``at``; returns it."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from critchem.investment.pipeline_models import PipelineRelease

    try:
        with Session(engine) as s, s.begin():
            s.add(PipelineRelease(released_at=at, released_by=by[:200]))
    except SQLAlchemyError as exc:
        raise PipelineError(f"{name}: the database failed ({_reason(exc)})") from None
    log.info("pipeline released at %s by %s", at.isoformat(), by)
    return at


def releases(engine: Engine, name: str) -> list[datetime]:
    """Every release point, oldest first."""
    from sqlalchemy import select

    from critchem.investment.pipeline_models import PipelineRelease

    with session(engine, name) as s:
        return list(s.scalars(select(PipelineRelease.released_at).order_by(PipelineRelease.id)))
