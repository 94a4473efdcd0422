"""Certification rules: what A asks a partner to hold, and B's general credibility.

Same shape as `rules.py`: a numeric core (`valid_schemes`, `certification_score`,
mirrored over all candidates by `batch_scoring`) and the explained rule
(`certification_fit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from matchmaker.domain.profile import Certificate, CompanyProfile
from matchmaker.domain.rules import RuleResult, clip
from matchmaker.domain.taxonomy import CERTIFICATION_SCHEMES


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


def valid_schemes(certificates: Iterable[Certificate], today: date) -> tuple[str, ...]:
    """Schemes held with at least one certificate valid on `today` (sorted, distinct)."""
    return tuple(sorted({c.scheme for c in certificates if c.is_valid_on(today)}))


def certification_score(
    wanted: frozenset[str], valid: tuple[str, ...], cfg: CertificationConfig
) -> float:
    """Coverage of what A asks for (0.8) plus credibility (0.2); credibility alone otherwise."""
    points = sum(cfg.credibility_points.get(scheme, 0.0) for scheme in valid)
    credibility = min(1.0, cfg.credibility_base + points)
    if not wanted:
        return clip(credibility)
    coverage = len(wanted.intersection(valid)) / len(wanted)
    return clip(cfg.required_share * coverage + (1 - cfg.required_share) * credibility)


def _scheme_label(code: str) -> str:
    scheme = CERTIFICATION_SCHEMES.get(code)
    return scheme.label if scheme else code


def certification_fit(
    a: CompanyProfile, b: CompanyProfile, today: date, cfg: CertificationConfig
) -> RuleResult:
    """Certificates A asks partners to hold that B holds valid today; an expired one
    counts as missing and is reported. When A asks for nothing, B's general
    credibility (valid quality, security and battle-proof certificates) is scored."""
    valid = valid_schemes(b.certifications, today)
    wanted = a.partner_certifications
    latest = {c.scheme: c for c in sorted(b.certifications, key=_expiry) if c.is_valid_on(today)}
    reasons = [
        f"{b.name} holds {_scheme_label(s)}"
        + (f" valid to {c.valid_until.isoformat()}" if c.valid_until else "")
        for s, c in sorted(latest.items())
        if s in wanted or s in cfg.highlighted
    ]
    warnings = [
        f"{b.name}'s {_scheme_label(c.scheme)} expired {c.valid_until.isoformat()}"
        for c in b.certifications
        if c.valid_until is not None and c.scheme not in valid and c.valid_until < today
    ]
    warnings += [
        f"{b.name} does not hold {_scheme_label(s)}, which {a.name} asks partners to hold"
        for s in sorted(wanted.difference(valid))
        if not any(c.scheme == s for c in b.certifications)
    ]
    return RuleResult(certification_score(wanted, valid, cfg), tuple(reasons), tuple(warnings))


def _expiry(certificate: Certificate) -> date:
    # Never-expiring certificates sort last, so the dict keeps the longest validity.
    return certificate.valid_until or date.max
