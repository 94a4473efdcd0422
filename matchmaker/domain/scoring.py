"""Score one pair (A asking, B candidate): four components, reasons and warnings.

Components, each in [0, 1] and absolute (never normalised per query, so scores
compare across queries):

- semantic: two-sided text fit. Raw cosines c1 = cos(A.seek, B.offer) and
  c2 = cos(B.seek, A.offer) are calibrated, s = clip((c - floor) / (ceiling - floor)),
  then combined by a soft minimum (1 - k) * min(s1, s2) + k * mean(s1, s2), so a
  one-sided fit ranks below a mutual one.
- capability: per sought code, exact 1.0 > same area 0.5 > complementary pair
  0.4 > none 0; a direction is 0.6 * best + 0.4 * mean over the sought codes;
  forward (A seeks, B offers) weighted 0.65, reverse 0.35.
- certification: share of the schemes A asks for that B holds valid (0.8) plus
  B's credibility (0.2); credibility alone when A asks for nothing.
- regulatory: pathway fit and SAFE/EDIP eligibility, less export-control, ITAR
  and clearance-gap penalties.

    score = sum(w_i * component_i) / sum(w_i)     (rounded to 4 decimals)

with default weights semantic 0.40, capability 0.30, regulatory 0.20,
certification 0.10. Without text (a structured ad-hoc request) the semantic
component takes the neutral prior `SemanticConfig.unknown` (0.3), as any
direction without text does: leaving it out would inflate rule-only scores and
make them incomparable with text queries. A perfect 1.0 needs every component
perfect in both directions: rare by design.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from matchmaker.domain.certification import CertificationConfig, certification_fit
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.ranking import SCORE_DECIMALS, blend
from matchmaker.domain.regulatory import RegulatoryConfig, regulatory_fit
from matchmaker.domain.rules import (
    CapabilityConfig,
    RuleResult,
    SemanticConfig,
    SemanticInputs,
    capability_fit,
    semantic_fit,
)

COMPONENTS = ("semantic", "capability", "certification", "regulatory")


@dataclass(frozen=True)
class ComponentWeights:
    semantic: float = 0.40  # what firms write is the richest signal
    capability: float = 0.30  # structured taxonomy fit, both ways
    certification: float = 0.10  # partner requirements and credibility
    regulatory: float = 0.20  # pathways, SAFE/EDIP, export control, clearances

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in COMPONENTS}


@dataclass(frozen=True)
class ScoringConfig:
    """Every weight and threshold of matching, with its documented default."""

    weights: ComponentWeights = field(default_factory=ComponentWeights)
    semantic: SemanticConfig = field(default_factory=SemanticConfig)
    capability: CapabilityConfig = field(default_factory=CapabilityConfig)
    certification: CertificationConfig = field(default_factory=CertificationConfig)
    regulatory: RegulatoryConfig = field(default_factory=RegulatoryConfig)
    # Approximate (HNSW) indexes only: how many firms each vector search and the
    # structured rules shortlist for scoring. Exact indexes score every firm.
    candidate_pool: int = 100
    max_limit: int = 100  # largest number of suggestions one request may ask for


@dataclass(frozen=True)
class PairScore:
    score: float
    components: dict[str, float]
    reasons: list[str]
    warnings: list[str]


def score_pair(
    a: CompanyProfile,
    b: CompanyProfile,
    semantic_inputs: SemanticInputs | None,
    today: date,
    config: ScoringConfig,
    *,
    one_way: bool = False,
) -> PairScore:
    """Score B as a partner for A. `semantic_inputs` None: no text to compare (neutral);
    `one_way`: A is an ad-hoc request that offers nothing, so only A's needs count."""
    capability = capability_fit(a, b, config.capability, one_way=one_way)
    certification = certification_fit(a, b, today, config.certification)
    regulatory = regulatory_fit(a, b, config.regulatory)
    semantic = (
        RuleResult(config.semantic.unknown)
        if semantic_inputs is None
        else semantic_fit(a, b, semantic_inputs, config.semantic, one_way=one_way)
    )
    components = {
        "semantic": semantic.score,
        "capability": capability.score,
        "certification": certification.score,
        "regulatory": regulatory.score,
    }
    ordered = (capability, semantic, regulatory, certification)
    return PairScore(
        score=blend(components, config.weights.as_dict()),
        components={name: round(value, SCORE_DECIMALS) for name, value in components.items()},
        reasons=[reason for result in ordered for reason in result.reasons],
        warnings=[warning for result in ordered for warning in result.warnings],
    )
