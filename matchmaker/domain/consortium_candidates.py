"""Candidate firms for a consortium request, from the scorer.

Per required capability and side, the matcher's best firms offering it in the countries
the programme and the request allow, kept when they pass every per-member rule; more from
countries not yet represented while the pool holds too few for the programme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matchmaker.domain.consortium import ConsortiumRequest
from matchmaker.domain.consortium_search import ConsortiumConfig
from matchmaker.domain.embedding import query_text
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.programmes import FAILED, PER_MEMBER_RULES, Programme, member_verdict
from matchmaker.domain.queries import AdHocQuery
from matchmaker.domain.taxonomy import SIDE_EU, SIDE_UA, UKRAINE


@dataclass
class Pool:
    profiles: dict[int, CompanyProfile] = field(default_factory=dict)
    relevance: dict[int, float] = field(default_factory=dict)

    def add(self, profile: CompanyProfile, score: float) -> bool:
        new = profile.id not in self.profiles
        self.profiles[profile.id] = profile
        self.relevance[profile.id] = max(score, self.relevance.get(profile.id, 0.0))
        return new

    def countries(self) -> set[str]:
        return {p.country for p in self.profiles.values()}


def allowed_countries(programme: Programme, request: ConsortiumRequest) -> frozenset[str]:
    allowed = programme.open_countries
    if programme.ukrainian_member == "not_allowed":
        allowed -= {UKRAINE}
    if programme.european_member == "not_allowed":
        allowed &= {UKRAINE}
    if request.countries:
        allowed &= request.countries
    return allowed - request.exclude_countries


def first_failed_rule(
    programme: Programme, profile: CompanyProfile, classification: str
) -> str | None:
    """The first per-member rule `profile` fails, or None."""
    for rule in PER_MEMBER_RULES:
        if member_verdict(programme, rule, profile, classification) == FAILED:
            return rule
    return None


def side_countries(allowed: frozenset[str]) -> dict[str, frozenset[str]]:
    sides = {SIDE_EU: allowed - {UKRAINE}, SIDE_UA: allowed & {UKRAINE}}
    return {side: countries for side, countries in sides.items() if countries}


@dataclass(frozen=True)
class Asking:
    """One request's queries to the scorer: its text is embedded once (with every
    capability and pathway), not once per capability and side: the embedding is most
    of a query's time."""

    matcher: Matcher
    request: ConsortiumRequest
    day: date
    vector: np.ndarray | None

    @classmethod
    def of(cls, matcher: Matcher, request: ConsortiumRequest, day: date) -> Asking:
        vector = None
        if request.seeks.strip():
            text = query_text(request.seeks, request.capabilities, request.pathways)
            vector = matcher.embedder.encode([text])[0]
        return cls(matcher, request, day, vector)

    def query(
        self, side: str, capability: str, countries: Iterable[str], limit: int
    ) -> list[tuple[CompanyProfile, float]]:
        """The scorer's best `side` firms offering `capability` in `countries` (any if
        empty), with their scores."""
        query = AdHocQuery(
            side,
            seeks=self.request.seeks,
            capabilities={capability},
            pathways=self.request.pathways,
            countries=frozenset(countries),
        )
        limit = min(limit, self.matcher.config.max_limit)
        found = self.matcher.match_query_vector(query, self.vector, limit=limit, today=self.day)
        return [(s.company, s.score) for s in found]


def candidates(
    asking: Asking, programme: Programme, allowed: frozenset[str], config: ConsortiumConfig
) -> Pool:
    request = asking.request
    pool = Pool()
    sides = side_countries(allowed)

    def gather(countries_of: dict[str, frozenset[str]], per_query: int) -> bool:
        grew = False
        for capability in request.capabilities:
            for side, countries in countries_of.items():
                if not countries:
                    continue
                kept = 0
                for profile, score in asking.query(side, capability, countries, 2 * per_query):
                    if first_failed_rule(programme, profile, request.classification) is None:
                        grew |= pool.add(profile, score)
                        kept += 1
                        if kept == per_query:
                            break
        return grew

    gather(sides, config.candidates_per_capability)
    wanted = programme.min_countries + config.country_slack
    for _ in range(wanted):
        if len(pool.countries()) >= wanted:
            break
        missing = {side: countries - pool.countries() for side, countries in sides.items()}
        if not gather(missing, config.new_country_candidates):
            break
    return pool
