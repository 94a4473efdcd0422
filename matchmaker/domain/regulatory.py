"""Regulatory-fit rules: pathways, SAFE/EDIP eligibility, export control, clearances.

Same shape as `rules.py`: one function per rule, its docstring is its
explanation, each returns a `RuleResult`. `regulatory_fit` combines them:

    score = clip(pathway_weight * pathway + (1 - pathway_weight) * safe - penalties)

where the penalties are for export licences, ITAR content and each direction of a
security-clearance gap. Warnings never name B's exact confidential figures
(component share, clearance level), only whether a threshold is met.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.rules import RuleResult
from matchmaker.domain.taxonomy import (
    COUNTRY_NAMES,
    OTHER_KNOWN_COUNTRIES,
    PATHWAYS,
    SAFE_ELIGIBLE_COUNTRIES,
    SAFE_PARTNER_COUNTRIES,
    SECURITY_CLEARANCE_LEVELS,
)

# Pathways that are not the same but lead to the same deal; read both ways.
COMPATIBLE_PATHWAYS: tuple[tuple[str, str], ...] = (
    ("licensing", "jv_eu"),  # licensed production is often set up as a JV on EU soil
    ("licensing", "coproduction_ua"),  # a licence to produce inside Ukraine
    ("licensing", "rnd"),  # joint development ends in licensing the result
    ("direct_financing", "coproduction_ua"),  # the Danish model pays for production in Ukraine
    ("direct_financing", "investment"),  # both bring capital to a Ukrainian maker
    ("investment", "jv_eu"),  # a joint venture usually means taking equity
    ("coproduction_ua", "mro_ua"),  # both are industrial work inside Ukraine
)


@dataclass(frozen=True)
class RegulatoryConfig:
    max_non_eligible_share: float = 35.0  # SAFE Art. 16(10): % of component cost from outside
    pathway_weight: float = 0.5  # pathway fit vs SAFE eligibility in the base score
    shared_pathway: float = 1.0  # both want the same pathway
    compatible_pathway: float = 0.65  # pathways in COMPATIBLE_PATHWAYS
    unknown_pathway: float = 0.5  # one side named no pathway
    no_common_pathway: float = 0.1  # both named pathways, none fit
    safe_eligible: float = 1.0
    safe_unknown: float = 0.7  # component origin not declared
    safe_conditional: float = 0.5  # SAFE partner country (e.g. UK): joins under conditions
    safe_ineligible: float = 0.0
    export_licence_penalty: float = 0.05  # B's items are on the Military / dual-use lists
    itar_penalty: float = 0.15  # US re-export approval needed
    clearance_gap_penalty: float = 0.25  # per direction of a security-clearance gap
    compatible_pathways: tuple[tuple[str, str], ...] = COMPATIBLE_PATHWAYS


def _country(code: str | None) -> str:
    if code is None:
        return "an undeclared country"
    return COUNTRY_NAMES.get(code) or OTHER_KNOWN_COUNTRIES.get(code) or code


@lru_cache(maxsize=8)
def _compatible(pairs: tuple[tuple[str, str], ...]) -> frozenset[tuple[str, str]]:
    return frozenset(pairs) | frozenset((y, x) for x, y in pairs)


def compatible_pairs(cfg: RegulatoryConfig) -> frozenset[tuple[str, str]]:
    """The configured compatible pathway pairs, read both ways."""
    return _compatible(cfg.compatible_pathways)


def _compatible_pairs(
    mine: frozenset[str], theirs: frozenset[str], cfg: RegulatoryConfig
) -> list[tuple[str, str]]:
    known = _compatible(cfg.compatible_pathways)
    return sorted((x, y) for x in mine for y in theirs if (x, y) in known)


def pathway_score(mine: frozenset[str], theirs: frozenset[str], cfg: RegulatoryConfig) -> float:
    """Shared > compatible > none; neutral when either side named no pathway."""
    if not mine or not theirs:
        return cfg.unknown_pathway
    if not mine.isdisjoint(theirs):
        return cfg.shared_pathway
    if _compatible_pairs(mine, theirs, cfg):
        return cfg.compatible_pathway
    return cfg.no_common_pathway


def pathway_fit(a: CompanyProfile, b: CompanyProfile, cfg: RegulatoryConfig) -> RuleResult:
    """A shared cooperation pathway fits best; a known compatible pair (e.g. licensing
    and a joint venture on EU soil) fits well; no pathway in common fits poorly."""
    score = pathway_score(a.pathways, b.pathways, cfg)
    shared = sorted(a.pathways & b.pathways)
    if shared or not a.pathways or not b.pathways:
        return RuleResult(score, tuple(f"Both want: {PATHWAYS[p]}" for p in shared))
    pairs = _compatible_pairs(a.pathways, b.pathways, cfg)
    if pairs:
        x, y = pairs[0]
        reason = f"{a.name} wants {PATHWAYS[x]}; {b.name} wants the compatible {PATHWAYS[y]}"
        return RuleResult(cfg.compatible_pathway, (reason,))
    warning = f"No cooperation pathway in common between {a.name} and {b.name}"
    return RuleResult(score, (), (warning,))


def safe_eligibility(b: CompanyProfile, cfg: RegulatoryConfig) -> RuleResult:
    """SAFE / EDIP: established and controlled in the EU, EEA-EFTA or Ukraine, and at most
    35 % of component cost from outside them (Reg. 2025/1106 Art. 16(10)). A SAFE partner
    country such as the UK takes part only under further conditions."""
    control = b.compliance.controlling_country or b.country
    share = b.compliance.non_eligible_component_share
    if b.country not in SAFE_ELIGIBLE_COUNTRIES | SAFE_PARTNER_COUNTRIES:
        why = f"established in {_country(b.country)}"
    elif control not in SAFE_ELIGIBLE_COUNTRIES | SAFE_PARTNER_COUNTRIES:
        why = f"controlled from {_country(control)}"
    elif share is not None and share > cfg.max_non_eligible_share:
        why = f"over {cfg.max_non_eligible_share:g} % of component cost from outside EU/EEA/Ukraine"
    else:
        return _safe_open(b, control, share, cfg)
    return RuleResult(cfg.safe_ineligible, (), (f"{b.name} is not SAFE/EDIP-eligible: {why}",))


def _safe_open(
    b: CompanyProfile, control: str, share: float | None, cfg: RegulatoryConfig
) -> RuleResult:
    partner = sorted({b.country, control} & SAFE_PARTNER_COUNTRIES)
    if partner:
        warning = (
            f"{b.name} can join SAFE procurements only under further conditions "
            f"({_country(partner[0])} is a SAFE partner country)"
        )
        return RuleResult(cfg.safe_conditional, (), (warning,))
    if share is None:
        warning = (
            f"{b.name} has not declared its share of component cost from outside "
            "EU/EEA/Ukraine (SAFE/EDIP 35 % rule)"
        )
        return RuleResult(cfg.safe_unknown, (), (warning,))
    reason = (
        f"{b.name} is SAFE/EDIP-eligible (established in {_country(b.country)}, "
        f"at most {cfg.max_non_eligible_share:g} % non-eligible components)"
    )
    return RuleResult(cfg.safe_eligible, (reason,))


def export_licence(b: CompanyProfile, cfg: RegulatoryConfig) -> RuleResult:
    """Items on the EU Common Military List or the dual-use list need an export licence."""
    categories = sorted(b.compliance.export_control, key=_category_order)
    if not categories:
        return RuleResult(0.0)
    return RuleResult(
        cfg.export_licence_penalty,
        (),
        (f"Export licence needed for {b.name}'s items: {', '.join(categories)}",),
    )


def _category_order(code: str) -> tuple[str, int]:
    prefix, digits = code[:2], code[2:]
    return prefix, int(digits) if digits.isdigit() else 0


def itar_content(b: CompanyProfile, cfg: RegulatoryConfig) -> RuleResult:
    """US-origin ITAR-controlled content restricts re-export: every transfer needs US
    approval ("ITAR-free" is a selling point)."""
    if not b.compliance.itar_controlled:
        return RuleResult(0.0)
    warning = f"{b.name}'s products contain US ITAR-controlled content, which restricts re-export"
    return RuleResult(cfg.itar_penalty, (), (warning,))


def clearance_rank(level: str) -> int:
    """Position in SECURITY_CLEARANCE_LEVELS; an unknown level counts as none."""
    return SECURITY_CLEARANCE_LEVELS.index(level) if level in SECURITY_CLEARANCE_LEVELS else 0


def candidate_penalty(b: CompanyProfile, cfg: RegulatoryConfig) -> float:
    """Penalties that depend on B alone: export licence and ITAR content."""
    return export_licence(b, cfg).score + itar_content(b, cfg).score


def regulatory_score(pathway: float, safe: float, penalty: float, cfg: RegulatoryConfig) -> float:
    """clip(pathway_weight * pathway + (1 - pathway_weight) * safe - penalties)."""
    base = cfg.pathway_weight * pathway + (1 - cfg.pathway_weight) * safe
    return min(1.0, max(0.0, base - penalty))


def _label(level: str) -> str:
    return level.replace("_", " ").upper()


def clearance_gap(a: CompanyProfile, b: CompanyProfile, cfg: RegulatoryConfig) -> RuleResult:
    """Each firm's facility security clearance must reach what the other requires of a
    partner; each direction of a gap is a warning and a penalty."""
    warnings = []
    for holder, needer in ((b, a), (a, b)):
        required = needer.compliance.required_clearance
        if clearance_rank(holder.compliance.security_clearance) < clearance_rank(required):
            warnings.append(
                f"Security clearance gap: {holder.name} does not hold the "
                f"{_label(required)} clearance {needer.name} requires"
            )
    return RuleResult(cfg.clearance_gap_penalty * len(warnings), (), tuple(warnings))


def regulatory_fit(a: CompanyProfile, b: CompanyProfile, cfg: RegulatoryConfig) -> RuleResult:
    """Pathway fit and SAFE/EDIP eligibility, less penalties for export licences, ITAR
    content and security-clearance gaps."""
    pathway, safe = pathway_fit(a, b, cfg), safe_eligibility(b, cfg)
    frictions = (export_licence(b, cfg), itar_content(b, cfg), clearance_gap(a, b, cfg))
    penalty = candidate_penalty(b, cfg) + frictions[2].score
    score = regulatory_score(pathway.score, safe.score, penalty, cfg)
    parts = (pathway, safe, *frictions)
    return RuleResult(
        score,
        tuple(r for part in parts for r in part.reasons),
        tuple(w for part in parts for w in part.warnings),
    )
