"""Migration 0002_index_identity: gives an existing database an identity, and goes back."""

from __future__ import annotations

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from matchmaker.extensions import db


def columns() -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("index_state")}


def test_downgrade_drops_the_identity_and_upgrade_gives_a_new_one(app: Flask) -> None:
    db.session.remove()
    downgrade(revision="0001")
    try:
        assert "database_id" not in columns()
    finally:
        upgrade()
    assert "database_id" in columns()
    with db.engine.connect() as conn:
        database_id = conn.execute(text("SELECT database_id FROM index_state")).scalar_one()
    assert len(database_id) == 32
