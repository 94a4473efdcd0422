"""Score every candidate B of a side for one asker A at once, with numpy.

The same formulas as the explained rules (`scoring.score_pair`, see its module
docstring), evaluated over the columns of a `SideTable` instead of one pair at a
time: one pass costs a few dozen array operations whatever the number of
candidates, so the matcher can score *every* firm of the other side instead of
a cosine shortlist. The explained rules then run only for the suggestions
returned, on the same cosines; a test checks that both give the same score for
every pair of the demo registry.

Scores come back unrounded (float64); `top_rows` ranks them as they are shown,
rounded to `SCORE_DECIMALS`, ties by lower company id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matchmaker.domain.certification import CertificationConfig
from matchmaker.domain.embedding import has_offer_text, has_seek_text
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.ranking import SCORE_DECIMALS
from matchmaker.domain.regulatory import RegulatoryConfig, clearance_rank, compatible_pairs
from matchmaker.domain.rules import CapabilityConfig, SemanticConfig, match_value, offered_areas
from matchmaker.domain.scoring import ScoringConfig
from matchmaker.domain.side_table import (
    CAPABILITY_BITS,
    PATHWAY_BITS,
    SideTable,
    complement_mask,
)
from matchmaker.domain.taxonomy import capability_area


@dataclass(frozen=True)
class Asker:
    """What the rules need from company A (or an ad-hoc request), encoded as masks."""

    id: int
    sought: tuple[str, ...]  # capability codes A seeks, sorted
    # (value, mask): codes a candidate may seek that A's offer covers at that value, best first
    coverage_levels: tuple[tuple[float, int], ...]
    pathways: int
    compatible_pathways: int  # pathways that fit one of A's without being the same
    wanted: tuple[str, ...]  # schemes A asks partners to hold
    holds: int  # clearance rank A holds
    requires: int  # clearance rank A requires of a partner
    offers_text: bool
    seeks_text: bool


def asker_facts(a: CompanyProfile, config: ScoringConfig) -> Asker:
    """Encode A once per request (a few dozen set look-ups)."""
    levels: dict[float, int] = {}
    areas = offered_areas(a.capabilities)
    for code in CAPABILITY_BITS.codes():
        value = match_value(code, a.capabilities, areas, config.capability)
        if value > 0:
            levels[value] = levels.get(value, 0) | CAPABILITY_BITS.bit(code)
    compatible = 0
    for mine, theirs in compatible_pairs(config.regulatory):
        if mine in a.pathways:
            compatible |= PATHWAY_BITS.bit(theirs)
    compliance = a.compliance
    return Asker(
        id=a.id,
        sought=tuple(sorted(a.seeking_capabilities)),
        coverage_levels=tuple(sorted(levels.items(), reverse=True)),
        pathways=PATHWAY_BITS.mask(a.pathways),
        compatible_pathways=compatible,
        wanted=tuple(sorted(a.partner_certifications)),
        holds=clearance_rank(compliance.security_clearance),
        requires=clearance_rank(compliance.required_clearance),
        offers_text=has_offer_text(a),
        seeks_text=has_seek_text(a),
    )


class _Rows:
    """The columns of the rows being scored (all rows, or a chosen subset)."""

    def __init__(self, table: SideTable, rows: np.ndarray | None) -> None:
        self._table, self._rows = table, rows
        self.count = len(table) if rows is None else len(rows)

    def __getattr__(self, name: str) -> np.ndarray:
        column = self._table.column(name)
        if self._rows is not None:
            column = column[self._rows]
        self.__dict__[name] = column  # gathered once per request, not once per rule
        return column

    def expiry(self, scheme: str) -> np.ndarray | None:
        column = self._table.expiry(scheme)
        if column is None or self._rows is None:
            return column
        return column[self._rows]

    def schemes(self) -> list[str]:
        return self._table.schemes()


def score_rows(
    a: Asker,
    table: SideTable,
    rows: np.ndarray | None,
    seek_offer: np.ndarray | None,
    offer_seek: np.ndarray | None,
    today: date,
    config: ScoringConfig,
    *,
    one_way: bool = False,
) -> np.ndarray:
    """Unrounded blended score of each row (all rows when `rows` is None).

    `seek_offer[i]` = cos(A.seek, B_i.offer) and `offer_seek[i]` = cos(B_i.seek,
    A.offer), aligned with the rows; None when A has no such text (neutral).
    `one_way`: A is an ad-hoc request that offers nothing.
    """
    b = _Rows(table, rows)
    components = {
        "semantic": _semantic(b, seek_offer, offer_seek, config.semantic, one_way),
        "capability": _capability(a, b, config.capability, one_way),
        "certification": _certification(a, b, today, config.certification),
        "regulatory": _regulatory(a, b, config.regulatory),
    }
    weights = config.weights.as_dict()
    used = [(weights[name], value) for name, value in components.items() if weights[name] > 0]
    total = sum(weight for weight, _ in used)
    if total <= 0:
        return np.zeros(b.count)
    blended = np.zeros(b.count)
    for weight, value in used:
        blended = blended + weight * value
    return blended / total


def top_rows(scores: np.ndarray, ids: np.ndarray, limit: int, min_score: float) -> np.ndarray:
    """Positions of the best `limit` scores of at least `min_score`, best first, ranked as
    shown (rounded), ties by lower id. Rows to skip carry -inf."""
    shown = np.round(scores, SCORE_DECIMALS)
    eligible = np.flatnonzero(shown >= min_score)
    if len(eligible) > limit:
        cut = len(eligible) - limit
        kth = np.partition(shown[eligible], cut)[cut]
        eligible = eligible[shown[eligible] >= kth]
    order = np.lexsort((ids[eligible], -shown[eligible]))
    return eligible[order[:limit]]


# --- components (each mirrors the numeric core of its explained rule) -------------


def _clip(values: np.ndarray) -> np.ndarray:
    return np.clip(values, 0.0, 1.0)


def _calibrated(
    cosines: np.ndarray | None, has_text: np.ndarray, cfg: SemanticConfig
) -> np.ndarray:
    if cosines is None:
        return np.full(len(has_text), cfg.unknown)
    fit = _clip((cosines.astype(np.float64) - cfg.floor) / (cfg.ceiling - cfg.floor))
    return np.where(has_text, fit, cfg.unknown)


def _semantic(
    b: _Rows,
    seek_offer: np.ndarray | None,
    offer_seek: np.ndarray | None,
    cfg: SemanticConfig,
    one_way: bool,
) -> np.ndarray:
    """rules.semantic_score: soft minimum of both calibrated directions."""
    forward = _calibrated(seek_offer, b.has_offer, cfg)
    if one_way:
        return forward
    backward = _calibrated(offer_seek, b.has_seek, cfg)
    low, high = np.minimum(forward, backward), np.maximum(forward, backward)
    return _clip((1 - cfg.one_sided_credit) * low + cfg.one_sided_credit * (low + high) / 2)


def _coverage(code: str, b: _Rows, cfg: CapabilityConfig) -> np.ndarray:
    """rules.match_value of one sought code against every candidate's offer."""
    area = capability_area(code)
    in_area = (b.areas & np.uint64(CAPABILITY_BITS.bit(area))) != 0
    if code == area:
        return np.where(in_area, cfg.exact, 0.0)
    value = np.where(in_area, cfg.same_area, 0.0)
    complements = complement_mask(code)
    if complements:
        pairs = (b.offered & np.uint64(complements)) != 0
        value = np.where(pairs & (value < cfg.complementary), cfg.complementary, value)
    exact = (b.offered & np.uint64(CAPABILITY_BITS.bit(code))) != 0
    return np.where(exact, cfg.exact, value)


