"""Profile revisions: a firm's change of its approved profile waits here for review while
the approved record stays live and suggested.

Revision ID: 0010_profile_revisions
Revises: 0009_contact_consent_erasure
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_profile_revisions"
down_revision = "0009_contact_consent_erasure"
branch_labels = None
depends_on = None

WAITING = sa.text("status = 'waiting'")


def upgrade():
    op.create_table(
        "profile_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('waiting', 'approved', 'rejected', 'withdrawn')",
            name=op.f("ck_profile_revision_status"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_profile_revision_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_revision")),
    )
    with op.batch_alter_table("profile_revision") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_revision_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            "ix_profile_revision_status_submitted_at",
            ["status", "submitted_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "uq_profile_revision_waiting",
            ["company_id"],
            unique=True,
            sqlite_where=WAITING,
            postgresql_where=WAITING,
        )


def downgrade():
    with op.batch_alter_table("profile_revision") as batch_op:
        batch_op.drop_index("uq_profile_revision_waiting")
        batch_op.drop_index("ix_profile_revision_status_submitted_at")
        batch_op.drop_index(batch_op.f("ix_profile_revision_company_id"))
    op.drop_table("profile_revision")
