"""API keys get scopes and an expiry; keys made before get ``read`` and 90 days.

Revision ID: 0008_hardening_key_scopes
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0008_hardening_key_scopes"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY_DAYS = 90
"""Days a key made before scopes existed stays valid after the upgrade."""


def upgrade() -> None:
    """Add ``scopes`` and ``expires_at``; older keys become read-only and expire in 90 days."""
    with op.batch_alter_table("api_key") as batch:
        batch.add_column(
            sa.Column("scopes", sa.String(length=200), nullable=False, server_default="read")
        )
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    key = sa.table("api_key", sa.column("expires_at", sa.DateTime(timezone=True)))
    until = datetime.now(UTC) + timedelta(days=LEGACY_DAYS)
    op.execute(key.update().where(key.c.expires_at.is_(None)).values(expires_at=until))


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("api_key") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("scopes")
