"""Build consortia: candidates from the scorer, the team search, the answer.

1. Validate the request (`consortium_request`); check the lead firm
   (`consortium_infeasible`).
2. Gather candidates per required capability and side (`consortium_candidates`).
3. Explain an impossible request (a capability nobody eligible offers, too few
   countries, no Ukrainian or European member) with the relaxations that would help
   (`consortium_infeasible`).
4. Grade coverage with the capability component's formula, cohesion with the
   matcher's pairwise scores, search (`consortium_search`), and word nothing: teams,
   checks and frictions are codes and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matchmaker.domain.codes import CAPABILITY_BITS, areas_mask
from matchmaker.domain.components.capability import CapabilityConfig, SoughtCodes, coverage
from matchmaker.domain.components.regulatory import RegulatoryConfig
from matchmaker.domain.consortium import (
    ConsortiumAnswer,
    ConsortiumRequest,
    Coverage,
    Member,
    Team,
    TeamScore,
)
from matchmaker.domain.consortium_candidates import Asking, Pool, allowed_countries, candidates
from matchmaker.domain.consortium_frictions import frictions
from matchmaker.domain.consortium_infeasible import checked_lead, explain_gaps, no_team
from matchmaker.domain.consortium_request import Bounds, validated
from matchmaker.domain.consortium_search import (
    ConsortiumConfig,
    Problem,
    beam_search,
    diverse,
)
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.programmes import (
    PER_MEMBER_RULES,
    WARNING,
    Programme,
    check_team,
    member_verdict,
)
from matchmaker.domain.taxonomy import UKRAINE

SCORE_DECIMALS = 4
__all__ = ["ConsortiumConfig", "Prepared", "build", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """A request turned into a search problem: the candidates (problem index i is
    members[i]) and the programme they were checked against."""

    programme: Programme
    bounds: Bounds
    members: tuple[CompanyProfile, ...]
    problem: Problem


def prepare(
    matcher: Matcher,
    request: ConsortiumRequest,
    *,
    today: date | None = None,
    config: ConsortiumConfig | None = None,
) -> Prepared:
    """Validate, gather the candidates and explain an impossible request."""
    config = config or ConsortiumConfig()
    programme, bounds = validated(request, config.max_teams)
    day = today or date.today()
    allowed = allowed_countries(programme, request)
    lead = checked_lead(matcher, programme, request, allowed)
    asking = Asking.of(matcher, request, day)
    pool = candidates(asking, programme, allowed, config)
    members = sorted(pool.profiles.values(), key=lambda p: p.id)
    if lead is not None:
        pool.add(lead, 0.0)
        members = [lead, *(p for p in members if p.id != lead.id)]
    cap_cfg = matcher.config.settings.get("capability", CapabilityConfig())
    fit = _fits(members, request.capabilities, cap_cfg, config.min_fit)
    explain_gaps(asking, programme, allowed, members, fit, config)
    problem = _problem(matcher, programme, request, bounds, members, fit, pool, config, day)
    return Prepared(programme, bounds, tuple(members), problem)


def build(
    matcher: Matcher,
    request: ConsortiumRequest,
    *,
    today: date | None = None,
    config: ConsortiumConfig | None = None,
) -> ConsortiumAnswer:
    config = config or ConsortiumConfig()
    ready = prepare(matcher, request, today=today, config=config)
    problem, programme = ready.problem, ready.programme
    ranked = beam_search(problem, config.beam_width, config.pool_size)
    chosen = diverse(
        ranked, request.limit, config.min_new_members, config.min_new_share, problem.lead
    )
    if not chosen:
        raise no_team(programme, request, ready.bounds, problem.fit)
    reg_cfg = matcher.config.settings.get("regulatory", RegulatoryConfig())
    teams = tuple(
        _team(problem, ready.members, team, programme, request, reg_cfg) for _, team in chosen
    )
    return ConsortiumAnswer(request, programme.code, teams)


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
    pool: Pool,
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
