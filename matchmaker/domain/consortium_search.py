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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

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
class ConsortiumConfig:
    weights: TeamWeights = field(default_factory=TeamWeights)
    candidates_per_capability: int = 12  # per capability and side, best by the scorer
    # A firm covers a work package from this capability coverage on. 1.0: it offers the
    # code (or, for a whole area, any code inside it); 0.5 would let a firm of the same
    # area count (a shell forger for propellants), which is not doing the work package.
    min_fit: float = 1.0
    # Coverage of a capability = fit * (1 - w + w * the firm's score for the request).
    relevance_weight: float = 0.3
    beam_width: int = 100  # 48 missed the optimum on 1 of 192 random problems, 100 on none
    pool_size: int = 400  # feasible teams kept for the diversity pick
    min_new_members: int = 2  # a team differs from every earlier one in this many members
    min_new_share: float = 0.4  # ... or this share of its members, if more
    new_country_candidates: int = 3  # per capability and side, for each missing country round
    country_slack: int = 2  # seek this many countries beyond the programme's minimum
    probe_limit: int = 30  # firms looked at to explain an infeasible request
    max_teams: int = 20


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

    @cached_property
    def country_bits(self) -> np.ndarray:
        """(n,) int64: bit `country` set, so that a team's countries are one OR."""
        if len(self.country) and int(self.country.max()) >= 63:
            raise ValueError("The team search counts at most 63 distinct countries.")
        return np.left_shift(np.int64(1), self.country.astype(np.int64))

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


def beam_search(
    problem: Problem, width: int, pool_size: int
) -> list[tuple[float, tuple[int, ...]]]:
    """Feasible teams met by a beam of `width` partial teams, best first (at most
    `pool_size`). Each step scores every one-member extension of every team in the
    beam at once, keeps the `width` best, and pools the `pool_size` best feasible."""
    start: tuple[int, ...] = () if problem.lead is None else (problem.lead,)
    beam = np.array([start], dtype=np.int64).reshape(1, len(start))
    pool: dict[tuple[int, ...], float] = {}
    if start and problem.feasible(start):
        pool[start] = problem.score(start)[0]
    for _ in range(len(start), problem.max_size):
        score, feasible = _extensions(problem, beam)
        for team, value in _best_teams(beam, score, feasible, pool_size):
            pool[team] = value
        kept = _best_teams(beam, score, np.isfinite(score), width)
        if not kept:
            break
        beam = np.array([team for team, _ in kept], dtype=np.int64)
        if len(pool) > 4 * pool_size:
            pool = dict(heapq.nlargest(pool_size, pool.items(), key=lambda item: item[1]))
    ranked = sorted(pool.items(), key=lambda item: (-item[1], item[0]))
    return [(value, team) for team, value in ranked[:pool_size]]


def _best_teams(
    beam: np.ndarray, score: np.ndarray, wanted: np.ndarray, count: int
) -> list[tuple[tuple[int, ...], float]]:
    """The `count` best distinct teams among the wanted extensions (beam row b plus
    candidate c), best first."""
    values = np.where(wanted, score, -np.inf).ravel()
    finite = np.flatnonzero(np.isfinite(values))
    # The same team is reached from several beam rows: take spares, then deduplicate.
    spare = min(len(finite), 4 * count)
    if spare < len(finite):
        finite = finite[np.argpartition(-values[finite], spare - 1)[:spare]]
    finite = finite[np.argsort(-values[finite], kind="stable")]
    n = score.shape[1]
    found: dict[tuple[int, ...], float] = {}
    for flat in finite.tolist():
        row, candidate = divmod(flat, n)
        team = tuple(sorted((*beam[row].tolist(), candidate)))
        if team not in found:
            found[team] = float(values[flat])
            if len(found) == count:
                break
    return list(found.items())


def _extensions(problem: Problem, beam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(b, n) score of each beam team b extended with candidate c (-inf: c is in it, or
    the team could no longer become feasible), and whether that extension is feasible."""
    b, s = beam.shape
    n, size = problem.size, s + 1
    w = problem.weights
    if s:
        state_value = problem.value[beam].max(axis=1)  # (b, k)
        state_fit = problem.fit[beam].max(axis=1)
        inside = problem.cohesion[beam[:, :, None], beam[:, None, :]].sum(axis=(1, 2)) / 2
        added = problem.cohesion[beam].sum(axis=1)  # (b, n)
        state_warn = np.bitwise_or.reduce(problem.warnings[beam], axis=1)
        state_countries = np.bitwise_or.reduce(problem.country_bits[beam], axis=1)
        state_ua = problem.ukrainian[beam].any(axis=1)
        state_eu = (~problem.ukrainian[beam]).any(axis=1)
    else:
        k = problem.value.shape[1]
        state_value = state_fit = np.zeros((1, k))
        inside, added = np.zeros(1), np.zeros((1, n))
        state_warn = state_countries = np.zeros(1, dtype=np.int64)
        state_ua = state_eu = np.zeros(1, dtype=bool)
    coverage = np.maximum(state_value[:, None, :], problem.value[None, :, :]).mean(axis=2)
    pairs = size * (size - 1) // 2
    cohesion = (inside[:, None] + added) / pairs if pairs else np.zeros((b, n))
    warned = np.bitwise_count((state_warn[:, None] | problem.warnings[None, :]).astype(np.uint64))
    eligibility = problem._eligibility(warned.astype(float))
    score = w.coverage * coverage + w.cohesion * cohesion + w.eligibility * eligibility
    countries = np.bitwise_count(
        (state_countries[:, None] | problem.country_bits[None, :]).astype(np.uint64)
    ).astype(np.int64)
    has_ua = state_ua[:, None] | problem.ukrainian[None, :]
    has_eu = state_eu[:, None] | ~problem.ukrainian[None, :]
    missing_sides = (problem.ukrainian_rule == "required") * ~has_ua + (
        problem.european_rule == "required"
    ) * ~has_eu
    slots = problem.max_size - size
    usable = np.ones((b, n), dtype=bool)
    if s:
        usable[np.arange(b)[:, None], beam] = False
    # Prune extensions that can no longer become feasible within the size limit.
    usable &= np.maximum(problem.min_countries - countries, 0) <= slots
    usable &= missing_sides <= slots
    if problem.ukrainian_rule == "not_allowed":
        usable &= ~has_ua
    if problem.european_rule == "not_allowed":
        usable &= ~has_eu
    covered = (np.maximum(state_fit[:, None, :], problem.fit[None, :, :]) > 0).all(axis=2)
    feasible = (
        usable
        & covered
        & (size >= problem.min_size)
        & (countries >= problem.min_countries)
        & (missing_sides == 0)
    )
    return np.where(usable, score, -np.inf), feasible


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
