"""Outgoing mail: the edit links and admin digests the app owes, so an SMTP failure
loses nothing and a digest never repeats what it already sent.

Revision ID: 0008_outgoing_mail
Revises: 0007_admin_paging_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_outgoing_mail"
down_revision = "0007_admin_paging_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("link_version", sa.Integer(), nullable=True),
        sa.Column("watermark", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('edit_link', 'digest')", name=op.f("ck_outgoing_mail_kind")),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'dropped')",
            name=op.f("ck_outgoing_mail_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_mail")),
        sa.UniqueConstraint("watermark", name=op.f("uq_outgoing_mail_watermark")),
    )
    with op.batch_alter_table("outgoing_mail") as batch_op:
        batch_op.create_index("ix_outgoing_mail_status", ["status"], unique=False)
        batch_op.create_index("ix_outgoing_mail_company_id", ["company_id"], unique=False)


def downgrade():
    with op.batch_alter_table("outgoing_mail") as batch_op:
        batch_op.drop_index("ix_outgoing_mail_company_id")
        batch_op.drop_index("ix_outgoing_mail_status")
    op.drop_table("outgoing_mail")
