"""Build consortia: candidates from the scorer, the team search, the answer.

1. Validate the request (`consortium_request`); check the lead firm.
2. Per required capability and side, the scorer's best firms offering it in the
   countries the programme and the request allow, keeping those that pass every
   per-member rule; more firms from countries not yet represented while the pool holds
   too few countries for the programme.
3. Explain an impossible request (a capability nobody eligible offers, too few
   countries, no Ukrainian or European member) with the relaxations that would help.
4. Grade coverage with the capability component's formula, cohesion with the
   matcher's pairwise scores, search (`consortium_search`), and word nothing: teams,
   checks and frictions are codes and figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from matchmaker.domain.codes import CAPABILITY_BITS, areas_mask
from matchmaker.domain.components.capability import CapabilityConfig, SoughtCodes, coverage
from matchmaker.domain.components.regulatory import RegulatoryConfig
from matchmaker.domain.consortium import (
    ConsortiumAnswer,
    ConsortiumRequest,
    Coverage,
    InfeasibleRequest,
    Member,
    Relaxation,
    Team,
    TeamScore,
)
from matchmaker.domain.consortium_frictions import frictions
from matchmaker.domain.consortium_request import Bounds, validated
from matchmaker.domain.consortium_search import Problem, TeamWeights, beam_search, diverse
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.programmes import (
    FAILED,
    PER_MEMBER_RULES,
    WARNING,
    Programme,
    check_team,
    member_verdict,
    programmes,
)
from matchmaker.domain.queries import AdHocQuery
from matchmaker.domain.side import suggestible
from matchmaker.domain.taxonomy import SIDE_EU, SIDE_UA, UKRAINE

SCORE_DECIMALS = 4


@dataclass(frozen=True)
class ConsortiumConfig:
    weights: TeamWeights = field(default_factory=TeamWeights)
    candidates_per_capability: int = 12  # per capability and side, best by the scorer
    # A firm covers a work package from this capability coverage on (0.5: another code of
    # the same area; a complementary pair, 0.4, supplies it but does not do it).
    min_fit: float = 0.5
    # Coverage of a capability = fit * (1 - w + w * the firm's score for the request).
    relevance_weight: float = 0.3
    beam_width: int = 48
    pool_size: int = 400  # feasible teams kept for the diversity pick
    min_new_members: int = 2  # a team differs from every earlier one in this many members
    min_new_share: float = 0.4  # ... or this share of its members, if more
    new_country_candidates: int = 3  # per capability and side, for each missing country round
    country_slack: int = 2  # seek this many countries beyond the programme's minimum
    probe_limit: int = 30  # firms looked at to explain an infeasible request
    max_teams: int = 20


@dataclass
class _Pool:
    profiles: dict[int, CompanyProfile] = field(default_factory=dict)
    relevance: dict[int, float] = field(default_factory=dict)

    def add(self, profile: CompanyProfile, score: float) -> bool:
        new = profile.id not in self.profiles
        self.profiles[profile.id] = profile
        self.relevance[profile.id] = max(score, self.relevance.get(profile.id, 0.0))
        return new

    def countries(self) -> set[str]:
        return {p.country for p in self.profiles.values()}


def build(
    matcher: Matcher,
    request: ConsortiumRequest,
    *,
    today: date | None = None,
    config: ConsortiumConfig | None = None,
) -> ConsortiumAnswer:
    config = config or ConsortiumConfig()
    programme, bounds = validated(request, config.max_teams)
    day = today or date.today()
    allowed = _allowed_countries(programme, request)
    lead = _lead(matcher, programme, request, allowed)
    pool = _candidates(matcher, programme, request, allowed, config, day)
    if lead is not None:
        pool.add(lead, 0.0)
    ids = ([lead.id] if lead is not None else []) + sorted(
        set(pool.profiles) - {getattr(lead, "id", None)}
    )
    members = [pool.profiles[i] for i in ids]
    cap_cfg = matcher.config.settings.get("capability", CapabilityConfig())
    fit = _fits(members, request.capabilities, cap_cfg, config.min_fit)
    _explain_gaps(matcher, programme, request, allowed, members, fit, config, day)
    problem = _problem(matcher, programme, request, bounds, members, fit, pool, config, day)
    ranked = beam_search(problem, config.beam_width, config.pool_size)
    chosen = diverse(
        ranked, request.limit, config.min_new_members, config.min_new_share, problem.lead
    )
    if not chosen:
        raise _no_team(programme, request, bounds, fit)
    reg_cfg = matcher.config.settings.get("regulatory", RegulatoryConfig())
    teams = tuple(_team(problem, members, team, programme, request, reg_cfg) for _, team in chosen)
    return ConsortiumAnswer(request, programme.code, teams)


def _allowed_countries(programme: Programme, request: ConsortiumRequest) -> frozenset[str]:
    allowed = programme.open_countries
    if programme.ukrainian_member == "not_allowed":
        allowed -= {UKRAINE}
    if programme.european_member == "not_allowed":
        allowed &= {UKRAINE}
    if request.countries:
        allowed &= request.countries
    return allowed - request.exclude_countries


def _passes(programme: Programme, profile: CompanyProfile, classification: str) -> str | None:
    """The first per-member rule `profile` fails, or None."""
    for rule in PER_MEMBER_RULES:
        if member_verdict(programme, rule, profile, classification) == FAILED:
            return rule
    return None


def _lead(
    matcher: Matcher, programme: Programme, request: ConsortiumRequest, allowed: frozenset[str]
) -> CompanyProfile | None:
    if request.lead_company_id is None:
        return None
    company_id = request.lead_company_id
    if company_id not in matcher:
        raise InfeasibleRequest(
            "lead_not_eligible",
            {"company_id": company_id, "reason": "unknown"},
            (Relaxation("other_lead"),),
        )
    lead = matcher.profile(company_id)
    failed = _passes(programme, lead, request.classification)
    if failed is None and lead.country not in allowed:
        failed = "excluded_country"
    if failed is None:
        return lead
    relax = [Relaxation("other_lead")]
    if failed == "clearance":
        relax.append(
            Relaxation("lower_classification", {"level": lead.compliance.security_clearance})
        )
    if failed == "excluded_country" and lead.country in programme.open_countries:
        relax.append(Relaxation("allow_countries", {"countries": [lead.country]}))
    if suggestible(lead):
        others = [
            code
            for code, p in programmes().programmes.items()
            if code != programme.code and _passes(p, lead, request.classification) is None
        ]
        if others:
            relax.append(Relaxation("other_programme", {"programmes": others}))
    raise InfeasibleRequest(
        "lead_not_eligible", {"company_id": company_id, "reason": failed}, tuple(relax)
    )


def _side_countries(allowed: frozenset[str]) -> dict[str, frozenset[str]]:
    sides = {SIDE_EU: allowed - {UKRAINE}, SIDE_UA: allowed & {UKRAINE}}
    return {side: countries for side, countries in sides.items() if countries}


def _query(
    matcher: Matcher,
    request: ConsortiumRequest,
    side: str,
    capability: str,
    countries: Iterable[str],
    limit: int,
    day: date,
) -> list[tuple[CompanyProfile, float]]:
    query = AdHocQuery(
        side,
        seeks=request.seeks,
        capabilities={capability},
        pathways=request.pathways,
        countries=frozenset(countries),
    )
    found = matcher.match_query(query, limit=min(limit, matcher.config.max_limit), today=day)
    return [(s.company, s.score) for s in found]


def _candidates(
    matcher: Matcher,
    programme: Programme,
    request: ConsortiumRequest,
    allowed: frozenset[str],
    config: ConsortiumConfig,
    day: date,
) -> _Pool:
    pool = _Pool()
    sides = _side_countries(allowed)

    def gather(countries_of: dict[str, frozenset[str]], per_query: int) -> bool:
        grew = False
        for capability in request.capabilities:
            for side, countries in countries_of.items():
                if not countries:
                    continue
                kept = 0
                for profile, score in _query(
                    matcher, request, side, capability, countries, 2 * per_query, day
                ):
                    if _passes(programme, profile, request.classification) is None:
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


def _fits(
    members: Sequence[CompanyProfile],
    capabilities: Sequence[str],
    cfg: CapabilityConfig,
    min_fit: float,
) -> np.ndarray:
    """(n, k): the capability component's coverage of each required code by each
    firm's offer, 0 below `min_fit`."""
    if not members:
        return np.zeros((0, len(capabilities)))
    offered = np.array([CAPABILITY_BITS.mask(m.capabilities) for m in members], dtype=np.uint64)
    areas = np.array([areas_mask(m.capabilities) for m in members], dtype=np.uint64)
    values = coverage(SoughtCodes.of(capabilities), offered, areas, cfg, np.float64).T
    return np.where(values >= min_fit, values, 0.0)


