"""Matching rules: one small function per rule; its docstring is its explanation.

A is the company asking (or an ad-hoc request), B the candidate. Hard exclusions
return a reason string (B must not be suggested) or None. Scored rules return a
`RuleResult`: a score in [0, 1] plus plain-language reasons and warnings naming
the firms. Regulatory-fit rules live in `regulatory.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import (
    CAPABILITY_CODES,
    CERTIFICATION_SCHEMES,
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


def _best_offer(sought: str, offered: frozenset[str], cfg: CapabilityConfig) -> tuple[float, str]:
    """How well `offered` covers one sought code, and the offered code that does it.

    A curated complementary pair inside the same area scores as the same area but
    is explained as complementary (the more telling reason)."""
    if sought in offered:
        return cfg.exact, sought
    area, complements = capability_area(sought), _complements(sought)
    best: tuple[float, bool, str] = (0.0, False, "")
    for code in sorted(offered):
        in_area = capability_area(code) == area
        if in_area and sought == area:
            return cfg.exact, code
        value = max(
            cfg.same_area if in_area else 0.0, cfg.complementary if code in complements else 0.0
        )
        best = max(best, (value, code in complements, code), key=lambda t: (t[0], t[1]))
    return best[0], best[2]


def _direction(
    seeker: CompanyProfile, offerer: CompanyProfile, cfg: CapabilityConfig
) -> tuple[float | None, list[str]]:
    """Score of `offerer` covering what `seeker` seeks (None: nothing sought), with reasons."""
    if not seeker.seeking_capabilities:
        return None, []
    matches = [
        (*_best_offer(code, offerer.capabilities, cfg), code)
        for code in sorted(seeker.seeking_capabilities)
    ]
    values = [value for value, _, _ in matches]
    score = (1 - cfg.breadth_weight) * max(values) + cfg.breadth_weight * sum(values) / len(values)
    reasons = [
        _capability_reason(seeker.name, offerer.name, sought, offered, value, cfg)
        for value, offered, sought in sorted(matches, key=lambda m: -m[0])
        if value > 0
    ]
    return score, reasons[: cfg.max_reasons]


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
    forward, reasons = _direction(a, b, cfg)
    forward_score = cfg.unknown if forward is None else forward
    if one_way:
        return RuleResult(_clip(forward_score), tuple(reasons))
    backward, back_reasons = _direction(b, a, cfg)
    backward_score = cfg.unknown if backward is None else backward
    score = (1 - cfg.reverse_weight) * forward_score + cfg.reverse_weight * backward_score
    return RuleResult(_clip(score), tuple(reasons + back_reasons))


# --- certifications --------------------------------------------------------------


def _default_credibility() -> Mapping[str, float]:
    return MappingProxyType(
        {
            "iso_9001": 0.15,
            "aqap_2110": 0.25,
            "aqap_2310": 0.2,
            "en_9100": 0.15,
            "iso_27001": 0.1,
            "facility_security_clearance": 0.1,
            "ncage": 0.1,
            "nato_stock_number": 0.05,
            "ua_mod_codification": 0.15,
            "combat_proven": 0.2,
        }
    )


@dataclass(frozen=True)
class CertificationConfig:
    required_share: float = 0.8  # weight of "holds what A asks for" vs general credibility
    credibility_base: float = 0.2  # credibility of a firm holding no valid certificate
    # Credibility each valid scheme adds (capped at 1.0): NATO quality and battle proof weigh most.
    credibility_points: Mapping[str, float] = field(default_factory=_default_credibility)
    # Schemes worth naming in reasons even when A did not ask for them.
    highlighted: frozenset[str] = frozenset(
        {
            "aqap_2110",
            "aqap_2310",
            "en_9100",
            "facility_security_clearance",
            "ua_mod_codification",
            "combat_proven",
        }
    )


def _scheme_label(code: str) -> str:
    scheme = CERTIFICATION_SCHEMES.get(code)
    return scheme.label if scheme else code


def certification_fit(
    a: CompanyProfile, b: CompanyProfile, today: date, cfg: CertificationConfig
) -> RuleResult:
    """Certificates A asks partners to hold that B holds valid today; an expired one
    counts as missing and is reported. When A asks for nothing, B's general
    credibility (valid quality, security and battle-proof certificates) is scored."""
    valid = {c.scheme: c for c in b.certifications if c.is_valid_on(today)}
    points = sum(cfg.credibility_points.get(scheme, 0.0) for scheme in valid)
    credibility = min(1.0, cfg.credibility_base + points)
    wanted = a.partner_certifications
    score = credibility
    if wanted:
        coverage = len(wanted & valid.keys()) / len(wanted)
        score = cfg.required_share * coverage + (1 - cfg.required_share) * credibility
    reasons = [
        f"{b.name} holds {_scheme_label(s)}"
        + (f" valid to {c.valid_until.isoformat()}" if c.valid_until else "")
        for s, c in sorted(valid.items())
        if s in wanted or s in cfg.highlighted
    ]
    warnings = [
        f"{b.name}'s {_scheme_label(c.scheme)} expired {c.valid_until.isoformat()}"
        for c in b.certifications
        if c.valid_until is not None and c.scheme not in valid and c.valid_until < today
    ]
    warnings += [
        f"{b.name} does not hold {_scheme_label(s)}, which {a.name} asks partners to hold"
        for s in sorted(wanted - valid.keys())
        if not any(c.scheme == s for c in b.certifications)
    ]
    return RuleResult(_clip(score), tuple(reasons), tuple(warnings))


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
    return _clip((cosine - cfg.floor) / (cfg.ceiling - cfg.floor))


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
    forward = cfg.unknown if inputs.seek_offer is None else calibrate(inputs.seek_offer, cfg)
    reasons, warnings = [], []
    if forward >= cfg.reason_above:
        reasons.append(f"What {a.name} seeks matches what {b.name} offers ({forward:.0%})")
    if one_way:
        return RuleResult(forward, tuple(reasons))
    backward = cfg.unknown if inputs.offer_seek is None else calibrate(inputs.offer_seek, cfg)
    if backward >= cfg.reason_above:
        reasons.append(f"What {b.name} seeks matches what {a.name} offers ({backward:.0%})")
    if forward >= cfg.reason_above and backward < cfg.weak_below:
        warnings.append(f"One-sided fit: what {b.name} seeks is not what {a.name} offers")
    low, high = min(forward, backward), max(forward, backward)
    score = (1 - cfg.one_sided_credit) * low + cfg.one_sided_credit * (low + high) / 2
    return RuleResult(_clip(score), tuple(reasons), tuple(warnings))


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))
