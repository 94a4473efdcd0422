"""The team search of the consortium builder: a beam search over candidate firms.

The builder turns a request into a `Problem`: n candidate firms (the lead first), how
well each covers each required capability, their pairwise cohesion, their country
and side, and which per-member rules warn about them. A team's value is

    score = w_coverage * coverage + w_cohesion * cohesion + w_eligibility * eligibility

with coverage the mean over required capabilities of the best member's fit (weighted
by its relevance to the request), cohesion the mean pairwise fit over the team's
pairs, and eligibility the share of programme rules passed (a warning counts part).
The search grows teams one member at a time and keeps the `width` best at each size,
scoring every extension of a team at once (numpy); every feasible team met on the way
enters a pool, from which `diverse` picks teams that differ from each other.
`exhaustive` enumerates every team: the yardstick for the beam on small problems.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TeamWeights:
    coverage: float = 0.5
    cohesion: float = 0.3
    eligibility: float = 0.2
    # A rule with a warning (undeclared component share, a SAFE partner country)
    # counts this much of a pass in the eligibility share.
    warning_value: float = 0.5


@dataclass(frozen=True)
class Problem:
    """Candidates as arrays; a team is a tuple of candidate indexes (ascending)."""

    ids: tuple[int, ...]
    fit: np.ndarray  # (n, k) coverage of each capability, 0 below the minimum fit
    value: np.ndarray  # (n, k) fit weighted by relevance to the request
    cohesion: np.ndarray  # (n, n) symmetric pairwise fit, 0 on the diagonal
    country: np.ndarray  # (n,) country index
    ukrainian: np.ndarray  # (n,) bool
    warnings: np.ndarray  # (n,) int: bit r set when per-member rule r warns
    rule_count: int  # rules the programme checks (for the eligibility share)
    lead: int | None  # candidate index that every team holds
    min_size: int
    max_size: int
    min_countries: int
    ukrainian_rule: str  # "required" | "allowed" | "not_allowed"
    european_rule: str
    weights: TeamWeights

    @property
    def size(self) -> int:
        return len(self.ids)

    def score(self, team: Sequence[int]) -> tuple[float, float, float, float]:
        """(score, coverage, cohesion, eligibility) of one team, exactly as the search."""
        members = list(team)
        coverage = float(self.value[members].max(axis=0).mean()) if members else 0.0
        pairs = len(members) * (len(members) - 1) // 2
        inside = self.cohesion[np.ix_(members, members)].sum() / 2 if pairs else 0.0
        cohesion = float(inside / pairs) if pairs else 0.0
        mask = int(np.bitwise_or.reduce(self.warnings[members])) if members else 0
        eligibility = float(self._eligibility(mask.bit_count()))
        w = self.weights
        total = w.coverage * coverage + w.cohesion * cohesion + w.eligibility * eligibility
        return float(total), coverage, cohesion, eligibility

    def _eligibility(self, warned: int | np.ndarray) -> float | np.ndarray:
        return (self.rule_count - warned * (1 - self.weights.warning_value)) / self.rule_count

    def feasible(self, team: Sequence[int]) -> bool:
        members = list(team)
        if not self.min_size <= len(members) <= self.max_size:
            return False
        if self.lead is not None and self.lead not in members:
            return False
        if not (self.fit[members] > 0).any(axis=0).all():
            return False
        if len(set(self.country[members].tolist())) < self.min_countries:
            return False
        ukrainian = self.ukrainian[members]
        return _side_ok(self.ukrainian_rule, bool(ukrainian.any())) and _side_ok(
            self.european_rule, bool((~ukrainian).any())
        )


def _side_ok(rule: str, present: bool) -> bool:
    return present if rule == "required" else not present if rule == "not_allowed" else True


@dataclass
class _State:
    members: tuple[int, ...]
    score: float


def beam_search(
    problem: Problem, width: int, pool_size: int
) -> list[tuple[float, tuple[int, ...]]]:
    """Feasible teams met by a beam of `width` partial teams, best first (at most
    `pool_size`)."""
    start: tuple[int, ...] = () if problem.lead is None else (problem.lead,)
    beam = [_State(start, problem.score(start)[0] if start else 0.0)]
    pool: dict[tuple[int, ...], float] = {}
    if start and problem.feasible(start):
        pool[start] = problem.score(start)[0]
    for _ in range(len(start), problem.max_size):
        children: dict[tuple[int, ...], float] = {}
        for state in beam:
            for score, team, feasible in _extensions(problem, state.members, width):
                children[team] = score
                if feasible:
                    pool[team] = score
        if not children:
            break
        best = heapq.nlargest(width, children.items(), key=lambda item: (item[1], item[0]))
        beam = [_State(team, score) for team, score in best]
        if len(pool) > 4 * pool_size:
            pool = dict(heapq.nlargest(pool_size, pool.items(), key=lambda item: item[1]))
    ranked = sorted(pool.items(), key=lambda item: (-item[1], item[0]))
    return [(score, team) for team, score in ranked[:pool_size]]


def _extensions(
    problem: Problem, members: tuple[int, ...], width: int
) -> Iterable[tuple[float, tuple[int, ...], bool]]:
    """The `width` best one-member extensions of a team (and the best feasible ones),
    scored all at once: (score, team, feasible)."""
    n, size = problem.size, len(members) + 1
    m = list(members)
    w = problem.weights
    value = np.maximum(problem.value[m].max(axis=0), problem.value) if m else problem.value
    coverage = value.mean(axis=1)
    pairs = size * (size - 1) // 2
    inside = problem.cohesion[np.ix_(m, m)].sum() / 2 if m else 0.0
    cohesion = (inside + problem.cohesion[:, m].sum(axis=1)) / pairs if pairs else np.zeros(n)
    state_mask = int(np.bitwise_or.reduce(problem.warnings[m])) if m else 0
    warned = np.bitwise_count((problem.warnings | state_mask).astype(np.uint64)).astype(float)
    eligibility = problem._eligibility(warned)
    score = w.coverage * coverage + w.cohesion * cohesion + w.eligibility * eligibility
    usable = np.ones(n, dtype=bool)
    usable[m] = False
    countries = set(problem.country[m].tolist())
    new_country = ~np.isin(problem.country, list(countries))
    country_count = len(countries) + new_country
    slots = problem.max_size - size
    has_ua = bool(problem.ukrainian[m].any()) | problem.ukrainian
    has_eu = bool((~problem.ukrainian[m]).any()) | ~problem.ukrainian
    missing_sides = (problem.ukrainian_rule == "required") * ~has_ua + (
        problem.european_rule == "required"
    ) * ~has_eu
    # Prune extensions that can no longer become feasible within the size limit.
    usable &= np.maximum(problem.min_countries - country_count, 0) <= slots
    usable &= missing_sides <= slots
    covered = (np.maximum(problem.fit[m].max(axis=0), problem.fit) if m else problem.fit) > 0
    feasible = (
        usable
        & covered.all(axis=1)
        & (size >= problem.min_size)
        & (country_count >= problem.min_countries)
        & (missing_sides == 0)
    )
    if problem.ukrainian_rule == "not_allowed":
        feasible &= ~has_ua
    if problem.european_rule == "not_allowed":
        feasible &= ~has_eu
    score = np.where(usable, score, -np.inf)
    picked = _top(score, width)
    picked_feasible = _top(np.where(feasible, score, -np.inf), width)
    for i in np.union1d(picked, picked_feasible).tolist():
        if np.isfinite(score[i]):
            yield float(score[i]), tuple(sorted((*members, i))), bool(feasible[i])


def _top(values: np.ndarray, count: int) -> np.ndarray:
    finite = np.flatnonzero(np.isfinite(values))
    if len(finite) <= count:
        return finite
    return finite[np.argpartition(-values[finite], count - 1)[:count]]


def exhaustive(problem: Problem) -> list[tuple[float, tuple[int, ...]]]:
    """Every feasible team, best first: the optimum the beam is measured against."""
    others = [i for i in range(problem.size) if i != problem.lead]
    fixed = () if problem.lead is None else (problem.lead,)
    found = []
    for size in range(problem.min_size, problem.max_size + 1):
        for rest in itertools.combinations(others, size - len(fixed)):
            team = tuple(sorted((*fixed, *rest)))
            if problem.feasible(team):
                found.append((problem.score(team)[0], team))
    found.sort(key=lambda item: (-item[0], item[1]))
    return found


def required_difference(size: int, min_new: int, min_new_share: float) -> int:
    """Members a team must have that an earlier team lacks: `min_new`, or the share of
    its size if that is more, and never more than the team holds."""
    return min(size, max(min_new, math.ceil(min_new_share * size)))


def diverse(
    ranked: Sequence[tuple[float, tuple[int, ...]]],
    limit: int,
    min_new: int,
    min_new_share: float,
    lead: int | None,
) -> list[tuple[float, tuple[int, ...]]]:
    """The best teams in order, each with enough members no earlier pick has (the lead,
    in every team, is not counted)."""
    chosen: list[tuple[float, tuple[int, ...]]] = []
    for score, team in ranked:
        free = set(team) - {lead}
        need = required_difference(len(free), min_new, min_new_share)
        if all(len(free - set(earlier)) >= need for _, earlier in chosen):
            chosen.append((score, team))
            if len(chosen) == limit:
                break
    return chosen
