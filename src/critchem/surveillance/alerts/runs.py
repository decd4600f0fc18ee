"""Monitor runs: when detection ran, what it produced and the watermark of the data it saw.

The incremental monitor reads the watermark of the last finished run (e.g. the load ids or
the latest period per source) and only looks at data past it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from critchem.core.database import utcnow
from critchem.core.errors import AlertNotFoundError, AlertStateError
from critchem.surveillance.alerts.ingest import code_version
from critchem.surveillance.alerts.models import MonitorRun
from critchem.surveillance.alerts.store import AlertStore


def start_run(
    store: AlertStore,
    *,
    provenance: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> str:
    """Record the start of a monitor run; returns its id (a UUID)."""
    run = MonitorRun(
        id=str(uuid.uuid4()),
        started_at=now or utcnow(),
        status="running",
        watermark={},
        alerts_created=0,
        alerts_updated=0,
        provenance={"code_version": code_version(), **(provenance or {})},
    )
    with store.session() as session, session.begin():
        session.add(run)
    return run.id


def finish_run(
    store: AlertStore,
    run_id: str,
    *,
    watermark: dict[str, Any],
    created: int = 0,
    updated: int = 0,
    status: str = "finished",
    now: datetime | None = None,
) -> MonitorRun:
    """Record the end of run ``run_id`` with the watermark of the data it has seen.

    ``status`` is ``finished`` or ``failed``; only finished runs count for ``last_run``.
    """
    if status not in ("finished", "failed"):
        raise AlertStateError(f"monitor run {run_id}: status {status!r} is not finished|failed")
    with store.session() as session, session.begin():
        run = session.get(MonitorRun, run_id)
        if run is None:
            raise AlertNotFoundError(f"no monitor run with id {run_id}")
        if run.status != "running":
            raise AlertStateError(f"monitor run {run_id} is already {run.status}")
        run.finished_at = now or utcnow()
        run.status = status
        run.watermark = watermark
        run.alerts_created, run.alerts_updated = created, updated
    return run


def last_run(store: AlertStore) -> MonitorRun | None:
    """The most recently finished run (``None`` before the first), for its watermark."""
    query = (
        select(MonitorRun)
        .where(MonitorRun.status == "finished")
        .order_by(MonitorRun.finished_at.desc())
        .limit(1)
    )
    with store.session() as session:
        return session.scalar(query)