def _problem(
    matcher: Matcher,
    programme: Programme,
    request: ConsortiumRequest,
    bounds: Bounds,
    members: Sequence[CompanyProfile],
    fit: np.ndarray,
    pool: _Pool,
    config: ConsortiumConfig,
    day: date,
) -> Problem:
    ids = tuple(m.id for m in members)
    pairs = matcher.pair_scores(ids, today=day)
    cohesion = np.nan_to_num((pairs + pairs.T) / 2, nan=0.0)
    np.fill_diagonal(cohesion, 0.0)
    w = config.relevance_weight
    relevance = np.array([pool.relevance[i] for i in ids])
    rules = programme.rules()
    warnings = np.array(
        [
            sum(
                1 << rules.index(rule)
                for rule in PER_MEMBER_RULES
                if rule in rules
                and member_verdict(programme, rule, m, request.classification) == WARNING
            )
            for m in members
        ],
        dtype=np.int64,
    )
    country_index = {c: i for i, c in enumerate(sorted({m.country for m in members}))}
    return Problem(
        ids=ids,
        fit=fit,
        value=fit * ((1 - w) + w * relevance)[:, None],
        cohesion=cohesion,
        country=np.array([country_index[m.country] for m in members], dtype=np.int64),
        ukrainian=np.array([m.country == UKRAINE for m in members], dtype=bool),
        warnings=warnings,
        rule_count=len(rules),
        lead=0 if request.lead_company_id is not None else None,
        min_size=bounds.min_size,
        max_size=bounds.max_size,
        min_countries=programme.min_countries,
        ukrainian_rule=programme.ukrainian_member,
        european_rule=programme.european_member,
        weights=config.weights,
    )


