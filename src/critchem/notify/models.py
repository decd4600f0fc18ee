"""The notification tables as typed SQLAlchemy ORM models.

``Subscription`` says who wants to hear about which alerts and how (a webhook or an e-mail
address); ``Delivery`` is the log of sending one alert to one subscription, at most one row
per pair, with every attempt recorded in ``log``. They share the declarative ``Base`` of
:mod:`critchem.core.database`, so one Alembic history (``core/migrations``) covers them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from critchem.core.database import Base, UtcDateTime, utcnow
from critchem.surveillance.alerts.models import Alert

CHANNELS: tuple[str, ...] = ("webhook", "email")
"""How a subscription is notified."""
DELIVERY_STATUSES: tuple[str, ...] = ("pending", "delivered", "failed")
"""The states of a delivery."""


class Subscription(Base):
    """Who is told about which alerts: a channel, a target and optional filters."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)
    secret: Mapped[str | None] = mapped_column(String(200))
    molecule_id: Mapped[str | None] = mapped_column(String(64))
    product_prefix: Mapped[str | None] = mapped_column(String(16))
    min_severity: Mapped[str] = mapped_column(String(8), default="info")
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="subscription",
        order_by="Delivery.id",
        cascade="all, delete-orphan",
    )


class Delivery(Base):
    """Sending one alert to one subscription: status, attempts and their log."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("subscription_id", "alert_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscription.id", ondelete="CASCADE"), index=True
    )
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    subscription: Mapped[Subscription] = relationship(back_populates="deliveries")
    alert: Mapped[Alert] = relationship()
