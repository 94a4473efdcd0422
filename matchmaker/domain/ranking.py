"""Cut off, sort deterministically, limit; and the explained suggestions for picked rows."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import numpy as np

from matchmaker.domain.components.base import Rows, ScoreInputs
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.queries import Suggestion
from matchmaker.domain.scoring import (
    SCORE_DECIMALS,
    Asker,
    component_scores,
    explain_pair,
)
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side_table import SideTable

T = TypeVar("T")


def rank(
    items: Iterable[T],
    *,
    score: Callable[[T], float],
    key: Callable[[T], int],
    min_score: float = 0.0,
    limit: int = 10,
) -> list[T]:
    """Items scoring at least `min_score`, best first (ties: lower id first), at most `limit`."""
    kept = (item for item in items if score(item) >= min_score)
    return heapq.nsmallest(limit, kept, key=lambda item: (-score(item), key(item)))


def top_rows(
    scores: np.ndarray, ids: np.ndarray, limit: int, min_score: float, *, spare: int = 0
) -> np.ndarray:
    """Positions of the best `limit` scores of at least `min_score`, best first, ranked as
    shown (rounded), ties by lower id. Rows to skip carry -inf.

    `spare`: also return up to that many next rows whose shown score is within one
    rounding step of the last one kept, for a caller that settles near-ties itself.
    """
    step = 10.0**-SCORE_DECIMALS
    eligible = np.flatnonzero(scores >= min_score - step)
    if len(eligible) > limit:
        cut = len(eligible) - limit
        kth = np.partition(scores[eligible], cut)[cut]
        # Anything that may round to the same shown value as the limit-th stays in.
        eligible = eligible[scores[eligible] >= kth - 2 * step]
    shown = np.round(scores[eligible], SCORE_DECIMALS)
    eligible, shown = eligible[shown >= min_score], shown[shown >= min_score]
    order = np.lexsort((ids[eligible], -shown))
    kept = order[:limit]
    if spare and len(order) > limit:
        near = order[limit : limit + spare]
        kept = np.concatenate([kept, near[shown[near] >= shown[kept[-1]] - 1.5 * step]])
    return eligible[kept]


def explained(
    asker: Asker,
    table: SideTable,
    rows: np.ndarray,
    profiles: Sequence[CompanyProfile],
    inputs: ScoreInputs,
    config: ScoringConfig,
    min_score: float,
) -> list[Suggestion]:
    """Suggestions for picked rows (`profiles[i]` holds row `rows[i]`; the cosines of
    `inputs` are aligned with `rows`): the component values in double precision, by the
    same formulas that ranked them, and every component's reasons and warnings.
    Rows that fall under `min_score` once computed exactly are dropped."""
    values = component_scores(asker, Rows(table, rows, np.float64), inputs, config, every=True)
    suggestions = []
    for i, b in enumerate(profiles):
        row_values = {name: float(column[i]) for name, column in values.items()}
        pair = explain_pair(asker.profile, b, row_values, inputs.at(i, table, int(rows[i])), config)
        if pair.score >= min_score:
            suggestions.append(
                Suggestion(b, pair.score, pair.components, pair.reasons, pair.warnings)
            )
    return suggestions


def best(suggestions: Iterable[Suggestion], limit: int) -> list[Suggestion]:
    """The `limit` best suggestions as shown, ties by lower company id."""
    return rank(suggestions, score=lambda s: s.score, key=lambda s: s.company.id, limit=limit)
