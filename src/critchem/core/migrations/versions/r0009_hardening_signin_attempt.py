"""Create the signin_attempt table: the sign-in limiter every worker shares.

Revision ID: 0009_hardening_signin_attempt
Revises: 0008_hardening_key_scopes
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_hardening_signin_attempt"
down_revision: str | None = "0008_hardening_key_scopes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table and its indexes (by time; by address, name and time)."""
    op.create_table(
        "signin_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signin_attempt")),
    )
    op.create_index(op.f("ix_signin_attempt_at"), "signin_attempt", ["at"], unique=False)
    op.create_index("ix_signin_attempt_ip_at", "signin_attempt", ["ip", "at"], unique=False)
    op.create_index(
        "ix_signin_attempt_username_at", "signin_attempt", ["username", "at"], unique=False
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_index("ix_signin_attempt_username_at", table_name="signin_attempt")
    op.drop_index("ix_signin_attempt_ip_at", table_name="signin_attempt")
    op.drop_index(op.f("ix_signin_attempt_at"), table_name="signin_attempt")
    op.drop_table("signin_attempt")
