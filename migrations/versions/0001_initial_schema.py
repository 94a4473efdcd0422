"""Initial schema: companies with their capabilities, certifications and pathways;
stored embeddings and the index generation; API clients, admins, audit events, introductions.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 15:29:10.774231

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "admin_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_user")),
        sa.UniqueConstraint("email", name=op.f("uq_admin_user_email")),
    )
    op.create_table(
        "api_client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('office', 'admin')", name=op.f("ck_api_client_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_client")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_client_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_api_client_name")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("legal_id", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("side", sa.String(length=2), nullable=False),
        sa.Column("size", sa.String(length=10), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("offers", sa.Text(), nullable=False),
        sa.Column("seeks", sa.Text(), nullable=False),
        sa.Column("partner_certifications", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("controlling_country", sa.String(length=2), nullable=True),
        sa.Column("sanctioned", sa.Boolean(), nullable=False),
        sa.Column("export_control", sa.JSON(), nullable=False),
        sa.Column("itar_controlled", sa.Boolean(), nullable=False),
        sa.Column("non_eligible_component_share", sa.Float(), nullable=True),
        sa.Column("security_clearance", sa.String(length=20), nullable=False),
        sa.Column("required_clearance", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("index_generation", sa.Integer(), nullable=False),
        sa.CheckConstraint("side IN ('EU', 'UA')", name=op.f("ck_company_side")),
        sa.CheckConstraint("size IN ('startup', 'sme', 'large')", name=op.f("ck_company_size")),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'archived')",
            name=op.f("ck_company_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
        sa.UniqueConstraint("country", "legal_id", name=op.f("uq_company_country_legal_id")),
    )
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_country"), ["country"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_company_index_generation"), ["index_generation"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_company_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_company_side"), ["side"], unique=False)
        batch_op.create_index(batch_op.f("ix_company_status"), ["status"], unique=False)

    index_state = op.create_table(
        "index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_state")),
    )
    # The one row every writer bumps; see matchmaker.services.index_state.
    op.bulk_insert(index_state, [{"id": 1, "generation": 0, "updated_at": datetime.now(UTC)}])
    op.create_table(
        "certification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("identifier", sa.String(length=120), nullable=False),
        sa.Column("issuer", sa.String(length=120), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_certification_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification")),
    )
    with op.batch_alter_table("certification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "company_capability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.CheckConstraint("kind IN ('offer', 'seek')", name=op.f("ck_company_capability_kind")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_company_capability_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_capability")),
        sa.UniqueConstraint(
            "company_id", "kind", "code", name=op.f("uq_company_capability_company_id_kind_code")
        ),
    )
    with op.batch_alter_table("company_capability", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_capability_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_company_capability_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "company_embedding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("dimension", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('offer', 'seek')", name=op.f("ck_company_embedding_kind")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_company_embedding_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_embedding")),
        sa.UniqueConstraint(
            "company_id", "kind", name=op.f("uq_company_embedding_company_id_kind")
        ),
    )
    with op.batch_alter_table("company_embedding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_embedding_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "company_pathway",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_company_pathway_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_pathway")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_company_pathway_company_id_code")),
    )
    with op.batch_alter_table("company_pathway", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_pathway_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_company_pathway_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "introduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_a_id", sa.Integer(), nullable=False),
        sa.Column("company_b_id", sa.Integer(), nullable=False),
        sa.Column("api_client_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('proposed', 'contacted', 'meeting', 'mou', 'jv', 'declined')",
            name=op.f("ck_introduction_outcome"),
        ),
        sa.CheckConstraint(
            "company_a_id <> company_b_id", name=op.f("ck_introduction_distinct_companies")
        ),
        sa.ForeignKeyConstraint(
            ["api_client_id"],
            ["api_client.id"],
            name=op.f("fk_introduction_api_client_id_api_client"),
        ),
        sa.ForeignKeyConstraint(
            ["company_a_id"], ["company.id"], name=op.f("fk_introduction_company_a_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["company_b_id"], ["company.id"], name=op.f("fk_introduction_company_b_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction")),
    )
    with op.batch_alter_table("introduction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_introduction_company_a_id"), ["company_a_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_introduction_company_b_id"), ["company_b_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("introduction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_company_b_id"))
        batch_op.drop_index(batch_op.f("ix_introduction_company_a_id"))

    op.drop_table("introduction")
    with op.batch_alter_table("company_pathway", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_pathway_company_id"))
        batch_op.drop_index(batch_op.f("ix_company_pathway_code"))

    op.drop_table("company_pathway")
    with op.batch_alter_table("company_embedding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_embedding_company_id"))

    op.drop_table("company_embedding")
    with op.batch_alter_table("company_capability", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_capability_company_id"))
        batch_op.drop_index(batch_op.f("ix_company_capability_code"))

    op.drop_table("company_capability")
    with op.batch_alter_table("certification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_company_id"))

    op.drop_table("certification")
    op.drop_table("index_state")
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_status"))
        batch_op.drop_index(batch_op.f("ix_company_side"))
        batch_op.drop_index(batch_op.f("ix_company_name"))
        batch_op.drop_index(batch_op.f("ix_company_index_generation"))
        batch_op.drop_index(batch_op.f("ix_company_country"))

    op.drop_table("company")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_created_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    op.drop_table("api_client")
    op.drop_table("admin_user")
