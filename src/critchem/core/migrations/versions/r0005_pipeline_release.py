"""Create the pipeline_release table: the release points of published pipeline aggregates.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table and its index on the release time."""
    op.create_table(
        "pipeline_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_release")),
    )
    op.create_index(
        op.f("ix_pipeline_release_released_at"), "pipeline_release", ["released_at"], unique=False
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_index(op.f("ix_pipeline_release_released_at"), table_name="pipeline_release")
    op.drop_table("pipeline_release")
