"""Index identity: index_state.database_id names the database's history, so a vector
index snapshot made from another history (before a restore) is refused.

Revision ID: 0002_index_identity
Revises: 0001
Create Date: 2026-12-02 06:00:00

"""

import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002_index_identity"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("index_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("database_id", sa.String(length=32), nullable=True))
    index_state = sa.table("index_state", sa.column("database_id", sa.String))
    op.execute(index_state.update().values(database_id=uuid.uuid4().hex))


def downgrade():
    with op.batch_alter_table("index_state", schema=None) as batch_op:
        batch_op.drop_column("database_id")
