"""Migrations reach head on an empty database and match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect

from matchmaker.extensions import db


def test_upgrade_creates_every_model_table(app: Flask) -> None:
    """The fixture upgraded an empty database; every model's table exists."""
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_autogenerate_finds_no_difference(app: Flask) -> None:
    """Models and migrations describe the same schema (types included)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
