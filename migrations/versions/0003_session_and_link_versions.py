"""Session and edit-link versions: server-side invalidation of admin sessions and of
superseded firm edit links.

Revision ID: 0003_session_and_link_versions
Revises: 0002_index_identity
Create Date: 2026-12-02 06:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_session_and_link_versions"
down_revision = "0002_index_identity"
branch_labels = None
depends_on = None


def upgrade():
    # server_default "1": edit links issued before the upgrade carry no version, which the
    # code reads as 1, so they keep working until a new link is issued. Admin sessions from
    # before the upgrade carry none either and are refused: one fresh login.
    with op.batch_alter_table("admin_user") as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("company") as batch_op:
        batch_op.add_column(
            sa.Column("edit_link_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("company") as batch_op:
        batch_op.drop_column("edit_link_version")
    with op.batch_alter_table("admin_user") as batch_op:
        batch_op.drop_column("session_version")
