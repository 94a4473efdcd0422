"""The scoring formulas written the plain way, one pair at a time, on sets and floats.

The domain computes every component with one vectorised formula per rule; this
module is the readable statement of what those formulas should give, so that the
parity tests compare two independent implementations (this one never runs in
production).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from matchmaker.domain.components.capability import CapabilityConfig
from matchmaker.domain.components.certification import CertificationConfig
from matchmaker.domain.components.regulatory import (
    RegulatoryConfig,
    clearance_rank,
    compatible_pairs,
    safe_eligibility,
)
from matchmaker.domain.components.semantic import SemanticConfig
from matchmaker.domain.embedding import has_offer_text, has_seek_text
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


def calibrate(cosine: float | None, cfg: SemanticConfig) -> float:
    if cosine is None:
        return cfg.unknown
    return clip((cosine - cfg.floor) / (cfg.ceiling - cfg.floor))


def semantic(
    b: CompanyProfile,
    seek_offer: float | None,
    offer_seek: float | None,
    cfg: SemanticConfig,
    one_way: bool,
) -> float:
    forward = calibrate(seek_offer if has_offer_text(b) else None, cfg)
    if one_way:
        return forward
    backward = calibrate(offer_seek if has_seek_text(b) else None, cfg)
    low, high = min(forward, backward), max(forward, backward)
    return clip((1 - cfg.one_sided_credit) * low + cfg.one_sided_credit * (low + high) / 2)


# --- certification ----------------------------------------------------------------


def certification(
    a: CompanyProfile, b: CompanyProfile, today: date, cfg: CertificationConfig
) -> float:
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
) -> dict[str, float]:
    """Every default component's value for the pair (cosines None: no such text on A)."""
    settings = config.settings
    return {
        "capability": capability(a, b, settings["capability"], one_way),
        "semantic": semantic(b, seek_offer, offer_seek, settings["semantic"], one_way),
        "regulatory": regulatory(a, b, settings["regulatory"]),
        "certification": certification(a, b, today, settings["certification"]),
    }


def score(values: dict[str, float], config: ScoringConfig) -> float:
    used = {name: value for name, value in values.items() if config.weights[name] > 0}
    total = sum(config.weights[name] for name in used)
    return sum(config.weights[n] * v for n, v in used.items()) / total if total else 0.0
