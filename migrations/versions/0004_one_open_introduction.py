"""One open introduction per pair and office, enforced by a partial unique index.

Concurrent POSTs of the same introduction all passed the service's check and each
inserted a row. Existing duplicates (such races) are resolved first: per pair and office
the most advanced open introduction stays (the oldest among equals); the others are
deleted, each with an audit event holding the deleted record.

Revision ID: 0004_one_open_introduction
Revises: 0003_session_and_link_versions
Create Date: 2026-12-02 06:10:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004_one_open_introduction"
down_revision = "0003_session_and_link_versions"
branch_labels = None
depends_on = None

INDEX = "uq_introduction_open_pair"
LOW = "(CASE WHEN company_a_id < company_b_id THEN company_a_id ELSE company_b_id END)"
HIGH = "(CASE WHEN company_a_id < company_b_id THEN company_b_id ELSE company_a_id END)"
OFFICE = "coalesce(api_client_id, 0)"
OPEN = "outcome <> 'declined'"
STAGES = ("proposed", "contacted", "meeting", "mou", "jv")

introduction = sa.table(
    "introduction",
    sa.column("id", sa.Integer),
    sa.column("company_a_id", sa.Integer),
    sa.column("company_b_id", sa.Integer),
    sa.column("api_client_id", sa.Integer),
    sa.column("outcome", sa.String),
    sa.column("note", sa.Text),
)
audit_event = sa.table(
    "audit_event",
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity_type", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade():
    _remove_duplicates(op.get_bind())
    op.create_index(
        INDEX,
        "introduction",
        [sa.text(LOW), sa.text(HIGH), sa.text(OFFICE)],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade():
    op.drop_index(INDEX, table_name="introduction")


def _remove_duplicates(conn):
    rows = (
        conn.execute(sa.select(introduction).where(introduction.c.outcome != "declined"))
        .mappings()
        .all()
    )
    groups = {}
    for row in rows:
        a, b = row["company_a_id"], row["company_b_id"]
        groups.setdefault((min(a, b), max(a, b), row["api_client_id"] or 0), []).append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (-STAGES.index(r["outcome"]), r["id"]))
        keep, *extra = group
        for row in extra:
            conn.execute(sa.delete(introduction).where(introduction.c.id == row["id"]))
            conn.execute(
                sa.insert(audit_event).values(
                    actor="migration:0004_one_open_introduction",
                    action="introduction.delete_duplicate",
                    entity_type="introduction",
                    entity_id=row["id"],
                    before={**_doc(row), "duplicate_of": keep["id"]},
                    after=None,
                    created_at=datetime.now(UTC),
                )
            )


def _doc(row):
    keys = ("company_a_id", "company_b_id", "api_client_id", "outcome", "note")
    return {key: row[key] for key in keys}
