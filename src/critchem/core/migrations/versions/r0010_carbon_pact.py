"""Create the PACT host tables: pact_client, pact_footprint and pact_event.

Revision ID: 0010_carbon_pact
Revises: 0009_hardening_signin_attempt
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_carbon_pact"
down_revision: str | None = "0009_hardening_signin_attempt"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "pact_client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_client")),
        sa.UniqueConstraint("client_id", name=op.f("uq_pact_client_client_id")),
        sa.UniqueConstraint("name", name=op.f("uq_pact_client_name")),
    )
    op.create_table(
        "pact_footprint",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_footprint")),
    )
    op.create_index(op.f("ix_pact_footprint_created"), "pact_footprint", ["created"], unique=False)
    op.create_table(
        "pact_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=2000), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_event")),
    )
    op.create_index(op.f("ix_pact_event_event_id"), "pact_event", ["event_id"], unique=False)


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_index(op.f("ix_pact_event_event_id"), table_name="pact_event")
    op.drop_table("pact_event")
    op.drop_index(op.f("ix_pact_footprint_created"), table_name="pact_footprint")
    op.drop_table("pact_footprint")
    op.drop_table("pact_client")
