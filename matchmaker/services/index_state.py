"""The index generation: a counter in the database that every worker checks before a search.

Writers bump it in the same transaction as their change. The UPDATE takes a row
lock, so generations commit in order and a reader that has seen generation N has
seen every change stamped N or lower.
"""

from __future__ import annotations

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
