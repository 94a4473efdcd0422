"""The weight fit on small synthetic component matrices whose right answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaker.domain.weight_fit import (
    Query,
    WeightFitError,
    blend,
    cross_validate,
    figures,
    fit,
    fold_groups,
    rank,
)

CANDIDATES = 30


def revealing_queries(count: int, *, seed: int = 1) -> list[Query]:
    """Component 0 alone identifies the partner (1.0 against at most 0.5); components 1
    and 2 are noise that often favours a wrong candidate."""
    rng = np.random.default_rng(seed)
    queries = []
    for number in range(count):
        values = rng.uniform(0.0, 1.0, size=(CANDIDATES, 3))
        target = int(rng.integers(CANDIDATES))
        values[:, 0] = rng.uniform(0.0, 0.5, size=CANDIDATES)
        values[target, 0] = 1.0
        values[target, 1:] = rng.uniform(0.0, 0.3, size=2)
        queries.append(Query(number, target, values))
    return queries


def test_the_component_that_identifies_the_partner_gets_the_dominant_weight() -> None:
    weights = fit(revealing_queries(20), 3)
    assert weights.sum() == pytest.approx(1.0)
    assert weights[0] > 0.6 and weights[0] > 3 * max(weights[1], weights[2])
    assert figures(weights, revealing_queries(10, seed=7)).mrr == 1.0


def test_cross_validation_beats_weights_that_trust_the_noise() -> None:
    """Every fold holds out whole groups and reports both sets of weights on them."""
    noisy = np.array([0.1, 0.45, 0.45])
    result = cross_validate(revealing_queries(20), noisy, folds=5)
    assert len(result.folds) == 5
    assert sum(f.held_out for f in result.folds) == 20
    for fold in result.folds:
        assert fold.proposed.mrr >= fold.current.mrr
    assert result.proposed.mrr > result.current.mrr
    assert result.proposed.recall_at_10 == 1.0


def test_a_declined_candidate_pushes_weight_away_from_what_favoured_it() -> None:
    """Two candidates tie on the blend with equal weights; the partner wins on component
    0, the declined firm on component 1: the fit must weigh 0 above 1."""
    values = np.array([[0.8, 0.2], [0.2, 0.8], [0.1, 0.1]])
    queries = [Query(n, 0, values, declined=(1,)) for n in range(4)]
    weights = fit(queries, 2)
    assert weights[0] > weights[1]
    assert rank(weights, queries[0]) == 1.0


def test_ties_rank_in_the_middle_and_components_that_do_not_apply_are_skipped() -> None:
    values = np.array([[0.5, np.nan], [0.5, 0.5], [0.5, 0.5], [0.0, 0.0]])
    assert blend(np.array([1.0, 1.0]), values).tolist() == [0.5, 0.5, 0.5, 0.0]
    assert rank(np.array([1.0, 1.0]), Query(0, 0, values)) == 2.0  # three tied at the top
    far = np.vstack([np.full((60, 1), 0.9), [[0.1]]])
    assert figures(np.array([1.0]), [Query(0, 60, far)]).mrr == 0.0  # below DEPTH


def test_folds_hold_out_whole_groups_deterministically() -> None:
    groups = [(1, 2), (1, 2), (3, 4), (5, 6), (7, 8)]
    folds = fold_groups(groups, 5)
    assert len(folds) == 4  # no more folds than groups
    assert sorted(g for fold in folds for g in fold) == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert folds == fold_groups(groups, 5)


def test_too_little_to_fit_is_a_clear_error() -> None:
    with pytest.raises(WeightFitError, match="at least 2 known good pairs"):
        fold_groups([(1, 2), (1, 2)], 5)
    with pytest.raises(WeightFitError, match="No training queries"):
        fit([], 3)


def test_a_training_set_the_likelihood_never_stops_rising_on_gives_finite_weights() -> None:
    """Two queries of recorded introductions (one declined rival, one exact tie): the
    likelihood keeps rising as the temperature falls, and unbounded the fit stepped to
    exp(-2036) = 0 and divided by zero. It stops at its bound instead."""
    nan = float("nan")
    tied = [0.10701978206634521, 1.0, 0.65, 0.6503133339541298, 0.8, nan]
    declined = [0.35993027687072754, 0.6110398029231199, 1.0, 0.5485646086079733, 0.8, nan]
    chosen = [0.10701978206634521, 1.0, 0.35, 0.6503133339541298, 0.8, nan]
    queries = [
        Query((2, 3), 0, np.array([chosen, declined]), (1,)),
        Query((2, 3), 1, np.array([tied, tied])),
    ]
    weights = fit(queries, 6)
    assert np.isfinite(weights).all() and weights.sum() == pytest.approx(1.0)
    assert rank(weights, queries[0]) == 1.0
