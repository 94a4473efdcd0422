"""A folded search key on every firm, so the admin search finds "Крук" from "крук" on
SQLite too (its LIKE folds ASCII only). Existing firms get their key here; every later
write keeps it (the listeners in models.py).

The key comes from the same function the application writes with: a different spelling
here would make old and new firms differ in what a search finds.

Revision ID: 0011_admin_search_keys
Revises: 0010_profile_revisions
"""

import sqlalchemy as sa
from alembic import op

from matchmaker.domain.search_keys import record_search_key

revision = "0011_admin_search_keys"
down_revision = "0010_profile_revisions"
branch_labels = None
depends_on = None

BATCH = 500
_company = sa.table(
    "company",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("legal_id", sa.String),
    sa.column("description", sa.Text),
    sa.column("offers", sa.Text),
    sa.column("seeks", sa.Text),
    sa.column("search_key", sa.Text),
)


def upgrade():
    with op.batch_alter_table("company") as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.Text(), server_default="", nullable=False))
    connection = op.get_bind()
    texts = (_company.c.name, _company.c.legal_id, _company.c.description)
    texts += (_company.c.offers, _company.c.seeks)
    last_id = 0
    while True:  # in batches by id, so a large registry is never held in memory at once
        rows = connection.execute(
            sa.select(_company.c.id, *texts)
            .where(_company.c.id > last_id)
            .order_by(_company.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            _company.update().where(_company.c.id == sa.bindparam("row_id")),
            [{"row_id": row[0], "search_key": record_search_key(*row[1:])} for row in rows],
        )
        last_id = rows[-1][0]


def downgrade():
    with op.batch_alter_table("company") as batch_op:
        batch_op.drop_column("search_key")
