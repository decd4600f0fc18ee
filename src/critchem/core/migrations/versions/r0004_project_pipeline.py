"""Create the project pipeline table: project_version (one row per version, checked numbers).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHECKS: tuple[tuple[str, str], ...] = (
    ("version_positive", "version >= 1"),
    ("action_known", "action IN ('add', 'update')"),
    ("capex_range", "capex_meur > 0 AND capex_meur <= 100000.0"),
    ("gap_range", "funding_gap_meur >= 0 AND funding_gap_meur <= capex_meur"),
    ("ghg_range", "ghg_avoided_10y_tco2e >= 0 AND ghg_avoided_10y_tco2e <= 10000000000.0"),
)


def upgrade() -> None:
    """Create the table, its unique (project_id, version) key, its checks and index."""
    op.create_table(
        "project_version",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("capex_meur", sa.Float(), nullable=False),
        sa.Column("funding_gap_meur", sa.Float(), nullable=False),
        sa.Column("ghg_avoided_10y_tco2e", sa.Float(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_project_version")),
        sa.UniqueConstraint(
            "project_id", "version", name=op.f("uq_project_version_project_id_version")
        ),
        *(
            sa.CheckConstraint(sql, name=op.f(f"ck_project_version_{name}"))
            for name, sql in _CHECKS
        ),
    )
    op.create_index(
        op.f("ix_project_version_project_id"), "project_version", ["project_id"], unique=False
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_index(op.f("ix_project_version_project_id"), table_name="project_version")
    op.drop_table("project_version")
