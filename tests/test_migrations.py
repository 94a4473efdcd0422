"""Migrations reach head on an empty database and match the models exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from matchmaker.extensions import db
from matchmaker.models import EXPRESSION_INDEXES, include_in_autogenerate
from tests.conftest import reset_database


def test_upgrade_creates_every_model_table(app: Flask) -> None:
    """The fixture upgraded an empty database; every model's table exists."""
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


# SQLite cannot reflect expression indexes; include_in_autogenerate leaves them out anyway.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_autogenerate_finds_no_difference(app: Flask) -> None:
    """Models and migrations describe the same schema (types included)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_in_autogenerate}
        )
        assert compare_metadata(context, db.metadata) == []


def test_expression_indexes_exist(app: Flask) -> None:
    """Autogenerate cannot compare them (see EXPRESSION_INDEXES), so check them by name."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'index'"
        else:
            query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        names = set(conn.execute(text(query)).scalars())
    assert names >= EXPRESSION_INDEXES


def test_0004_keeps_one_open_introduction_per_pair_and_office(app: Flask) -> None:
    """Duplicates that races left behind: the most advanced stays, the others go (audited);
    declined ones and other offices' are untouched; downgrade drops only the index."""
    rows = [  # (id, a, b, office, outcome)
        (1, 1, 2, None, "proposed"),
        (2, 2, 1, None, "meeting"),  # same pair, reversed, further along: stays
        (3, 1, 2, None, "declined"),  # closed: not a duplicate
        (4, 1, 2, 7, "proposed"),  # another office
    ]
    with app.app_context():
        downgrade(revision="0001")
        try:
            with db.engine.begin() as conn:
                _insert_firms_and_office(conn)
                for id_, a, b, office, outcome in rows:
                    conn.execute(
                        text(
                            "INSERT INTO introduction (id, company_a_id, company_b_id,"
                            " api_client_id, recorded_by, outcome, created_at, updated_at,"
                            " version) VALUES (:i, :a, :b, :o, 't', :out, :now, :now, 1)"
                        ),
                        {"i": id_, "a": a, "b": b, "o": office, "out": outcome, "now": NOW},
                    )
            upgrade(revision="0004_one_open_introduction")
            with db.engine.connect() as conn:
                left = conn.execute(text("SELECT id FROM introduction ORDER BY id")).scalars()
                assert list(left) == [2, 3, 4]
                audited = conn.execute(
                    text("SELECT entity_id FROM audit_event WHERE action = :a"),
                    {"a": "introduction.delete_duplicate"},
                ).scalars()
                assert list(audited) == [1]
            downgrade(revision="0001")
        finally:
            upgrade()
            reset_database(app)


NOW = datetime(2026, 12, 2, tzinfo=UTC)


def _insert_firms_and_office(conn: Any) -> None:
    for id_, country in ((1, "DE"), (2, "UA")):
        conn.execute(
            text(
                "INSERT INTO company (id, name, legal_id, country, side, size, description,"
                " offers, seeks, partner_certifications, sanctioned, export_control,"
                " itar_controlled, security_clearance, required_clearance, status,"
                " created_at, updated_at, version, index_generation) VALUES (:i, :n, :l, :c,"
                " :s, 'sme', '', '', '', '[]', false, '[]', false, 'none', 'none',"
                " 'approved', :now, :now, 1, 0)"
            ),
            {
                "i": id_,
                "n": f"Firm {id_}",
                "l": f"L{id_}",
                "c": country,
                "s": "EU" if country == "DE" else "UA",
                "now": NOW,
            },
        )
    conn.execute(
        text(
            "INSERT INTO api_client (id, name, role, key_hash, key_prefix, created_at)"
            " VALUES (7, 'Office', 'office', 'h', 'p', :now)"
        ),
        {"now": NOW},
    )


def test_0011_backfills_search_keys_of_existing_firms(app: Flask) -> None:
    """Firms stored before the key existed are found in any letter case after the upgrade;
    downgrade drops the column again."""
    with app.app_context():
        downgrade(revision="0007_admin_paging_indexes")
        try:
            with db.engine.begin() as conn:
                _insert_firms_and_office(conn)
                conn.execute(text("UPDATE company SET name = 'Крук Дніпро' WHERE id = 2"))
            upgrade(revision="0011_admin_search_keys")
            with db.engine.connect() as conn:
                keys = dict(conn.execute(text("SELECT id, search_key FROM company")).all())
            assert keys[2].splitlines()[:2] == ["крук дніпро", "l2"]
            assert keys[1].startswith("firm 1\nl1")
            downgrade(revision="0007_admin_paging_indexes")
            columns = {c["name"] for c in inspect(db.engine).get_columns("company")}
            assert "search_key" not in columns
        finally:
            upgrade()
            reset_database(app)
