"""The scoring formulas written the plain way, one pair at a time, on sets and floats.

The domain computes every component with one vectorised formula per rule; this
module is the readable statement of what those formulas should give, so that the
parity tests compare two independent implementations (this one never runs in
production).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date

from matchmaker.domain.components.capability import CapabilityConfig
from matchmaker.domain.components.certification import CertificationConfig
from matchmaker.domain.components.lexical import LexicalConfig
from matchmaker.domain.components.profile_similarity import ProfileConfig
from matchmaker.domain.components.regulatory import (
    RegulatoryConfig,
    clearance_rank,
    compatible_pairs,
    safe_eligibility,
)
from matchmaker.domain.components.semantic import SemanticConfig
from matchmaker.domain.embedding import has_offer_text
from matchmaker.domain.lexical import text_script, tokenize
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.taxonomy import capability_area, complementary_to


def clip(value: float) -> float:
    return min(1.0, max(0.0, value))


# --- capability -------------------------------------------------------------------


def match_value(sought: str, offered: frozenset[str], cfg: CapabilityConfig) -> float:
    """How well `offered` covers one sought code."""
    if sought in offered:
        return cfg.exact
    area = capability_area(sought)
    areas = {capability_area(code) for code in offered}
    if sought == area:
        return cfg.exact if area in areas else 0.0
    value = cfg.same_area if area in areas else 0.0
    if not complementary_to(sought).isdisjoint(offered):
        value = max(value, cfg.complementary)
    return value


def direction(sought: Sequence[str], offered: frozenset[str], cfg: CapabilityConfig) -> float:
    if not sought:
        return cfg.unknown
    values = [match_value(code, offered, cfg) for code in sought]
    return (1 - cfg.breadth_weight) * max(values) + cfg.breadth_weight * sum(values) / len(values)


def capability(a: CompanyProfile, b: CompanyProfile, cfg: CapabilityConfig, one_way: bool) -> float:
    ahead = direction(sorted(a.seeking_capabilities), b.capabilities, cfg)
    if one_way:
        return clip(ahead)
    behind = direction(sorted(b.seeking_capabilities), a.capabilities, cfg)
    return clip((1 - cfg.reverse_weight) * ahead + cfg.reverse_weight * behind)


# --- semantic ---------------------------------------------------------------------


NAN = float("nan")


def calibrate(cosine: float | None, floor: float, ceiling: float) -> float:
    return NAN if cosine is None else clip((cosine - floor) / (ceiling - floor))


def semantic(
    b: CompanyProfile,
    seek_offer: float | None,
    offer_seek: float | None,
    cfg: SemanticConfig,
    one_way: bool,
) -> float:
    """Each direction only where its seeker wrote a need; the other alone if one is missing."""
    forward = calibrate(seek_offer if has_offer_text(b) else None, cfg.floor, cfg.ceiling)
    if one_way:
        return forward
    backward = calibrate(offer_seek if b.seeks.strip() else None, cfg.floor, cfg.ceiling)
    present = [v for v in (forward, backward) if not math.isnan(v)]
    if len(present) < 2:
        return present[0] if present else NAN
    low, high = min(present), max(present)
    return clip((1 - cfg.one_sided_credit) * low + cfg.one_sided_credit * (low + high) / 2)


def profile(
    a: CompanyProfile,
    b: CompanyProfile,
    offer_offer: float | None,
    cfg: ProfileConfig,
    one_way: bool,
) -> float:
    if one_way or not has_offer_text(a) or not has_offer_text(b):
        return NAN
    return calibrate(offer_offer, cfg.floor, cfg.ceiling)


def lexical(
    a: CompanyProfile,
    b: CompanyProfile,
    corpus: Sequence[CompanyProfile],
    cfg: LexicalConfig,
    *,
    across: bool = False,
) -> float:
    """BM25 (Okapi, idf = ln(1 + (N - df + .5) / (df + .5))) of A's distinct terms in B,
    over A's score against itself, calibrated; NaN when A shares no term with any firm.
    Within a script (`across` False) or across scripts (True) only: NaN for the other
    case and where either text has no letters."""
    scripts = {text_script(_words(a)), text_script(_words(b))}
    differ = None not in scripts and len(scripts) == 2
    if differ != across or (across and None in scripts):
        return NAN
    docs = [Counter(tokenize(_words(p))) for p in corpus]
    average = sum(sum(d.values()) for d in docs) / len(docs) or 1.0

    def idf(term: str) -> float:
        df = sum(1 for d in docs if term in d)
        return math.log1p((len(docs) - df + 0.5) / (df + 0.5))

    def weight(counts: Counter[str], term: str) -> float:
        tf, length = counts[term], sum(counts.values())
        return tf * (cfg.k1 + 1) / (tf + cfg.k1 * (1 - cfg.b + cfg.b * length / average))

    query = Counter(tokenize(_words(a)))
    known = [t for t in query if any(t in d for d in docs)]
    best = sum(idf(t) * weight(query, t) for t in known)
    if best <= 0:
        return NAN
    mine = Counter(tokenize(_words(b)))
    shared = sum(idf(t) * weight(mine, t) for t in known if t in mine)
    return clip((shared / best - cfg.floor) / (cfg.ceiling - cfg.floor))


def _words(p: CompanyProfile) -> str:
    return " ".join((p.description, p.offers, p.seeks))


# --- certification ----------------------------------------------------------------


def certification(
    a: CompanyProfile, b: CompanyProfile, today: date, cfg: CertificationConfig
) -> float:
    if not a.partner_certifications:
        return NAN
    valid = sorted({c.scheme for c in b.certifications if c.is_valid_on(today)})
    points = sum(cfg.credibility_points.get(scheme, 0.0) for scheme in valid)
    credibility = min(1.0, cfg.credibility_base + points)
    wanted = a.partner_certifications
    if not wanted:
        return clip(credibility)
    coverage = len(wanted.intersection(valid)) / len(wanted)
    return clip(cfg.required_share * coverage + (1 - cfg.required_share) * credibility)


# --- regulatory -------------------------------------------------------------------


def pathway(mine: frozenset[str], theirs: frozenset[str], cfg: RegulatoryConfig) -> float:
    if not mine or not theirs:
        return cfg.unknown_pathway
    if not mine.isdisjoint(theirs):
        return cfg.shared_pathway
    known = compatible_pairs(cfg)
    if any((x, y) in known for x in mine for y in theirs):
        return cfg.compatible_pathway
    return cfg.no_common_pathway


def regulatory(a: CompanyProfile, b: CompanyProfile, cfg: RegulatoryConfig) -> float:
    penalty = cfg.export_licence_penalty if b.compliance.export_control else 0.0
    penalty += cfg.itar_penalty if b.compliance.itar_controlled else 0.0
    for holder, needer in ((b, a), (a, b)):
        required = clearance_rank(needer.compliance.required_clearance)
        if clearance_rank(holder.compliance.security_clearance) < required:
            penalty += cfg.clearance_gap_penalty
    safe = safe_eligibility(b, cfg)[0]
    base = cfg.pathway_weight * pathway(a.pathways, b.pathways, cfg)
    return clip(base + (1 - cfg.pathway_weight) * safe - penalty)


# --- the blend ----------------------------------------------------------------------


def components(
    a: CompanyProfile,
    b: CompanyProfile,
    seek_offer: float | None,
    offer_seek: float | None,
    today: date,
    config: ScoringConfig,
    *,
    one_way: bool = False,
    offer_offer: float | None = None,
    corpus: Sequence[CompanyProfile] = (),
) -> dict[str, float]:
    """Every default component's value for the pair (cosines None: no such text on A;
    `corpus`: the firms of B's side, B's own included, for term statistics)."""
    settings = config.settings
    return {
        "profile": profile(a, b, offer_offer, settings["profile"], one_way),
        "lexical": lexical(a, b, corpus or [b], settings["lexical"]),
        "lexical_across": lexical(a, b, corpus or [b], settings["lexical_across"], across=True),
        "capability": capability(a, b, settings["capability"], one_way),
        "semantic": semantic(b, seek_offer, offer_seek, settings["semantic"], one_way),
        "regulatory": regulatory(a, b, settings["regulatory"]),
        "certification": certification(a, b, today, settings["certification"]),
    }


def score(values: dict[str, float], config: ScoringConfig) -> float:
    used = {
        name: value
        for name, value in values.items()
        if config.weights[name] > 0 and not math.isnan(value)
    }
    total = sum(config.weights[name] for name in used)
    return sum(config.weights[n] * v for n, v in used.items()) / total if total else 0.0
