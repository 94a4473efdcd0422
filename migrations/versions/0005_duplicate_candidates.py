"""Stored duplicate candidates and their blocking keys, kept current on every write.

Existing registries fill them once with `flask duplicates rebuild`.

Revision ID: 0005_duplicate_candidates
Revises: 0004_one_open_introduction
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_duplicate_candidates"
down_revision = "0004_one_open_introduction"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "duplicate_candidate",
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=10), nullable=False),
        sa.Column("band_rank", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("name_similarity", sa.Float(), nullable=False),
        sa.Column("offer_similarity", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_id"],
            ["company.id"],
            name=op.f("fk_duplicate_candidate_first_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_id"],
            ["company.id"],
            name=op.f("fk_duplicate_candidate_second_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("first_id", "second_id", name=op.f("pk_duplicate_candidate")),
    )
    with op.batch_alter_table("duplicate_candidate") as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_candidate_band"), ["band"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_duplicate_candidate_second_id"), ["second_id"], unique=False
        )
    op.create_table(
        "duplicate_key",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_duplicate_key_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "key", name=op.f("pk_duplicate_key")),
    )
    with op.batch_alter_table("duplicate_key") as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_key_key"), ["key"], unique=False)


def downgrade():
    with op.batch_alter_table("duplicate_key") as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_key_key"))
    op.drop_table("duplicate_key")
    with op.batch_alter_table("duplicate_candidate") as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_candidate_second_id"))
        batch_op.drop_index(batch_op.f("ix_duplicate_candidate_band"))
    op.drop_table("duplicate_candidate")
