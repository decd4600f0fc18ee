"""``AlertStore``: fused alerts stored through SQLAlchemy, deduplicated, with their lifecycle.

Rules
-----
* **Deduplication.** An alert is identified by its fingerprint (subject, reporter, partner,
  flow, window; see ``fusion.fingerprint``) and each event by its ``event_key``. Storing the
  same drafts twice changes nothing: ``upsert`` returns ``(0, 0)`` the second time.
* **Escalation, never silent de-escalation.** New events are appended to the existing alert;
  its severity becomes ``max(stored severity, fused severity of all its events)``.
* **Recurrence.** A closed alert that receives new events is reopened as ``new``, with a
  transition ``closed -> new`` by ``system`` whose note names the new events and the reason
  it had been closed. Acknowledged alerts stay acknowledged (their severity may rise).
* **Lifecycle.** ``new -> acknowledged -> closed`` and ``new -> closed``; anything else
  raises ``AlertStateError``. Every state change is recorded as an ``AlertTransition``.

``AlertStore`` is a :class:`~critchem.core.database.Database`: the schema is upgraded with the
shipped Alembic migrations on first use; no connection is opened before then.
"""

from __future__ import annotations

import builtins
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, defer, selectinload

from critchem.core.database import Database, utcnow
from critchem.core.errors import AlertNotFoundError, AlertStateError
from critchem.surveillance.alerts.fusion import AlertDraft
from critchem.surveillance.alerts.ingest import code_version, create_alert, merge_into
from critchem.surveillance.alerts.lifecycle import apply_transition
from critchem.surveillance.alerts.memo import Memo
from critchem.surveillance.alerts.models import STATES, Alert
from critchem.surveillance.base import SEVERITIES


