"""Turning fused drafts into stored rows: create a new alert, or merge into an existing one.

See ``store`` for the rules (deduplication, escalation, recurrence).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from importlib import metadata
from typing import Any, cast

from sqlalchemy.orm import Session

from critchem.surveillance.alerts.fusion import (
    AlertDraft,
    event_key,
    fused_severity,
    make_title,
    max_severity,
)
from critchem.surveillance.alerts.models import Alert, AlertEvent, AlertTransition
from critchem.surveillance.base import Event, Family, Severity

SYSTEM = "system"
"""Who is recorded for the transitions the store makes by itself."""


def code_version() -> str:
    """The installed critchem version (``unknown`` when not installed)."""
    try:
        return metadata.version("critchem")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed in practice
        return "unknown"


def _evidence(event: Event) -> dict[str, Any]:
    return {
        "detector": event.detector,
        "detector_version": event.detector_version,
        "family": event.family,
        "period": event.period.isoformat(),
        "statistic": event.statistic,
        "threshold": event.threshold,
        "severity": event.severity,
        "evidence": event.evidence,
    }


def _row(event: Event, provenance: dict[str, Any], now: datetime) -> AlertEvent:
    return AlertEvent(
        event_key=event_key(event),
        detector=event.detector,
        detector_version=event.detector_version,
        family=event.family,
        period=event.period,
        statistic=event.statistic,
        threshold=event.threshold,
        severity=event.severity,
        message=event.message,
        key=dict(event.key),
        evidence=event.evidence,
        provenance=provenance,
        recorded_at=now,
    )


def _event(row: AlertEvent) -> Event:
    return Event(
        detector=row.detector,
        detector_version=row.detector_version,
        family=cast(Family, row.family),
        key=row.key,
        period=row.period,
        statistic=row.statistic,
        threshold=row.threshold,
        severity=cast(Severity, row.severity),
        message=row.message,
        evidence=row.evidence,
    )


def _fresh(events: Iterable[Event], known: set[str]) -> list[Event]:
    """The events whose key is not in ``known`` (which is updated), first occurrence kept."""
    fresh = []
    for event in events:
        key = event_key(event)
        if key not in known:
            known.add(key)
            fresh.append(event)
    return fresh


def _detectors(events: Iterable[Event]) -> str:
    return ", ".join(sorted({e.detector for e in events}))


def merged_provenance(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """``new``, with the ``sources`` of ``old`` kept: an alert's events may come from both.

    >>> merged_provenance({"sources": ["synthetic"]}, {"sources": ["comext_bulk"], "loads": []})
    {'sources': ['comext_bulk', 'synthetic'], 'loads': []}
    """
    before = (old or {}).get("sources")
    after = new.get("sources")
    if not isinstance(before, list) or not isinstance(after, list):
        return new
    return {**new, "sources": sorted({*map(str, before), *map(str, after)})}


def create_alert(
    session: Session, draft: AlertDraft, provenance: dict[str, Any], now: datetime
) -> Alert:
    events = _fresh(draft.events, set())
    alert = Alert(
        fingerprint=draft.fingerprint,
        molecule_id=draft.subject.molecule_id,
        product=draft.subject.product,
        reporter=draft.subject.reporter,
        partner=draft.subject.partner,
        flow=draft.subject.flow,
        severity=draft.severity,
        families=list(draft.families),
        state="new",
        title=draft.title,
        first_seen_period=draft.first_seen_period,
        last_seen_period=draft.last_seen_period,
        created_at=now,
        updated_at=now,
        provenance=provenance,
        evidence=[_evidence(e) for e in events],
    )
    alert.events = [_row(e, provenance, now) for e in events]
    alert.transitions = [
        AlertTransition(
            from_state=None,
            to_state="new",
            by=SYSTEM,
            at=now,
            note=f"raised by {_detectors(events)}",
        )
    ]
    session.add(alert)
    return alert


def merge_into(alert: Alert, draft: AlertDraft, provenance: dict[str, Any], now: datetime) -> bool:
    fresh = _fresh(draft.events, {row.event_key for row in alert.events})
    if not fresh:
        return False
    alert.events.extend(_row(e, provenance, now) for e in fresh)
    fused = fused_severity(_event(row) for row in alert.events)
    severity = max_severity(cast(Severity, alert.severity), fused)
    alert.severity = severity
    alert.families = sorted({*alert.families, *(e.family for e in fresh)})
    alert.first_seen_period = min(alert.first_seen_period, draft.first_seen_period)
    alert.last_seen_period = max(alert.last_seen_period, draft.last_seen_period)
    alert.title = make_title(
        draft.subject,
        draft.window_start,
        draft.window_months,
        (row.detector for row in alert.events),
        events=[_event(row) for row in alert.events],
    )
    alert.evidence = [*alert.evidence, *(_evidence(e) for e in fresh)]
    alert.provenance = merged_provenance(alert.provenance, provenance)
    alert.updated_at = now
    if alert.state == "closed":
        note = (
            f"reopened: {len(fresh)} new event(s) from {_detectors(fresh)} after it was "
            f"closed by {alert.closed_by} ({alert.close_reason})"
        )
        alert.transitions.append(
            AlertTransition(from_state="closed", to_state="new", by=SYSTEM, at=now, note=note)
        )
        alert.state = "new"
        alert.acknowledged_by = alert.acknowledged_at = None
        alert.closed_by = alert.closed_at = alert.close_reason = None
    return True
