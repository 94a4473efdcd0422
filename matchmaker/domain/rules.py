"""Matching rules: one small function per rule; its docstring is its explanation.

A is the company asking (or an ad-hoc request), B the candidate. Hard exclusions
return a reason string (B must not be suggested) or None. Scored rules return a
`RuleResult`: a score in [0, 1] plus plain-language reasons and warnings naming
the firms. Certification rules live in `certification.py`, regulatory-fit rules in
`regulatory.py`.

Each scored rule is split in two: a numeric core on plain sets (`match_value`,
`direction_score`, `semantic_score`, ...) and the explained rule
(`capability_fit`, ...) that runs the core and words the result.
`batch_scoring` evaluates the same cores over every candidate at once with
numpy; the explained rules run only for the suggestions actually returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import (
    CAPABILITY_CODES,
    SANCTIONED_CONTROL_COUNTRIES,
    capability_area,
    capability_label,
    complementary_to,
)


@dataclass(frozen=True)
class RuleResult:
    score: float
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


# --- hard exclusions -------------------------------------------------------------


def same_company(a: CompanyProfile, b: CompanyProfile) -> str | None:
    """A firm is never suggested to itself."""
    return "it is the same company" if a.id == b.id else None


def not_approved(b: CompanyProfile) -> str | None:
    """Only approved firms are suggested: pending, rejected and archived ones are not."""
    return None if b.status == "approved" else f"{b.name} is {b.status}, not approved"


def sanctioned_owner(b: CompanyProfile) -> str | None:
    """A firm owned or controlled (>50 %) by a listed person, or from Russia or Belarus,
    is never suggested (EU Regulations 833/2014, 269/2014 and the Belarus regime)."""
    if b.compliance.sanctioned:
        return f"{b.name} is owned or controlled by a sanctioned person or entity"
    if b.compliance.controlling_country in SANCTIONED_CONTROL_COUNTRIES:
        return f"{b.name} is controlled from {b.compliance.controlling_country}"
    return None


def same_side(a: CompanyProfile, b: CompanyProfile, *, allowed: bool = False) -> str | None:
    """Partnering is EU-Ukraine by default; same-side firms only when explicitly asked for."""
    return None if allowed or a.side != b.side else f"{b.name} is on the same side ({b.side})"


def exclusion_reason(
    a: CompanyProfile, b: CompanyProfile, *, allow_same_side: bool = False
) -> str | None:
    """The first hard exclusion that applies to the pair, or None."""
    return (
        same_company(a, b)
        or not_approved(b)
        or sanctioned_owner(b)
        or same_side(a, b, allowed=allow_same_side)
    )


# --- capability fit --------------------------------------------------------------


@dataclass(frozen=True)
class CapabilityConfig:
    exact: float = 1.0  # B offers the very capability A seeks (or one inside an area A seeks)
    # Areas are broad (cyber defence and GNSS-denied navigation share one), so a
    # same-area match is worth half an exact one; curated complementary pairs a bit less.
    same_area: float = 0.5  # B offers another capability of the same area
    complementary: float = 0.4  # B offers a complementary one (taxonomy pairs)
    breadth_weight: float = 0.4  # direction = (1 - w) * best match + w * mean over sought codes
    reverse_weight: float = 0.35  # share of "B seeks what A offers" in the two-sided score
    unknown: float = 0.3  # value of a direction in which nothing is sought
    max_reasons: int = 3  # per direction, to keep explanations short


@lru_cache(maxsize=512)
def _complements(code: str) -> frozenset[str]:
    return complementary_to(code)


def _label(code: str) -> str:
    return capability_label(code) if code in CAPABILITY_CODES else code


def offered_areas(offered: frozenset[str]) -> frozenset[str]:
    """The areas of the offered codes (an area code is its own area)."""
    return frozenset(capability_area(code) for code in offered)


def match_value(
    sought: str, offered: frozenset[str], areas: frozenset[str], cfg: CapabilityConfig
) -> float:
    """How well `offered` covers one sought code: set look-ups only (the hot path).
    Equals the best `_code_value` over the offered codes."""
    if sought in offered:
        return cfg.exact
    area = capability_area(sought)
    if sought == area:
        return cfg.exact if area in areas else 0.0
    value = cfg.same_area if area in areas else 0.0
    if value < cfg.complementary and not _complements(sought).isdisjoint(offered):
        value = cfg.complementary
    return value


@lru_cache(maxsize=16384)  # (sought, offered) pairs: at most the taxonomy squared
def _code_value(sought: str, code: str, cfg: CapabilityConfig) -> float:
    area = capability_area(sought)
    if code == sought or (sought == area and capability_area(code) == area):
        return cfg.exact
    same = cfg.same_area if capability_area(code) == area else 0.0
    return max(same, cfg.complementary if code in _complements(sought) else 0.0)


def _best_offer(sought: str, offered: frozenset[str], cfg: CapabilityConfig) -> tuple[float, str]:
    """The offered code that best covers `sought` (for explanations). A curated
    complementary pair inside one area is preferred to a plain same-area code."""
    if sought in offered:
        return cfg.exact, sought
    ranked = sorted(
        offered,
        key=lambda code: (-_code_value(sought, code, cfg), code not in _complements(sought), code),
    )
    return (_code_value(sought, ranked[0], cfg), ranked[0]) if ranked else (0.0, "")


def direction_score(
    sought: Sequence[str], offered: frozenset[str], areas: frozenset[str], cfg: CapabilityConfig
) -> float | None:
    """(1 - w) * best + w * mean coverage of the sought codes; None when nothing is sought."""
    if not sought:
        return None
    values = [match_value(code, offered, areas, cfg) for code in sought]
    return (1 - cfg.breadth_weight) * max(values) + cfg.breadth_weight * sum(values) / len(values)


def two_sided(
    forward: float | None, backward: float | None, cfg: CapabilityConfig, one_way: bool
) -> float:
    """Blend both directions (A's needs weigh more); a direction without needs is neutral."""
    ahead = cfg.unknown if forward is None else forward
    if one_way:
        return clip(ahead)
    behind = cfg.unknown if backward is None else backward
    return clip((1 - cfg.reverse_weight) * ahead + cfg.reverse_weight * behind)


def _reasons(seeker: CompanyProfile, offerer: CompanyProfile, cfg: CapabilityConfig) -> list[str]:
    matches = [
        (*_best_offer(code, offerer.capabilities, cfg), code)
        for code in sorted(seeker.seeking_capabilities)
    ]
    reasons = [
        _capability_reason(seeker.name, offerer.name, sought, offered, value, cfg)
        for value, offered, sought in sorted(matches, key=lambda m: -m[0])
        if value > 0
    ]
    return reasons[: cfg.max_reasons]


def _capability_reason(
    seeker: str, offerer: str, sought: str, offered: str, value: float, cfg: CapabilityConfig
) -> str:
    if sought == offered:
        return f"{seeker} seeks {_label(sought)}; {offerer} offers it"
    if value == cfg.exact:
        return f"{seeker} seeks {_label(sought)}; {offerer} offers {_label(offered)}"
    how = "which complements it" if offered in _complements(sought) else "in the same area"
    return f"{seeker} seeks {_label(sought)}; {offerer} offers {_label(offered)}, {how}"


def capability_fit(
    a: CompanyProfile, b: CompanyProfile, cfg: CapabilityConfig, *, one_way: bool = False
) -> RuleResult:
    """Two-sided capability fit: what A seeks that B offers (exact sub-capability >
    same area > complementary pair), blended with what B seeks that A offers.
    `one_way` (an ad-hoc request offers nothing) scores A's side only."""
    forward = direction_score(
        sorted(a.seeking_capabilities), b.capabilities, offered_areas(b.capabilities), cfg
    )
    backward = direction_score(
        sorted(b.seeking_capabilities), a.capabilities, offered_areas(a.capabilities), cfg
    )
    reasons = _reasons(a, b, cfg) + ([] if one_way else _reasons(b, a, cfg))
    return RuleResult(two_sided(forward, backward, cfg, one_way), tuple(reasons))


# --- semantic two-sided fit ------------------------------------------------------


@dataclass(frozen=True)
class SemanticConfig:
    # MiniLM cosines of related profile texts cluster in ~0.2-0.75 (measured on
    # hand-written EU/UA profiles: good pairs 0.45-0.75, unrelated 0.0-0.3).
    floor: float = 0.20  # raw cosine at or below which a direction is "no fit" (0)
    ceiling: float = 0.75  # raw cosine at or above which a direction is a perfect fit (1)
    one_sided_credit: float = 0.3  # soft-min: (1 - c) * min + c * mean of both directions
    unknown: float = 0.3  # calibrated value of a direction without text (e.g. B seeks nothing)
    reason_above: float = 0.55  # calibrated fit from which a direction is named in reasons
    weak_below: float = 0.2  # calibrated fit under which a one-sided fit is warned about


@dataclass(frozen=True)
class SemanticInputs:
    """Raw cosines: A's seek vs B's offer, and B's seek vs A's offer (None: no text)."""

    seek_offer: float | None
    offer_seek: float | None = None


def calibrate(cosine: float, cfg: SemanticConfig) -> float:
    """Map a raw cosine onto [0, 1] linearly between the configured floor and ceiling."""
    return clip((cosine - cfg.floor) / (cfg.ceiling - cfg.floor))


def semantic_score(inputs: SemanticInputs, cfg: SemanticConfig, *, one_way: bool = False) -> float:
    """Soft minimum of both calibrated directions (the forward one alone if `one_way`)."""
    forward, backward = _directions(inputs, cfg)
    if one_way:
        return forward
    low, high = min(forward, backward), max(forward, backward)
    return clip((1 - cfg.one_sided_credit) * low + cfg.one_sided_credit * (low + high) / 2)


def _directions(inputs: SemanticInputs, cfg: SemanticConfig) -> tuple[float, float]:
    forward = cfg.unknown if inputs.seek_offer is None else calibrate(inputs.seek_offer, cfg)
    backward = cfg.unknown if inputs.offer_seek is None else calibrate(inputs.offer_seek, cfg)
    return forward, backward


def semantic_fit(
    a: CompanyProfile,
    b: CompanyProfile,
    inputs: SemanticInputs,
    cfg: SemanticConfig,
    *,
    one_way: bool = False,
) -> RuleResult:
    """Text fit in both directions: what A seeks vs what B offers, and the reverse. A
    soft minimum ranks a one-sided fit below a mutual one. `one_way`: A's side only."""
    forward, backward = _directions(inputs, cfg)
    reasons, warnings = [], []
    if forward >= cfg.reason_above:
        reasons.append(f"What {a.name} seeks matches what {b.name} offers ({forward:.0%})")
    if not one_way and backward >= cfg.reason_above:
        reasons.append(f"What {b.name} seeks matches what {a.name} offers ({backward:.0%})")
    if not one_way and forward >= cfg.reason_above and backward < cfg.weak_below:
        warnings.append(f"One-sided fit: what {b.name} seeks is not what {a.name} offers")
    score = semantic_score(inputs, cfg, one_way=one_way)
    return RuleResult(score, tuple(reasons), tuple(warnings))


def clip(value: float) -> float:
    return min(1.0, max(0.0, value))
