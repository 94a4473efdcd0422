"""Blend component scores, cut off, sort deterministically, limit."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")

SCORE_DECIMALS = 4  # scores are rounded so that ties (and their order) are reproducible


def blend(components: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """Weighted mean of the components that have a positive weight, rounded.

    A component missing from `components` is left out and the other weights are
    renormalised (so a weight of 0 switches a component off).
    """
    used = [
        (weights[name], value) for name, value in components.items() if weights.get(name, 0.0) > 0
    ]
    total = sum(weight for weight, _ in used)
    if total <= 0:
        return 0.0
    return round(sum(weight * value for weight, value in used) / total, SCORE_DECIMALS)


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
