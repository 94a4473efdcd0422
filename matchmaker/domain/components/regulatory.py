"""Regulatory fit: cooperation pathways and SAFE/EDIP eligibility, less frictions.

    score = clip(pathway_weight * pathway + (1 - pathway_weight) * safe - penalties)

where the penalties are for export licences, ITAR content and each direction of a
security-clearance gap. The part that depends on B alone (SAFE and B's penalties)
is stored per firm; the pathway term and the clearance gaps are A's. Explanations
never carry B's exact confidential figures (component share), only whether a
threshold is met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from matchmaker.domain.codes import PATHWAY_BITS
from matchmaker.domain.components.base import (
    N_,
    Column,
    Explained,
    PairInputs,
    Rows,
    RuleDoc,
    ScoreInputs,
    clip,
    has_bits,
)
from matchmaker.domain.explanations import Explanation, explain
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import (
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
CLEARANCE_LEVELS = len(SECURITY_CLEARANCE_LEVELS)


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


PATHWAYS = Column("regulatory.pathways", np.uint64, "mask of the pathways named")
NO_PATHWAYS = Column("regulatory.no_pathways", np.float32, "1.0 when no pathway is named")
CLEARANCE = Column(
    "regulatory.clearance", np.int64, "held * CLEARANCE_LEVELS + required, for one lookup"
)
BASE = Column(
    "regulatory.base",
    np.float32,
    "(1 - pathway_weight) * SAFE eligibility - export-licence and ITAR penalties",
)


@lru_cache(maxsize=8)
def _compatible(pairs: tuple[tuple[str, str], ...]) -> frozenset[tuple[str, str]]:
    return frozenset(pairs) | frozenset((y, x) for x, y in pairs)


def compatible_pairs(cfg: RegulatoryConfig) -> frozenset[tuple[str, str]]:
    """The configured compatible pathway pairs, read both ways."""
    return _compatible(cfg.compatible_pathways)


def clearance_rank(level: str) -> int:
    """Position in SECURITY_CLEARANCE_LEVELS; an unknown level counts as none."""
    return SECURITY_CLEARANCE_LEVELS.index(level) if level in SECURITY_CLEARANCE_LEVELS else 0


def safe_eligibility(b: CompanyProfile, cfg: RegulatoryConfig) -> tuple[float, Explanation, bool]:
    """SAFE / EDIP: established and controlled in the EU, EEA-EFTA or Ukraine, and at most
    35 % of component cost from outside them (Reg. 2025/1106 Art. 16(10)). A SAFE partner
    country such as the UK takes part only under further conditions.

    Returns (score, explanation, whether the explanation is a reason, not a warning)."""
    open_to = SAFE_ELIGIBLE_COUNTRIES | SAFE_PARTNER_COUNTRIES
    control = b.compliance.controlling_country or b.country
    share = b.compliance.non_eligible_component_share
    limit = cfg.max_non_eligible_share
    if b.country not in open_to:
        return (
            cfg.safe_ineligible,
            explain("safe_not_established", firm=b.name, country=b.country),
            False,
        )
    if control not in open_to:
        return (
            cfg.safe_ineligible,
            explain("safe_foreign_control", firm=b.name, country=control),
            False,
        )
    if share is not None and share > limit:
        return cfg.safe_ineligible, explain("safe_component_share", firm=b.name, limit=limit), False
    partner = sorted({b.country, control} & SAFE_PARTNER_COUNTRIES)
    if partner:
        return (
            cfg.safe_conditional,
            explain("safe_conditional", firm=b.name, country=partner[0]),
            False,
        )
    if share is None:
        return cfg.safe_unknown, explain("safe_undeclared", firm=b.name, limit=limit), False
    return (
        cfg.safe_eligible,
        explain("safe_eligible", firm=b.name, country=b.country, limit=limit),
        True,
    )


def candidate_penalty(b: CompanyProfile, cfg: RegulatoryConfig) -> float:
    """Penalties that depend on B alone: export licence and ITAR content."""
    licence = cfg.export_licence_penalty if b.compliance.export_control else 0.0
    return licence + (cfg.itar_penalty if b.compliance.itar_controlled else 0.0)


@dataclass(frozen=True)
class AskerRegulatory:
    pathways: np.uint64
    compatible: np.uint64  # pathways that fit one of A's without being the same
    # Penalty of the clearance gaps with a candidate, by its `CLEARANCE` value.
    clearance_penalty: np.ndarray


class Regulatory:
    """Pathway fit and SAFE/EDIP eligibility, less penalties for export licences, ITAR
    content and security-clearance gaps."""

    name = "regulatory"
    label = N_("Regulatory fit")
    default_weight = 0.084  # fitted on the real set: see FITTED_ON in components/__init__.py
    config_type = RegulatoryConfig
    columns = (PATHWAYS, NO_PATHWAYS, CLEARANCE, BASE)
    compares_text = False
    cosines: frozenset[str] = frozenset()

    def facts(self, b: CompanyProfile, cfg: RegulatoryConfig) -> Mapping[str, Any]:
        compliance = b.compliance
        safe = safe_eligibility(b, cfg)[0]
        return {
            PATHWAYS.name: PATHWAY_BITS.mask(b.pathways),
            NO_PATHWAYS.name: float(not b.pathways),
            CLEARANCE.name: clearance_rank(compliance.security_clearance) * CLEARANCE_LEVELS
            + clearance_rank(compliance.required_clearance),
            BASE.name: (1 - cfg.pathway_weight) * safe - candidate_penalty(b, cfg),
        }

    def encode(self, a: CompanyProfile, cfg: RegulatoryConfig) -> AskerRegulatory:
        compatible = 0
        for mine, theirs in compatible_pairs(cfg):
            if mine in a.pathways:
                compatible |= PATHWAY_BITS.bit(theirs)
        holds = clearance_rank(a.compliance.security_clearance)
        requires = clearance_rank(a.compliance.required_clearance)
        penalty = np.array(
            [
                cfg.clearance_gap_penalty * (int(held < requires) + int(holds < required))
                for held in range(CLEARANCE_LEVELS)
                for required in range(CLEARANCE_LEVELS)
            ],
            dtype=np.float64,
        )
        return AskerRegulatory(
            np.uint64(PATHWAY_BITS.mask(a.pathways)), np.uint64(compatible), penalty
        )

    def score(
        self, part: AskerRegulatory, rows: Rows, inputs: ScoreInputs, cfg: RegulatoryConfig
    ) -> np.ndarray:
        if part.pathways:
            # none + (compatible - none) * compatible-only + (shared - none) * shared, and
            # the neutral value where B named no pathway (then neither term applies).
            named = rows[PATHWAYS]
            shared = has_bits(named, part.pathways, rows.dtype)
            compatible = has_bits(named, part.compatible, rows.dtype)
            compatible *= 1 - shared
            compatible *= cfg.compatible_pathway - cfg.no_common_pathway
            shared *= cfg.shared_pathway - cfg.no_common_pathway
            pathway = compatible + shared
            pathway += cfg.no_common_pathway
            pathway += (cfg.unknown_pathway - cfg.no_common_pathway) * rows[NO_PATHWAYS]
        else:
            pathway = rows.full(cfg.unknown_pathway)
        pathway *= cfg.pathway_weight
        pathway += rows[BASE]
        pathway -= part.clearance_penalty.astype(rows.dtype)[rows[CLEARANCE]]
        return clip(pathway)

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: RegulatoryConfig
    ) -> Explained:
        reasons, warnings = _pathways(a, b, cfg)
        _, safe, is_reason = safe_eligibility(b, cfg)
        (reasons if is_reason else warnings).append(safe)
        categories = sorted(b.compliance.export_control, key=_category_order)
        if categories:
            warnings.append(explain("export_licence", firm=b.name, categories=categories))
        if b.compliance.itar_controlled:
            warnings.append(explain("itar_content", firm=b.name))
        warnings += _clearance_gaps(a, b)
        return Explained(tuple(reasons), tuple(warnings))

    def rules(self, cfg: RegulatoryConfig) -> Sequence[RuleDoc]:
        return (
            RuleDoc(
                "pathway_fit",
                "A shared cooperation pathway fits best; a known compatible "
                "pair (e.g. licensing and a joint venture on EU soil) fits well; no pathway "
                "in common fits poorly; neutral when either side named none.",
                {
                    "weight": cfg.pathway_weight,
                    "shared": cfg.shared_pathway,
                    "compatible": cfg.compatible_pathway,
                    "unknown": cfg.unknown_pathway,
                    "none": cfg.no_common_pathway,
                },
            ),
            RuleDoc(
                "safe_eligibility",
                safe_eligibility.__doc__.split("\n\n")[0] if safe_eligibility.__doc__ else "",
                {
                    "max_non_eligible_share": cfg.max_non_eligible_share,
                    "eligible": cfg.safe_eligible,
                    "undeclared": cfg.safe_unknown,
                    "conditional": cfg.safe_conditional,
                    "ineligible": cfg.safe_ineligible,
                },
            ),
            RuleDoc(
                "export_licence",
                "Items on the EU Common Military List or the dual-use list need an export licence.",
                {"penalty": cfg.export_licence_penalty},
            ),
            RuleDoc(
                "itar_content",
                "US-origin ITAR-controlled content restricts re-export: "
                "every transfer needs US approval.",
                {"penalty": cfg.itar_penalty},
            ),
            RuleDoc(
                "clearance_gap",
                "Each firm's facility security clearance must reach what "
                "the other requires of a partner; each direction of a gap is a penalty.",
                {"penalty": cfg.clearance_gap_penalty},
            ),
        )


def _pathways(
    a: CompanyProfile, b: CompanyProfile, cfg: RegulatoryConfig
) -> tuple[list[Explanation], list[Explanation]]:
    shared = sorted(a.pathways & b.pathways)
    if shared or not a.pathways or not b.pathways:
        return [explain("pathway_shared", pathway=p) for p in shared], []
    known = compatible_pairs(cfg)
    pairs = sorted((x, y) for x in a.pathways for y in b.pathways if (x, y) in known)
    if pairs:
        x, y = pairs[0]
        return [
            explain("pathway_compatible", firm=a.name, pathway=x, other=b.name, other_pathway=y)
        ], []
    return [], [explain("pathway_none", firm=a.name, other=b.name)]


def _clearance_gaps(a: CompanyProfile, b: CompanyProfile) -> list[Explanation]:
    gaps = []
    for holder, needer in ((b, a), (a, b)):
        required = needer.compliance.required_clearance
        if clearance_rank(holder.compliance.security_clearance) < clearance_rank(required):
            gaps.append(
                explain("clearance_gap", holder=holder.name, needer=needer.name, level=required)
            )
    return gaps


def _category_order(code: str) -> tuple[str, int]:
    prefix, digits = code[:2], code[2:]
    return prefix, int(digits) if digits.isdigit() else 0


REGULATORY = Regulatory()
