"""Certification fit: the schemes A asks partners to hold that B holds valid, and B's
general credibility.

    score = required_share * (wanted schemes B holds valid / wanted)
            + (1 - required_share) * credibility
    credibility = min(1, base + sum of the points of each scheme B holds valid)

When A asks for no scheme the component does not apply (NaN): otherwise a profile
that lists many certificates would outrank a more relevant one that lists none, and
completeness would beat relevance. Certificates are still named in the reasons. A
certificate counts on the days up to its validity end; an expired one counts as
missing and is warned about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

import numpy as np

from matchmaker.domain.codes import SCHEME_BITS
from matchmaker.domain.components.base import (
    N_,
    Column,
    Explained,
    PairInputs,
    Rows,
    RuleDoc,
    ScoreInputs,
    clip,
)
from matchmaker.domain.explanations import explain
from matchmaker.domain.profile import Certificate, CompanyProfile, lapsed_certificates
from matchmaker.domain.taxonomy import CERTIFICATION_SCHEMES

NOT_HELD = 0  # expiry column value of a scheme the firm holds no certificate of
NEVER_EXPIRES = date.max.toordinal()


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


# One column per scheme of the taxonomy: the latest expiry day (ordinal) of B's
# certificates of it, NOT_HELD when B holds none. A scheme retired from the taxonomy
# no longer scores.
EXPIRY = {
    scheme: Column(f"certification.expiry.{scheme}", np.int32, f"latest expiry of {scheme}")
    for scheme in CERTIFICATION_SCHEMES
}


def latest_expiry(profile: CompanyProfile) -> dict[str, int]:
    latest: dict[str, int] = {}
    for certificate in profile.certifications:
        until = certificate.valid_until
        day = NEVER_EXPIRES if until is None else until.toordinal()
        latest[certificate.scheme] = max(day, latest.get(certificate.scheme, NOT_HELD))
    return latest


def holders(rows: Rows, schemes: Sequence[str]) -> np.ndarray:
    """Rows holding a certificate (valid or not) of any of `schemes`."""
    held = np.zeros(rows.count, dtype=bool)
    for scheme in schemes:
        if scheme in EXPIRY:
            held |= rows[EXPIRY[scheme]] != NOT_HELD
    return held


@dataclass(frozen=True)
class AskerCertification:
    wanted: np.uint64  # schemes A asks partners to hold (`SCHEME_BITS`)
    wanted_count: int


class Certification:
    """Certificates A asks partners to hold that B holds valid today, with B's general
    credibility (valid quality, security and battle-proof certificates); an expired one
    counts as missing and is reported. Applies only when A asks for a scheme."""

    name = "certification"
    label = N_("Certificates")
    default_weight = 0.122  # fitted on the real set: see FITTED_ON in components/__init__.py
    config_type = CertificationConfig
    columns = tuple(EXPIRY.values())
    compares_text = False
    cosines: frozenset[str] = frozenset()

    def facts(self, b: CompanyProfile, cfg: CertificationConfig) -> Mapping[str, Any]:
        latest = latest_expiry(b)
        return {column.name: latest.get(s, NOT_HELD) for s, column in EXPIRY.items()}

    def encode(self, a: CompanyProfile, cfg: CertificationConfig) -> AskerCertification:
        wanted = a.partner_certifications
        return AskerCertification(np.uint64(SCHEME_BITS.mask(wanted)), len(wanted))

    def score(
        self, part: AskerCertification, rows: Rows, inputs: ScoreInputs, cfg: CertificationConfig
    ) -> np.ndarray:
        day = inputs.day.toordinal()
        valid, credibility = rows.cached(
            ("certification", day, id(cfg)), lambda table: _certified(table, day, cfg)
        )
        if not part.wanted_count:
            return rows.full(np.nan)
        credibility = rows.pick(credibility).astype(rows.dtype)
        held = np.bitwise_count(rows.pick(valid) & part.wanted).astype(rows.dtype)
        held *= cfg.required_share / part.wanted_count
        held += (1 - cfg.required_share) * credibility
        return clip(held)

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: CertificationConfig
    ) -> Explained:
        today, wanted = inputs.day, a.partner_certifications
        valid = {c.scheme for c in b.certifications if c.is_valid_on(today)}
        latest = {
            c.scheme: c for c in sorted(b.certifications, key=_expiry) if c.is_valid_on(today)
        }
        reasons = tuple(
            explain("cert_held_until", firm=b.name, scheme=s, date=c.valid_until.isoformat())
            if c.valid_until
            else explain("cert_held", firm=b.name, scheme=s)
            for s, c in sorted(latest.items())
            if s in wanted or s in cfg.highlighted
        )
        warnings = [
            explain("cert_expired", firm=b.name, scheme=c.scheme, date=c.valid_until.isoformat())
            for c in lapsed_certificates(b.certifications, today)
            if c.valid_until is not None
        ]
        warnings += [
            explain("cert_missing", firm=b.name, scheme=s, asker=a.name)
            for s in sorted(wanted.difference(valid))
            if not any(c.scheme == s for c in b.certifications)
        ]
        return Explained(reasons, tuple(warnings))

    def rules(self, cfg: CertificationConfig) -> Sequence[RuleDoc]:
        return (
            RuleDoc(
                "required_schemes",
                "Share of the schemes A asks partners to hold that B holds with a "
                "certificate valid today.",
                {"required_share": cfg.required_share},
            ),
            RuleDoc(
                "credibility",
                "Base value plus points per scheme B holds valid, capped at 1; the "
                "component applies only when A asks for a scheme.",
                {
                    "credibility_base": cfg.credibility_base,
                    "credibility_points": dict(cfg.credibility_points),
                },
            ),
        )


def _certified(table: Any, day: int, cfg: CertificationConfig) -> tuple[np.ndarray, np.ndarray]:
    """Per row: bits of the schemes held valid on `day`, and the credibility score."""
    size = len(table)
    valid = np.zeros(size, dtype=np.uint64)
    points = np.zeros(size, dtype=np.float64)
    for scheme, column in sorted(EXPIRY.items()):
        held = table.column(column.name) >= day
        valid |= held.astype(np.uint64) << np.uint64(SCHEME_BITS.position(scheme))
        points += cfg.credibility_points.get(scheme, 0.0) * held
    return valid, np.minimum(1.0, cfg.credibility_base + points)


def _expiry(certificate: Certificate) -> date:
    # Never-expiring certificates sort last, so the dict keeps the longest validity.
    return certificate.valid_until or date.max


CERTIFICATION = Certification()
