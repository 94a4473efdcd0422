"""Exact pruning for the exact match path: a costly input only on rows that can still win.

Ranking every firm of a side needs, per row, the inputs of every weighted component.
One of them costs a whole scan of the side's offer vectors for little weight: the
cosine of the two firms' offers (`DEFERRED`, read by the profile similarity). Every
component value lies in [0, 1] (or does not apply), so a component's weight bounds
what it can add to a row's blended score. The rows are first scored with that cosine
*probed* (0 everywhere; the values of the components reading it are then wrong, but
whether they apply is not, since that depends on the texts, not on the cosine); from
that, each row's score has a lower and an upper bound. Rows whose upper bound stays
under the `limit`-th best lower bound (less the rounding window `top_rows` keeps, see
`PRUNE_MARGIN`) cannot be shown; the cosine is computed for the other rows only, and
their scores with it are computed by the same formulas, element by element, on the
same full-length columns, so every kept row's single-precision score is the one the
every-row computation gives, bit for bit. Pruned rows get -inf. Nothing here changes
a score, a rank or an explanation; it only skips arithmetic that cannot matter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from matchmaker.domain.components.base import FLOAT, Component, Rows, ScoreInputs
from matchmaker.domain.scoring import SCORE_DECIMALS, Asker, blend, component_scores, has_gaps
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side_table import SideTable

DEFERRED = "offer_offer"  # the cosine computed only on rows that can still reach the top
# `top_rows` keeps every row within two rounding steps of the limit-th score; 1e-5 more
# covers the single-precision error of the bounds (scores are at most 1).
PRUNE_MARGIN = 2 * 10.0**-SCORE_DECIMALS + 1e-5


@dataclass(frozen=True)
class Bounded:
    """The rows that may reach the top (`kept`, ascending), their single-precision scores,
    and the inputs of every row (the deferred cosine is NaN on the other rows)."""

    kept: np.ndarray
    scores: np.ndarray
    inputs: ScoreInputs


def deferred_components(config: ScoringConfig) -> list[Component]:
    """The weighted components that read the deferred cosine."""
    return [c for c in config.components if config.weights[c.name] > 0 and DEFERRED in c.cosines]


def score_bounded(
    asker: Asker,
    table: SideTable,
    usable: np.ndarray,
    inputs: ScoreInputs,
    scan_rows: Callable[[np.ndarray], np.ndarray],
    config: ScoringConfig,
    limit: int,
) -> Bounded | None:
    """The usable rows that may reach the best `limit` and their scores, as `score_rows`
    gives them with the deferred cosine of every row, computing that cosine
    (`scan_rows(rows)`) only for those rows. `inputs` holds the other cosines of every
    row. None when a component reading the deferred cosine turns out to apply where its
    probe said not (then the bounds are unsound and the caller scores every row)."""
    count = len(table)
    deferred = deferred_components(config)
    probed = replace(inputs, offer_offer=np.zeros(count, dtype=FLOAT))
    values = component_scores(asker, Rows(table, None), probed, config)
    gaps = {name: has_gaps(value) for name, value in values.items()}
    lower, upper = _bounds(values, gaps, deferred, config, count)
    if np.count_nonzero(usable) > limit:
        lower[~usable] = -np.inf
        threshold = _kth_largest(lower, limit)
        kept = np.flatnonzero(usable & (upper >= threshold - PRUNE_MARGIN))
    else:
        kept = np.flatnonzero(usable)
    cosines = scan_rows(kept)
    exact = replace(inputs.subset(kept), offer_offer=cosines)
    rows = Rows(table, kept)
    some = {name: value[kept] for name, value in values.items()}
    for component in deferred:
        name = component.name
        value = component.score(asker.parts[name], rows, exact, config.of(component))
        if not np.array_equal(np.isnan(value), np.isnan(some[name])):
            return None
        some[name] = value
    offer_offer = np.full(count, np.nan, dtype=FLOAT)
    offer_offer[kept] = cosines
    scores = blend(some, config, len(kept), gaps=gaps)
    return Bounded(kept, scores, replace(inputs, offer_offer=offer_offer))


def _kth_largest(values: np.ndarray, k: int, stride: int = 16) -> float:
    """The k-th largest of `values` (more than k of them), partitioning a strided sample
    first: the sample's k-th largest is at most the whole's, so every value from it on
    holds the whole's k largest, and those few are partitioned exactly."""
    sample = values[::stride]
    if len(sample) > 4 * k:
        floor = np.partition(sample, len(sample) - k)[len(sample) - k]
        if np.isfinite(floor):
            values = values[values >= floor]
    return float(np.partition(values, len(values) - k)[len(values) - k])


def _bounds(
    values: dict[str, np.ndarray],
    gaps: dict[str, bool],
    deferred: list[Component],
    config: ScoringConfig,
    count: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of each row's blended score when the deferred components
    take any value in [0, 1] where they apply instead of their probed one."""
    blended, total = np.zeros(count, dtype=FLOAT), np.zeros(count, dtype=FLOAT)
    for name, value in values.items():
        weight = config.weights[name]
        if weight <= 0:
            continue
        if gaps[name]:
            applies = ~np.isnan(value)
            blended += weight * np.where(applies, value, 0.0)
            total += np.where(applies, FLOAT(weight), FLOAT(0.0))
        else:
            blended += weight * value
            total += weight
    lower, upper = blended.copy(), blended
    for component in deferred:
        value = values[component.name]
        weight = config.weights[component.name]
        if gaps[component.name]:
            value = np.nan_to_num(value, nan=0.0)
            reach = np.where(np.isnan(values[component.name]), 0.0, 1.0 - value)
        else:
            reach = 1.0 - value
        lower -= weight * value
        upper += weight * reach.astype(FLOAT)
    np.divide(lower, total, out=lower, where=total > 0)
    np.divide(upper, total, out=upper, where=total > 0)
    return lower, upper
