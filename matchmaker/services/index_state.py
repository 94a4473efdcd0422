"""The index generation: a counter in the database that every worker checks before a search.

Writers bump it in the same transaction as their change. The UPDATE takes a row
lock, so generations commit in order and a reader that has seen generation N has
seen every change stamped N or lower.

The generation alone does not name a state: a restored backup counts from a lower
number and, after a few edits, passes the old one again with other rows behind it.
`database_id` names the history; a restore replaces it (`new_database_id`).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matchmaker.models import IndexState

STATE_ID = 1


def bump_generation(session: Session) -> int:
    """Increment the generation inside the caller's transaction and return the new value."""
    generation = session.scalar(
        update(IndexState)
        .where(IndexState.id == STATE_ID)
        .values(generation=IndexState.generation + 1)
        .returning(IndexState.generation)
    )
    if generation is None:
        # Only when the migration's initial row is missing (a hand-made database).
        session.add(IndexState(id=STATE_ID, generation=1))
        session.flush()
        generation = 1
    return generation


def current_generation(session: Session) -> int:
    """The latest committed generation (0 when nothing was ever written)."""
    return session.scalar(select(IndexState.generation).where(IndexState.id == STATE_ID)) or 0


def current_state(session: Session) -> tuple[int, str]:
    """(generation, database id) in one SELECT: what a worker compares before a search.
    A database migrated before identities existed, or a hand-made one, has id ""."""
    row = session.execute(
        select(IndexState.generation, IndexState.database_id).where(IndexState.id == STATE_ID)
    ).one_or_none()
    return (row.generation or 0, row.database_id or "") if row else (0, "")


def new_database_id(session: Session) -> str:
    """Give the database a new identity inside the caller's transaction (after a restore):
    every worker reloads at its next request and every snapshot made before is refused."""
    database_id = uuid.uuid4().hex
    updated = session.execute(
        update(IndexState).where(IndexState.id == STATE_ID).values(database_id=database_id)
    )
    if not getattr(updated, "rowcount", 0):
        session.add(IndexState(id=STATE_ID, generation=0, database_id=database_id))
        session.flush()
    return database_id
