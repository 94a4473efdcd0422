"""The team search alone, on seeded random problems: the beam finds the optimum of
exhaustive enumeration, scores teams as `Problem.score` does, and only pools feasible
teams; `diverse` keeps teams apart."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matchmaker.domain.consortium_search import (
    ConsortiumConfig,
    Problem,
    TeamWeights,
    beam_search,
    diverse,
    exhaustive,
    required_difference,
)


def random_problem(seed: int) -> Problem:
    """12-16 candidates, 2-4 capabilities, a random programme-like set of constraints."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(12, 17)), int(rng.integers(2, 5))
    offers = rng.random((n, k)) < 0.35
    offers[np.arange(n), rng.integers(0, k, n)] = True  # every candidate covers something
    relevance = rng.uniform(0.3, 0.9, n)
    fit = offers.astype(float)
    pairwise = rng.uniform(0.2, 0.8, (n, n))
    cohesion = (pairwise + pairwise.T) / 2
    np.fill_diagonal(cohesion, 0.0)
    ukrainian = rng.random(n) < 0.3
    rules = ("allowed", "required", "not_allowed")
    return Problem(
        ids=tuple(range(100, 100 + n)),
        fit=fit,
        value=fit * (0.7 + 0.3 * relevance)[:, None],
        cohesion=cohesion,
        country=rng.integers(0, 5, n),
        ukrainian=ukrainian,
        warnings=np.where(rng.random(n) < 0.2, 1 << int(rng.integers(0, 3)), 0).astype(np.int64),
        rule_count=8,
        lead=0 if rng.random() < 0.4 else None,
        min_size=int(rng.integers(2, 4)),
        max_size=int(rng.integers(4, 6)),
        min_countries=int(rng.integers(1, 4)),
        ukrainian_rule=str(rng.choice(rules, p=[0.6, 0.25, 0.15])),
        european_rule=str(rng.choice(("allowed", "required"))),
        weights=TeamWeights(),
    )


SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_beam_finds_the_optimum_of_every_team(seed: int) -> None:
    problem = random_problem(seed)
    config = ConsortiumConfig()
    every = exhaustive(problem)
    found = beam_search(problem, config.beam_width, config.pool_size)
    if not every:
        assert found == []
        return
    assert found[0][0] == pytest.approx(every[0][0], abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS[:10])
def test_pooled_teams_are_feasible_and_scored_as_problem_score(seed: int) -> None:
    problem = random_problem(seed)
    for value, team in beam_search(problem, 16, 200):
        assert problem.feasible(team)
        assert value == pytest.approx(problem.score(team)[0], abs=1e-12)


def test_exhaustive_counts_every_feasible_team() -> None:
    problem = random_problem(3)
    every = {team for _, team in exhaustive(problem)}
    brute = {
        team
        for size in range(1, problem.max_size + 1)
        for team in itertools.combinations(range(problem.size), size)
        if problem.feasible(team)
    }
    assert every == brute and every


def test_a_narrow_beam_can_miss_what_a_wide_one_finds() -> None:
    """The yardstick discriminates: greedy (width 1) is not optimal on every instance."""
    gaps = []
    for seed in SEEDS:
        problem = random_problem(seed)
        every = exhaustive(problem)
        greedy = beam_search(problem, 1, 50)
        if every:
            gaps.append(every[0][0] - (greedy[0][0] if greedy else 0.0))
    assert max(gaps) > 1e-6


def test_diverse_teams_differ_from_every_earlier_one() -> None:
    problem = random_problem(5)
    ranked = beam_search(problem, 48, 400)
    chosen = diverse(ranked, 6, 2, 0.4, problem.lead)
    assert len(chosen) >= 2
    for later, (_, team) in enumerate(chosen):
        free = set(team) - {problem.lead}
        need = required_difference(len(free), 2, 0.4)
        assert all(len(free - set(earlier)) >= need for _, earlier in chosen[:later])
    assert chosen[0] == ranked[0]  # the best team always leads
