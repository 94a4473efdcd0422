"""Scoring versions: fitted component weights, proposed, applied and reverted by admins.

Revision ID: 0006_scoring_versions
Revises: 0005_duplicate_candidates
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_scoring_versions"
down_revision = "0005_duplicate_candidates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scoring_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("applied_by", sa.String(length=200), nullable=True),
        sa.Column("replaced_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'active', 'retired')", name=op.f("ck_scoring_version_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_version")),
    )
    with op.batch_alter_table("scoring_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scoring_version_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("scoring_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_version_status"))

    op.drop_table("scoring_version")
