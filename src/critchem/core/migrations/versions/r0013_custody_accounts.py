"""Site-level mass-balance accounts: custody_account, and the sites of custody_record.

Revision ID: 0013_custody_accounts
Revises: 0012_carbon_custody
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_custody_accounts"
down_revision: str | None = "0012_carbon_custody"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the record's two sites and the accounts table."""
    with op.batch_alter_table("custody_record") as batch:
        batch.add_column(sa.Column("supplier_site", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("recipient_site", sa.String(length=100), nullable=True))
    op.create_table(
        "custody_account",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("organisation_key", sa.String(length=200), nullable=False),
        sa.Column("site", sa.String(length=100), nullable=False),
        sa.Column("site_key", sa.String(length=100), nullable=False),
        sa.Column("product", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("carry_periods", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("rule_source", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_account")),
        sa.UniqueConstraint(
            "organisation_key",
            "site_key",
            "product",
            name=op.f("uq_custody_account_organisation_key_site_key_product"),
        ),
    )
    op.create_index(
        op.f("ix_custody_account_organisation_key"), "custody_account", ["organisation_key"]
    )


def downgrade() -> None:
    """Drop the accounts table and the record's sites."""
    op.drop_index(op.f("ix_custody_account_organisation_key"), table_name="custody_account")
    op.drop_table("custody_account")
    with op.batch_alter_table("custody_record") as batch:
        batch.drop_column("recipient_site")
        batch.drop_column("supplier_site")
