"""What scoring needs from a profile, derived once so a candidate costs set look-ups.

The matcher keeps these per held company (dropped on upsert and remove) and
derives them for the asking company once per request. `scoring.quick_score` runs
on them; `scoring.score_pair` runs the explained rules on the profiles. Both go
through the same numeric rule cores, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from matchmaker.domain.profile import Certificate, CompanyProfile
from matchmaker.domain.regulatory import (
    RegulatoryConfig,
    candidate_penalty,
    clearance_rank,
    safe_eligibility,
)
from matchmaker.domain.rules import offered_areas


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    sought: tuple[str, ...]  # seeking capabilities, sorted
    offered: frozenset[str]
    areas: frozenset[str]  # areas of the offered capabilities
    pathways: frozenset[str]
    certificates: tuple[Certificate, ...]  # validity depends on the day asked
    wanted: frozenset[str]  # schemes wanted from a partner
    holds: int  # security clearance rank
    requires: int  # clearance rank required of a partner
    safe: float  # SAFE/EDIP eligibility score as a candidate
    penalty: float  # export-licence and ITAR penalties as a candidate


def profile_facts(profile: CompanyProfile, cfg: RegulatoryConfig) -> ProfileFacts:
    """Derive a profile's scoring facts under a regulatory configuration."""
    compliance = profile.compliance
    return ProfileFacts(
        sought=tuple(sorted(profile.seeking_capabilities)),
        offered=profile.capabilities,
        areas=offered_areas(profile.capabilities),
        pathways=profile.pathways,
        certificates=profile.certifications,
        wanted=profile.partner_certifications,
        holds=clearance_rank(compliance.security_clearance),
        requires=clearance_rank(compliance.required_clearance),
        safe=safe_eligibility(profile, cfg).score,
        penalty=candidate_penalty(profile, cfg),
    )