def _explain_gaps(
    matcher: Matcher,
    programme: Programme,
    request: ConsortiumRequest,
    allowed: frozenset[str],
    members: Sequence[CompanyProfile],
    fit: np.ndarray,
    config: ConsortiumConfig,
    day: date,
) -> None:
    """InfeasibleRequest for the first rule the candidates cannot meet, if any."""
    for k, capability in enumerate(request.capabilities):
        if not fit[:, k].any():
            elsewhere = _offered_anywhere(matcher, request, [capability], config, day)
            raise InfeasibleRequest(
                "capability_not_offered",
                {"capability": capability, "countries": sorted(allowed)},
                (
                    Relaxation("drop_capability", {"capability": capability}),
                    *_country_relaxations(programme, request, allowed, elsewhere),
                ),
            )
    covering = [m for m, row in zip(members, fit, strict=True) if row.any()]
    found = sorted({m.country for m in covering})
    if len(found) < programme.min_countries:
        elsewhere = _offered_anywhere(matcher, request, request.capabilities, config, day)
        lower = [
            code
            for code, p in programmes().programmes.items()
            if p.min_countries <= len(found) and code != programme.code
        ]
        relax = _country_relaxations(programme, request, allowed, elsewhere - set(found))
        if lower:
            relax.append(Relaxation("other_programme", {"programmes": lower}))
        raise InfeasibleRequest(
            "min_countries",
            {"required": programme.min_countries, "available": len(found), "countries": found},
            tuple(relax),
        )
    for rule, ukrainian in (("ukrainian_member", True), ("european_member", False)):
        wanted = programme.ukrainian_member if ukrainian else programme.european_member
        if wanted == "required" and not any((m.country == UKRAINE) == ukrainian for m in covering):
            elsewhere = _offered_anywhere(matcher, request, request.capabilities, config, day)
            side = {c for c in elsewhere if (c == UKRAINE) == ukrainian}
            raise InfeasibleRequest(
                rule,
                {"rule_value": wanted},
                tuple(_country_relaxations(programme, request, allowed, side))
                + (Relaxation("other_programme", {"programmes": _without(rule)}),),
            )


