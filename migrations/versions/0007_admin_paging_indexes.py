"""Indexes in the order of the admin's paged lists: the review queue (pending firms, oldest
first) and the duplicates page (band, stronger signal first, then the ids), so a deep page
reads the index instead of sorting the whole table on every request.

Revision ID: 0007_admin_paging_indexes
Revises: 0006_scoring_versions
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_admin_paging_indexes"
down_revision = "0006_scoring_versions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company") as batch_op:
        batch_op.create_index(
            "ix_company_status_created_at", ["status", "created_at", "id"], unique=False
        )
    with op.batch_alter_table("duplicate_candidate") as batch_op:
        batch_op.create_index(
            "ix_duplicate_candidate_page_order",
            ["band_rank", sa.text("strength DESC"), "first_id", "second_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("duplicate_candidate") as batch_op:
        batch_op.drop_index("ix_duplicate_candidate_page_order")
    with op.batch_alter_table("company") as batch_op:
        batch_op.drop_index("ix_company_status_created_at")
