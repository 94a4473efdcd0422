"""A firm's consent to share its contact with facilitation offices (and when it was given),
and its erasure: when the firm asked for it and when an admin carried it out.

Revision ID: 0009_contact_consent_erasure
Revises: 0008_outgoing_mail
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_contact_consent_erasure"
down_revision = "0008_outgoing_mail"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company") as batch_op:
        batch_op.add_column(
            sa.Column("contact_consent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("contact_consent_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("erasure_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("company") as batch_op:
        batch_op.drop_column("erased_at")
        batch_op.drop_column("erasure_requested_at")
        batch_op.drop_column("contact_consent_at")
        batch_op.drop_column("contact_consent")