def _without(rule: str) -> list[str]:
    return [code for code, p in programmes().programmes.items() if getattr(p, rule) != "required"]


def _offered_anywhere(
    matcher: Matcher,
    request: ConsortiumRequest,
    capabilities: Iterable[str],
    config: ConsortiumConfig,
    day: date,
) -> set[str]:
    """Countries where some suggestible firm offers one of `capabilities`."""
    found: set[str] = set()
    for capability in capabilities:
        for side in (SIDE_EU, SIDE_UA):
            found |= {
                p.country
                for p, _ in _query(matcher, request, side, capability, (), config.probe_limit, day)
            }
    return found


def _country_relaxations(
    programme: Programme, request: ConsortiumRequest, allowed: frozenset[str], offered: set[str]
) -> list[Relaxation]:
    """Allow countries the request shut out; or name programmes open to where firms are."""
    relax = []
    shut_out = sorted((offered & programme.open_countries) - allowed)
    if shut_out:
        relax.append(Relaxation("allow_countries", {"countries": shut_out}))
    outside = offered - programme.open_countries
    others = [
        code
        for code, p in programmes().programmes.items()
        if code != programme.code and outside & p.open_countries
    ]
    if others:
        relax.append(Relaxation("other_programme", {"programmes": others}))
    return relax


def _no_team(
    programme: Programme, request: ConsortiumRequest, bounds: Bounds, fit: np.ndarray
) -> InfeasibleRequest:
    relax = []
    if bounds.max_size < programme.max_members:
        relax.append(Relaxation("raise_max_size", {"max_size": programme.max_members}))
    coverers = (fit > 0).sum(axis=0)
    scarcest = request.capabilities[int(np.argmin(coverers))]
    relax.append(Relaxation("drop_capability", {"capability": scarcest}))
    params: dict[str, Any] = {
        "min_size": bounds.min_size,
        "max_size": bounds.max_size,
        "coverers": dict(zip(request.capabilities, coverers.tolist(), strict=True)),
    }
    return InfeasibleRequest("no_team", params, tuple(relax))


def _team(
    problem: Problem,
    members: Sequence[CompanyProfile],
    team: tuple[int, ...],
    programme: Programme,
    request: ConsortiumRequest,
    reg_cfg: RegulatoryConfig,
) -> Team:
    chosen = list(team)
    best = [
        chosen[int(np.argmax(problem.value[chosen, k]))] for k in range(len(request.capabilities))
    ]
    covers = [
        Coverage(cap, members[i].id, round(float(problem.fit[i, k]), SCORE_DECIMALS))
        for k, (cap, i) in enumerate(zip(request.capabilities, best, strict=True))
    ]

    def roles(i: int) -> tuple[str, ...]:
        mine = tuple(c for c, b in zip(request.capabilities, best, strict=True) if b == i)
        return mine or tuple(c for k, c in enumerate(request.capabilities) if problem.fit[i, k] > 0)

    first_role = {i: k for k, i in reversed(list(enumerate(best)))}
    order = sorted(
        chosen, key=lambda i: (i != problem.lead, first_role.get(i, len(best)), members[i].id)
    )
    profiles = [members[i] for i in order]
    score, cov, coh, elig = problem.score(chosen)
    return Team(
        members=tuple(
            Member(
                members[i].id,
                members[i].name,
                members[i].country,
                members[i].side,
                roles(i),
                i == problem.lead,
            )
            for i in order
        ),
        coverage=tuple(covers),
        checks=check_team(programme, profiles, classification=request.classification),
        frictions=frictions(profiles, reg_cfg),
        score=TeamScore(*(round(v, SCORE_DECIMALS) for v in (score, cov, coh, elig))),
    )
