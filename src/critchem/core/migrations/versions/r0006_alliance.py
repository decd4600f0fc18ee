"""Create the Alliance tables: organisations, signatures, bodies, seats, meetings, documents,
motions with versions, comments and votes, and the work programme.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply the revision."""
    op.create_table(
        "alliance_body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("remit", sa.Text(), nullable=False),
        sa.Column("membership", sa.String(length=16), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_body")),
        sa.UniqueConstraint("slug", name=op.f("uq_alliance_body_slug")),
    )
    op.create_table(
        "alliance_organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("org_type", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("size", sa.String(length=16), nullable=True),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("molecules", sa.JSON(), nullable=False),
        sa.Column("value_chains", sa.JSON(), nullable=False),
        sa.Column("transparency_id", sa.String(length=32), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=320), nullable=False),
        sa.Column("show_contact", sa.Boolean(), nullable=False),
        sa.Column("voter_username", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "applied_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "decided_at",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_alliance_organisation_name")),
    )
    with op.batch_alter_table("alliance_organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alliance_organisation_status"), ["status"], unique=False
        )

    op.create_table(
        "alliance_body_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column(
            "joined_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["alliance_body.id"],
            name=op.f("fk_alliance_body_member_body_id_alliance_body"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["alliance_organisation.id"],
            name=op.f("fk_alliance_body_member_organisation_id_alliance_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_body_member")),
        sa.UniqueConstraint(
            "body_id",
            "organisation_id",
            name=op.f("uq_alliance_body_member_body_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("alliance_body_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alliance_body_member_body_id"), ["body_id"], unique=False
        )

    op.create_table(
        "alliance_deliverable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("owner_body_id", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outputs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_body_id"],
            ["alliance_body.id"],
            name=op.f("fk_alliance_deliverable_owner_body_id_alliance_body"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_deliverable")),
        sa.UniqueConstraint("slug", name=op.f("uq_alliance_deliverable_slug")),
    )
    op.create_table(
        "alliance_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["alliance_body.id"],
            name=op.f("fk_alliance_meeting_body_id_alliance_body"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_meeting")),
    )
    with op.batch_alter_table("alliance_meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alliance_meeting_body_id"), ["body_id"], unique=False)

    op.create_table(
        "alliance_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["alliance_body.id"], name=op.f("fk_alliance_seat_body_id_alliance_body")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["alliance_organisation.id"],
            name=op.f("fk_alliance_seat_organisation_id_alliance_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_seat")),
    )
    with op.batch_alter_table("alliance_seat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alliance_seat_body_id"), ["body_id"], unique=False)

    op.create_table(
        "alliance_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("declaration_version", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("signatory", sa.String(length=200), nullable=False),
        sa.Column("signatory_email", sa.String(length=320), nullable=False),
        sa.Column(
            "signed_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("source_address", sa.String(length=64), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["alliance_organisation.id"],
            name=op.f("fk_alliance_signature_organisation_id_alliance_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_signature")),
    )
    with op.batch_alter_table("alliance_signature", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alliance_signature_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "alliance_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["alliance_body.id"],
            name=op.f("fk_alliance_document_body_id_alliance_body"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["alliance_meeting.id"],
            name=op.f("fk_alliance_document_meeting_id_alliance_meeting"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_document")),
    )
    with op.batch_alter_table("alliance_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alliance_document_body_id"), ["body_id"], unique=False)

    op.create_table(
        "alliance_motion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("proposer", sa.String(length=300), nullable=False),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("yes", sa.Integer(), nullable=True),
        sa.Column("no", sa.Integer(), nullable=True),
        sa.Column("abstain", sa.Integer(), nullable=True),
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("quorum", sa.Boolean(), nullable=True),
        sa.Column("adopted", sa.Boolean(), nullable=True),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "closed_at",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["alliance_body.id"], name=op.f("fk_alliance_motion_body_id_alliance_body")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["alliance_meeting.id"],
            name=op.f("fk_alliance_motion_meeting_id_alliance_meeting"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["alliance_motion.id"],
            name=op.f("fk_alliance_motion_parent_id_alliance_motion"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_motion")),
        sa.UniqueConstraint("number", name=op.f("uq_alliance_motion_number")),
    )
    with op.batch_alter_table("alliance_motion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alliance_motion_body_id"), ["body_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_alliance_motion_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_alliance_motion_state"), ["state"], unique=False)

    op.create_table(
        "alliance_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["alliance_motion.id"],
            name=op.f("fk_alliance_comment_motion_id_alliance_motion"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_comment")),
    )
    with op.batch_alter_table("alliance_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alliance_comment_motion_id"), ["motion_id"], unique=False
        )

    op.create_table(
        "alliance_motion_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["alliance_motion.id"],
            name=op.f("fk_alliance_motion_version_motion_id_alliance_motion"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_motion_version")),
        sa.UniqueConstraint(
            "motion_id", "number", name=op.f("uq_alliance_motion_version_motion_id_number")
        ),
    )
    with op.batch_alter_table("alliance_motion_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alliance_motion_version_motion_id"), ["motion_id"], unique=False
        )

    op.create_table(
        "alliance_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=False),
        sa.Column("cast_by", sa.String(length=200), nullable=False),
        sa.Column(
            "cast_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["alliance_motion.id"],
            name=op.f("fk_alliance_vote_motion_id_alliance_motion"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["alliance_organisation.id"],
            name=op.f("fk_alliance_vote_organisation_id_alliance_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_vote")),
        sa.UniqueConstraint(
            "motion_id", "organisation_id", name=op.f("uq_alliance_vote_motion_id_organisation_id")
        ),
    )
    with op.batch_alter_table("alliance_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alliance_vote_motion_id"), ["motion_id"], unique=False)


def downgrade() -> None:
    """Revert the revision."""
    with op.batch_alter_table("alliance_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_vote_motion_id"))

    op.drop_table("alliance_vote")
    with op.batch_alter_table("alliance_motion_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_motion_version_motion_id"))

    op.drop_table("alliance_motion_version")
    with op.batch_alter_table("alliance_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_comment_motion_id"))

    op.drop_table("alliance_comment")
    with op.batch_alter_table("alliance_motion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_motion_state"))
        batch_op.drop_index(batch_op.f("ix_alliance_motion_parent_id"))
        batch_op.drop_index(batch_op.f("ix_alliance_motion_body_id"))

    op.drop_table("alliance_motion")
    with op.batch_alter_table("alliance_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_document_body_id"))

    op.drop_table("alliance_document")
    with op.batch_alter_table("alliance_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_signature_organisation_id"))

    op.drop_table("alliance_signature")
    with op.batch_alter_table("alliance_seat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_seat_body_id"))

    op.drop_table("alliance_seat")
    with op.batch_alter_table("alliance_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_meeting_body_id"))

    op.drop_table("alliance_meeting")
    op.drop_table("alliance_deliverable")
    with op.batch_alter_table("alliance_body_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_body_member_body_id"))

    op.drop_table("alliance_body_member")
    with op.batch_alter_table("alliance_organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_organisation_status"))

    op.drop_table("alliance_organisation")
    op.drop_table("alliance_body")
