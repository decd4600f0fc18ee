"""Create the alert tables: alert, alert_event, alert_transition and monitor_run.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the four tables with their keys and indexes."""
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("molecule_id", sa.String(length=64), nullable=True),
        sa.Column("product", sa.String(length=16), nullable=True),
        sa.Column("reporter", sa.String(length=16), nullable=False),
        sa.Column("partner", sa.String(length=16), nullable=False),
        sa.Column("flow", sa.String(length=8), nullable=True),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("families", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_seen_period", sa.Date(), nullable=False),
        sa.Column("last_seen_period", sa.Date(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        _timestamp("acknowledged_at", nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        _timestamp("closed_at", nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_alert_fingerprint")),
    )
    for column in ("last_seen_period", "molecule_id", "product", "severity", "state"):
        op.create_index(op.f(f"ix_alert_{column}"), "alert", [column], unique=False)

    op.create_table(
        "alert_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=64), nullable=False),
        sa.Column("detector", sa.String(length=64), nullable=False),
        sa.Column("detector_version", sa.String(length=32), nullable=False),
        sa.Column("family", sa.String(length=16), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("statistic", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("key", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        _timestamp("recorded_at"),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_alert_event_alert_id_alert"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_event")),
        sa.UniqueConstraint(
            "alert_id", "event_key", name=op.f("uq_alert_event_alert_id_event_key")
        ),
    )
    op.create_index(op.f("ix_alert_event_alert_id"), "alert_event", ["alert_id"], unique=False)

    op.create_table(
        "alert_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        _timestamp("at"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_alert_transition_alert_id_alert"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_transition")),
    )
    op.create_index(
        op.f("ix_alert_transition_alert_id"), "alert_transition", ["alert_id"], unique=False
    )

    op.create_table(
        "monitor_run",
        sa.Column("id", sa.String(length=36), nullable=False),
        _timestamp("started_at"),
        _timestamp("finished_at", nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("watermark", sa.JSON(), nullable=False),
        sa.Column("alerts_created", sa.Integer(), nullable=False),
        sa.Column("alerts_updated", sa.Integer(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_run")),
    )


def downgrade() -> None:
    """Drop the four tables (their indexes go with them)."""
    op.drop_table("monitor_run")
    op.drop_table("alert_transition")
    op.drop_table("alert_event")
    op.drop_table("alert")
