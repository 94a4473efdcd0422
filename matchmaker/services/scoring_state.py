"""Which scoring version is active: the one read every worker makes when the index
generation moves (see `MatchingService.sync`). Kept apart from `scoring_versions`,
which needs the matching service to fit, so that the two do not import each other."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import ScoringVersion


def active_version(session: Session) -> ScoringVersion | None:
    return session.scalars(
        select(ScoringVersion).where(ScoringVersion.status == "active").limit(1)
    ).first()


def active_weights(session: Session) -> tuple[int | None, dict[str, float] | None]:
    """The active version's id and weights; (None, None) when the configured defaults rule."""
    row = session.execute(
        select(ScoringVersion.id, ScoringVersion.weights).where(ScoringVersion.status == "active")
    ).first()
    return (None, None) if row is None else (row.id, dict(row.weights))
