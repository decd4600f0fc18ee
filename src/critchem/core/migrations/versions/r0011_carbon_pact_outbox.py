"""Create the PACT callback allow-list and answer outbox: pact_callback_host, pact_outbox.

Revision ID: 0011_carbon_pact_outbox
Revises: 0010_carbon_pact
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_carbon_pact_outbox"
down_revision: str | None = "0010_carbon_pact"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "pact_callback_host",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=300), nullable=False),
        sa.Column("remote_client_id", sa.String(length=500), nullable=True),
        sa.Column("remote_secret", sa.Text(), nullable=True),
        sa.Column("auth_url", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_callback_host")),
        sa.UniqueConstraint("client_id", "host", name=op.f("uq_pact_callback_host_client_id_host")),
    )
    op.create_index(
        op.f("ix_pact_callback_host_client_id"), "pact_callback_host", ["client_id"], unique=False
    )
    op.create_table(
        "pact_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("request_event_id", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_outcome", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_outbox")),
    )
    op.create_index(op.f("ix_pact_outbox_event_id"), "pact_outbox", ["event_id"], unique=False)
    op.create_index("ix_pact_outbox_due", "pact_outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_index("ix_pact_outbox_due", table_name="pact_outbox")
    op.drop_index(op.f("ix_pact_outbox_event_id"), table_name="pact_outbox")
    op.drop_table("pact_outbox")
    op.drop_index(op.f("ix_pact_callback_host_client_id"), table_name="pact_callback_host")
    op.drop_table("pact_callback_host")
