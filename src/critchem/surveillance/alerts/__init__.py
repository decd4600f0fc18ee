"""Alerts: detector events fused into warnings, stored with their lifecycle.

``fuse`` groups events into ``AlertDraft``s (red needs two independent pieces of evidence), ``AlertStore``
keeps them deduplicated in SQLite or PostgreSQL (schema by the Alembic migrations of
:mod:`critchem.core.migrate`) and moves them through ``new -> acknowledged -> closed``;
``start_run`` and ``finish_run`` record monitor runs and the watermark of the data they saw.
"""

from __future__ import annotations

from critchem.surveillance.alerts.fusion import (
    AlertDraft,
    Subject,
    fingerprint,
    fuse,
    fused_severity,
)
from critchem.surveillance.alerts.lifecycle import ALLOWED
from critchem.surveillance.alerts.models import (
    Alert,
    AlertEvent,
    AlertTransition,
    MonitorRun,
)
from critchem.surveillance.alerts.runs import finish_run, last_run, start_run
from critchem.surveillance.alerts.store import AlertStore

__all__ = [
    "ALLOWED",
    "Alert",
    "AlertDraft",
    "AlertEvent",
    "AlertStore",
    "AlertTransition",
    "MonitorRun",
    "Subject",
    "fingerprint",
    "finish_run",
    "fuse",
    "fused_severity",
    "last_run",
    "start_run",
]
