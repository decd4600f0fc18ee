"""Create the chain-of-custody tables: custody_record, custody_input.

Revision ID: 0012_carbon_custody
Revises: 0011_carbon_pact_outbox
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_carbon_custody"
down_revision: str | None = "0011_carbon_pact_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "custody_record",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("batch", sa.String(length=100), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("molecule", sa.String(length=100), nullable=True),
        sa.Column("cn_code", sa.String(length=8), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("pcf_id", sa.String(length=36), nullable=True),
        sa.Column("custody_model", sa.String(length=32), nullable=False),
        sa.Column("certified_quantity", sa.Float(), nullable=False),
        sa.Column("conversion_factor", sa.Float(), nullable=False),
        sa.Column("certificates", sa.JSON(), nullable=False),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("produced_on", sa.Date(), nullable=True),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_record")),
    )
    op.create_index(op.f("ix_custody_record_supplier"), "custody_record", ["supplier"])
    op.create_index(op.f("ix_custody_record_recipient"), "custody_record", ["recipient"])
    op.create_table(
        "custody_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("input_id", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["custody_record.id"],
            name=op.f("fk_custody_input_record_id_custody_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["input_id"],
            ["custody_record.id"],
            name=op.f("fk_custody_input_input_id_custody_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_input")),
    )
    op.create_index(op.f("ix_custody_input_record_id"), "custody_input", ["record_id"])
    op.create_index(op.f("ix_custody_input_input_id"), "custody_input", ["input_id"])


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_index(op.f("ix_custody_input_input_id"), table_name="custody_input")
    op.drop_index(op.f("ix_custody_input_record_id"), table_name="custody_input")
    op.drop_table("custody_input")
    op.drop_index(op.f("ix_custody_record_recipient"), table_name="custody_record")
    op.drop_index(op.f("ix_custody_record_supplier"), table_name="custody_record")
    op.drop_table("custody_record")
