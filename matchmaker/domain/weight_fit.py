"""Fitting the component weights: a conditional logit over the engine's own blend.

A training query is one firm looking for a known good partner among every candidate
of the other side, each candidate described by the engine's component values (NaN
where a component does not apply, `Matcher.candidate_values`). The model is the
engine itself: a candidate's score is the weighted mean of the components that apply,
and the probability that the true partner is the one chosen is softmax(score / T).
Fitting the weights of that blend (not of a separate model) means the result drops
straight into the configuration and every explanation stays true.

Declined introductions enter as pairwise terms: the asker's known good partner must
outscore the firm it declined (a logistic loss on the score difference). A declined
firm is already one of the softmax's negatives; the pairwise term weighs it more,
because an office judged that pair good enough to introduce and it still failed.

Cross-validation holds out whole groups (a pair of firms, in both directions and
every variant), so no held-out partner was seen in training from the other side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

DEPTH = 50  # as the evaluation: a partner below it counts as not found
L2 = 0.01  # on the log-weights: keeps weights of components the set cannot tell apart near equal
START_TEMPERATURE = 0.05
# Bounds of the fitted log-weights and log-temperature (scores lie in [0, 1], so a
# temperature of 1e-3 already makes logits of 1000: sharper than any ranking needs).
LOG_WEIGHT_RANGE = (-10.0, 10.0)
LOG_TEMPERATURE_RANGE = (float(np.log(1e-3)), float(np.log(10.0)))

# A fold holds out whole groups: a pair of firms (its two ids, sorted) or a set's pair number.
Group = int | tuple[int, ...]


class WeightFitError(ValueError):
    """The training queries cannot support a fit (none, or too few to cross-validate)."""


@dataclass(frozen=True)
class Query:
    group: Group
    target: int  # row of the known good partner among the candidates
    values: np.ndarray  # (candidates, components), NaN where a component does not apply
    declined: tuple[int, ...] = ()  # rows of candidates the asker declined


@dataclass(frozen=True)
class Figures:
    mrr: float
    recall_at_10: float

    def as_dict(self) -> dict[str, float]:
        return {"mrr": round(self.mrr, 4), "recall_at_10": round(self.recall_at_10, 4)}


@dataclass(frozen=True)
class Fold:
    number: int
    held_out: int  # queries held out
    weights: np.ndarray  # fitted on the other folds
    proposed: Figures
    current: Figures


@dataclass(frozen=True)
class CrossValidation:
    folds: list[Fold] = field(default_factory=list)
    proposed: Figures = Figures(0.0, 0.0)  # mean over the folds
    current: Figures = Figures(0.0, 0.0)


def blend(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The engine's score: the weighted mean of the components that apply (0 if none)."""
    applies = ~np.isnan(values)
    total = applies @ weights
    weighted = np.where(applies, values, 0.0) @ weights
    return np.where(total > 0, weighted / np.maximum(total, 1e-12), 0.0)


def rank(weights: np.ndarray, query: Query) -> float:
    """The partner's rank; ties are ranked in the middle, so an engine that cannot tell
    firms apart gets no credit for it."""
    scores = blend(weights, query.values)
    target = scores[query.target]
    return float(1 + np.sum(scores > target) + (np.sum(scores == target) - 1) / 2)


def figures(weights: np.ndarray, queries: Sequence[Query]) -> Figures:
    """MRR (read to DEPTH) and recall@10 of the partners over `queries`."""
    if not queries:
        return Figures(0.0, 0.0)
    ranks = np.array([rank(weights, q) for q in queries])
    reciprocal = np.where(ranks <= DEPTH, 1.0 / ranks, 0.0)
    return Figures(float(reciprocal.mean()), float(np.mean(ranks <= 10)))


def fit(queries: Sequence[Query], components: int, *, l2: float = L2) -> np.ndarray:
    """Weights (summing to 1) maximising the likelihood of every partner being chosen."""
    if not queries:
        raise WeightFitError("No training queries to fit the weights on.")

    def loss(theta: np.ndarray) -> float:
        weights, temperature = np.exp(theta[:-1]), np.exp(theta[-1])
        total = 0.0
        for q in queries:
            logits = blend(weights, q.values) / temperature
            top = logits.max()
            total -= logits[q.target] - top - np.log(np.exp(logits - top).sum())
            for row in q.declined:
                total += float(np.logaddexp(0.0, logits[row] - logits[q.target]))
        return total / len(queries) + l2 * float(np.sum(theta[:-1] ** 2))

    start = np.zeros(components + 1)
    start[-1] = np.log(START_TEMPERATURE)
    # Bounded: where the training partners are separable, the likelihood keeps rising
    # as the temperature falls, and unbounded steps reached exp(-2000) = 0 (a division
    # by zero) on one CPU and not on another.
    bounds = [LOG_WEIGHT_RANGE] * components + [LOG_TEMPERATURE_RANGE]
    result = minimize(loss, start, method="L-BFGS-B", bounds=bounds, options={"maxiter": 300})
    weights = np.exp(result.x[:-1])
    return np.asarray(weights / weights.sum())


def fold_groups(groups: Sequence[Group], folds: int, *, seed: int = 0) -> list[set[Group]]:
    """The held-out groups of each fold: a seeded permutation dealt round-robin."""
    distinct = sorted(set(groups), key=lambda g: (isinstance(g, tuple), g))
    if len(distinct) < 2:
        raise WeightFitError(
            f"Cross-validation needs at least 2 known good pairs; there are {len(distinct)}."
        )
    folds = min(folds, len(distinct))
    order = [distinct[i] for i in np.random.default_rng(seed).permutation(len(distinct))]
    return [set(order[fold::folds]) for fold in range(folds)]


def cross_validate(
    queries: Sequence[Query], current: np.ndarray, folds: int = 5, *, seed: int = 0
) -> CrossValidation:
    """Fit on all folds but one and compare fitted and `current` weights on the held-out
    one, for every fold; the overall figures are the means over the folds."""
    held_out = fold_groups([q.group for q in queries], folds, seed=seed)
    result = []
    for number, test in enumerate(held_out):
        training = [q for q in queries if q.group not in test]
        held = [q for q in queries if q.group in test]
        weights = fit(training, len(current))
        result.append(
            Fold(number, len(held), weights, figures(weights, held), figures(current, held))
        )
    return CrossValidation(
        result,
        Figures(
            float(np.mean([f.proposed.mrr for f in result])),
            float(np.mean([f.proposed.recall_at_10 for f in result])),
        ),
        Figures(
            float(np.mean([f.current.mrr for f in result])),
            float(np.mean([f.current.recall_at_10 for f in result])),
        ),
    )
