"""The alert tables as typed SQLAlchemy ORM models.

``Alert`` is one fused warning (deduplicated by ``fingerprint``), ``AlertEvent`` the detector
events behind it, ``AlertTransition`` the audit trail of its state changes and ``MonitorRun``
one run of the monitor with the watermark of the data it has seen. The schema itself is
created by the Alembic migrations of :mod:`critchem.core.migrations`, never by ``create_all``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from critchem.core.database import Base, UtcDateTime, utcnow

STATES: tuple[str, ...] = ("new", "acknowledged", "closed")


class Alert(Base):
    """One fused warning about a molecule or product, a reporter, a partner and a month window."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    molecule_id: Mapped[str | None] = mapped_column(String(64), index=True)
    product: Mapped[str | None] = mapped_column(String(16), index=True)
    reporter: Mapped[str] = mapped_column(String(16))
    partner: Mapped[str] = mapped_column(String(16))
    flow: Mapped[str | None] = mapped_column(String(8))
    severity: Mapped[str] = mapped_column(String(8), index=True)
    families: Mapped[list[str]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), index=True, default="new")
    title: Mapped[str] = mapped_column(Text)
    first_seen_period: Mapped[date] = mapped_column(Date)
    last_seen_period: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    close_reason: Mapped[str | None] = mapped_column(Text)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)

    events: Mapped[list[AlertEvent]] = relationship(
        back_populates="alert", order_by="AlertEvent.id", cascade="all, delete-orphan"
    )
    transitions: Mapped[list[AlertTransition]] = relationship(
        back_populates="alert", order_by="AlertTransition.id", cascade="all, delete-orphan"
    )


class AlertEvent(Base):
    """One detector event behind an alert (``event_key`` makes re-runs idempotent)."""

    __tablename__ = "alert_event"
    __table_args__ = (UniqueConstraint("alert_id", "event_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    event_key: Mapped[str] = mapped_column(String(64))
    detector: Mapped[str] = mapped_column(String(64))
    detector_version: Mapped[str] = mapped_column(String(32))
    family: Mapped[str] = mapped_column(String(16))
    period: Mapped[date] = mapped_column(Date)
    statistic: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    key: Mapped[dict[str, str]] = mapped_column(JSON)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    alert: Mapped[Alert] = relationship(back_populates="events")


class AlertTransition(Base):
    """One state change of an alert: who, when, from which state to which, and why."""

    __tablename__ = "alert_transition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    alert: Mapped[Alert] = relationship(back_populates="transitions")


class MonitorRun(Base):
    """One monitor run and the watermark of the data it has seen (for incremental runs)."""

    __tablename__ = "monitor_run"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    watermark: Mapped[dict[str, Any]] = mapped_column(JSON)
    alerts_created: Mapped[int] = mapped_column(Integer, default=0)
    alerts_updated: Mapped[int] = mapped_column(Integer, default=0)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON)