def _capability(a: Asker, b: _Rows, cfg: CapabilityConfig, one_way: bool) -> np.ndarray:
    """rules.capability_fit: what A seeks that B offers, blended with the reverse."""
    if a.sought:
        best, total = np.zeros(b.count), np.zeros(b.count)
        for code in a.sought:
            value = _coverage(code, b, cfg)
            best, total = np.maximum(best, value), total + value
        ahead = (1 - cfg.breadth_weight) * best + cfg.breadth_weight * total / len(a.sought)
    else:
        ahead = np.full(b.count, cfg.unknown)
    if one_way:
        return _clip(ahead)
    best, total = np.zeros(b.count), np.zeros(b.count)
    sought = b.sought
    for level, mask in a.coverage_levels:  # best level first: the first hit is the max
        hits = sought & np.uint64(mask)
        best = np.where((best == 0) & (hits != 0), level, best)
        total = total + level * np.bitwise_count(hits)
    count = b.sought_count
    with np.errstate(divide="ignore", invalid="ignore"):
        covered = (1 - cfg.breadth_weight) * best + cfg.breadth_weight * total / count
    behind = np.where(count > 0, covered, cfg.unknown)
    return _clip((1 - cfg.reverse_weight) * ahead + cfg.reverse_weight * behind)


def _certification(a: Asker, b: _Rows, today: date, cfg: CertificationConfig) -> np.ndarray:
    """certification.certification_score: coverage of A's wanted schemes + credibility."""
    day = today.toordinal()
    points = np.zeros(b.count)
    for scheme in b.schemes():
        bonus = cfg.credibility_points.get(scheme, 0.0)
        expiry = b.expiry(scheme)
        if bonus and expiry is not None:
            points = points + bonus * (expiry >= day)
    credibility = np.minimum(1.0, cfg.credibility_base + points)
    if not a.wanted:
        return _clip(credibility)
    covered = np.zeros(b.count)
    for scheme in a.wanted:
        expiry = b.expiry(scheme)
        if expiry is not None:
            covered = covered + (expiry >= day)  # NOT_HELD (0) is before every day
    coverage = covered / len(a.wanted)
    return _clip(cfg.required_share * coverage + (1 - cfg.required_share) * credibility)


def _regulatory(a: Asker, b: _Rows, cfg: RegulatoryConfig) -> np.ndarray:
    """regulatory.regulatory_fit: pathway fit and SAFE/EDIP, less frictions."""
    theirs = b.pathways
    if a.pathways:
        shared = (theirs & np.uint64(a.pathways)) != 0
        compatible = (theirs & np.uint64(a.compatible_pathways)) != 0
        pathway = np.where(
            theirs == 0,
            cfg.unknown_pathway,
            np.where(
                shared,
                cfg.shared_pathway,
                np.where(compatible, cfg.compatible_pathway, cfg.no_common_pathway),
            ),
        )
    else:
        pathway = np.full(b.count, cfg.unknown_pathway)
    gaps = (b.holds < a.requires).astype(np.int64) + (a.holds < b.requires)
    penalty = b.penalty + cfg.clearance_gap_penalty * gaps
    base = cfg.pathway_weight * pathway + (1 - cfg.pathway_weight) * b.safe
    return _clip(base - penalty)