class AlertStore(Database):
    """Alerts in the application database (SQLite or PostgreSQL) at ``url``.

    Parameters
    ----------
    url
        SQLAlchemy URL, e.g. ``sqlite:///critchem.db`` or
        ``postgresql+psycopg://critchem:secret@localhost/critchem``.
    auto_migrate
        Upgrade the schema to the shipped head on first use (default ``True``).
    other_writers_lag
        Seconds for which ``version()`` may reuse its last look at the database: how late
        memoised reads may see writes made through *another* store (another process).
        Writes through this store are seen at once.
    """

    def __init__(
        self, url: str, *, auto_migrate: bool = True, other_writers_lag: float = 0.25
    ) -> None:
        super().__init__(url, auto_migrate=auto_migrate)
        self.other_writers_lag = other_writers_lag
        self._looked: tuple[float, int, datetime | None] | None = None
        self._writes = 0
        self._looking = threading.Lock()
        self.memo = Memo()
        """Answers of read queries, valid while ``version()`` stays the same."""

    def version(self) -> tuple[int, int, datetime | None]:
        """A token that changes when alerts are added or change, here or in another process.

        ``(writes through this store, number of alerts, latest updated_at)``: every write
        adds an alert or sets its ``updated_at``; a write from another process with an
        explicit, older ``now`` is the one change it cannot see. The database part is read
        again once ``other_writers_lag`` seconds have passed: under load, that query was a
        third of a memoised request's time. One thread reads it; the others meanwhile keep
        the last look (under load, every worker thread queried at once when it went stale).
        """
        looked = self._looked
        stale = looked is None or time.monotonic() - looked[0] >= self.other_writers_lag
        wait = looked is None or self.other_writers_lag <= 0
        if stale and self._looking.acquire(blocking=wait):
            try:
                looked = self._look()
            finally:
                self._looking.release()
        assert looked is not None  # a first look (or with no lag allowed) waits for the lock
        return self._writes, looked[1], looked[2]

    def _look(self) -> tuple[float, int, datetime | None]:
        with self.engine.connect() as connection:  # Core: a third of an ORM session's time
            count, latest = connection.execute(
                select(func.count(Alert.id), func.max(Alert.updated_at))
            ).one()
        looked = self._looked = (time.monotonic(), int(count), latest)
        return looked

    def upsert(
        self,
        drafts: Iterable[AlertDraft],
        *,
        provenance: dict[str, Any] | None = None,
        provenance_of: Callable[[AlertDraft], dict[str, Any]] | None = None,
        now: datetime | None = None,
    ) -> tuple[int, int]:
        """Store fused alerts, deduplicated by fingerprint; see the module docstring.

        Parameters
        ----------
        drafts
            Alerts from ``fusion.fuse``.
        provenance
            Where the events come from: data source, load ids or file hashes, ... The code
            version is added. Stored on the alert (latest) and on each new event.
        provenance_of
            Each draft's own provenance (e.g. the sources of its series), laid over
            ``provenance``.
        now
            The time to record (default: the current UTC time).

        Returns
        -------
        tuple[int, int]
            ``(created, updated)``: alerts created, and existing alerts that gained events.
        """
        drafts = list(drafts)
        stamp = now or utcnow()
        base = {"code_version": code_version(), **(provenance or {})}
        prov = base
        created = updated = 0
        with self.session() as session, session.begin():
            existing = self._by_fingerprint(session, {d.fingerprint for d in drafts})
            for draft in drafts:
                alert = existing.get(draft.fingerprint)
                if provenance_of is not None:
                    prov = {**base, **provenance_of(draft)}
                if alert is None:
                    existing[draft.fingerprint] = create_alert(session, draft, prov, stamp)
                    created += 1
                elif merge_into(alert, draft, prov, stamp):
                    updated += 1
        self._writes += 1
        return created, updated

    @staticmethod
    def _by_fingerprint(session: Session, fingerprints: set[str]) -> dict[str, Alert]:
        found: dict[str, Alert] = {}
        ordered = sorted(fingerprints)
        for i in range(0, len(ordered), 500):
            query = (
                select(Alert)
                .where(Alert.fingerprint.in_(ordered[i : i + 500]))
                .options(selectinload(Alert.events))
            )
            found.update((a.fingerprint, a) for a in session.scalars(query))
        return found

    def _query(
        self,
        *,
        state: str | None,
        severity: str | None,
        molecule: str | None,
        product: str | None,
        since: date | None,
    ) -> Select[Alert]:
        if state is not None and state not in STATES:
            raise AlertStateError(f"unknown state {state!r}: one of {', '.join(STATES)}")
        if severity is not None and severity not in SEVERITIES:
            raise AlertStateError(f"unknown severity {severity!r}: one of {', '.join(SEVERITIES)}")
        query = select(Alert)
        if state is not None:
            query = query.where(Alert.state == state)
        if severity is not None:
            query = query.where(Alert.severity == severity)
        if molecule is not None:
            query = query.where(Alert.molecule_id == molecule)
        if product is not None:
            query = query.where(Alert.product == product)
        if since is not None:
            query = query.where(Alert.last_seen_period >= since)
        return query

    def list(
        self,
        *,
        state: str | None = None,
        severity: str | None = None,
        molecule: str | None = None,
        product: str | None = None,
        since: date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> builtins.list[Alert]:
        """Alerts matching every given filter, latest period first (then newest id first).

        ``since`` keeps alerts last seen on or after that date; ``limit``/``offset`` page.
        The rows come without their ``evidence`` (reading it raises): decoding it was most of
        a list's time; ``get`` loads an alert whole. The small ``provenance`` is loaded: its
        sources say whether the alert stems from synthetic data (the label of every list).
        """
        query = self._query(
            state=state, severity=severity, molecule=molecule, product=product, since=since
        )
        query = query.order_by(Alert.last_seen_period.desc(), Alert.id.desc()).options(
            defer(Alert.evidence, raiseload=True)
        )
        with self.session() as session:
            return builtins.list(session.scalars(query.limit(limit).offset(offset)))

    def count(
        self,
        *,
        state: str | None = None,
        severity: str | None = None,
        molecule: str | None = None,
        product: str | None = None,
        since: date | None = None,
    ) -> int:
        """How many alerts match the filters (same meaning as in ``list``)."""
        query = self._query(
            state=state, severity=severity, molecule=molecule, product=product, since=since
        )
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    def get(self, alert_id: int) -> Alert:
        """The alert ``alert_id`` with its events and transitions loaded."""
        with self.session() as session:
            return self._load(session, alert_id)

    def _load(self, session: Session, alert_id: int, *, lock: bool = False) -> Alert:
        query = (
            select(Alert)
            .where(Alert.id == alert_id)
            .options(selectinload(Alert.events), selectinload(Alert.transitions))
        )
        alert = session.scalar(query.with_for_update() if lock else query)
        if alert is None:
            raise AlertNotFoundError(
                f"no alert with id {alert_id} in {make_url(self.url).render_as_string()}"
            )
        return alert

    def _transition(
        self, alert_id: int, to_state: str, who: str, note: str | None, now: datetime | None
    ) -> Alert:
        if not who.strip():
            raise AlertStateError(f"alert {alert_id}: say who is moving it to {to_state}")
        stamp = now or utcnow()
        with self.session() as session, session.begin():
            alert = self._load(session, alert_id, lock=True)
            apply_transition(alert, to_state, who, note, stamp)
        self._writes += 1
        return alert

    def acknowledge(
        self, alert_id: int, who: str, note: str | None = None, *, now: datetime | None = None
    ) -> Alert:
        """Move a new alert to ``acknowledged`` (someone is looking at it)."""
        return self._transition(alert_id, "acknowledged", who, note, now)

    def close(self, alert_id: int, who: str, reason: str, *, now: datetime | None = None) -> Alert:
        """Close a new or acknowledged alert, with the ``reason`` (required)."""
        if not reason.strip():
            raise AlertStateError(f"alert {alert_id}: closing needs a reason")
        return self._transition(alert_id, "closed", who, reason, now)
