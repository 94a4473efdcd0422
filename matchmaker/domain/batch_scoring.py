"""Score every candidate B of a side for one asker A at once, with numpy.

The same formulas as the explained rules (`scoring.score_pair`, see its module
docstring), evaluated over the columns of a `SideTable` instead of one pair at a
time: one pass costs a few dozen array operations whatever the number of
candidates, so the matcher can score *every* firm of the other side instead of
a cosine shortlist. The explained rules then run only for the suggestions
returned, on the same cosines; a test checks that both give the same score for
every pair of the demo registry.

Scores come back unrounded, in single precision (`FLOAT`); `top_rows` ranks them
as they are shown, rounded to `SCORE_DECIMALS`, ties by lower company id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

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
    CLEARANCE_LEVELS,
    PATHWAY_BITS,
    SCHEME_BITS,
    SideTable,
)
from matchmaker.domain.taxonomy import capability_area, complementary_to

# Scores are computed in single precision: half the memory traffic of float64, and its
# error (~1e-7) is far below the 4 decimals shown; the shown score comes from the
# explained rules in double precision.
FLOAT = np.float32


@dataclass(frozen=True)
class SoughtCode:
    """One capability code A seeks, as the masks its coverage is tested with."""

    exact: np.uint64  # the code itself
    area: np.uint64  # its area (tested against the candidates' area masks)
    is_area: bool  # the code is a whole area
    complements: np.uint64  # codes the taxonomy pairs with it (0: none)


@dataclass(frozen=True)
class Asker:
    """What the rules need from company A (or an ad-hoc request), encoded for lookups."""

    sought: tuple[SoughtCode, ...]  # what A seeks, in sorted code order
    # (value, mask): codes a candidate may seek that A's offer covers at that value, best first
    coverage_levels: tuple[tuple[float, np.uint64], ...]
    pathways: np.uint64
    compatible_pathways: np.uint64  # pathways that fit one of A's without being the same
    wanted: np.uint64  # schemes A asks partners to hold (`SCHEME_BITS`)
    wanted_count: int
    # Penalty of the clearance gaps with a candidate, by its `clearance` column value.
    clearance_penalty: np.ndarray
    offers_text: bool
    seeks_text: bool


@lru_cache(maxsize=1024)
def _sought_code(code: str) -> SoughtCode:
    area = capability_area(code)
    return SoughtCode(
        np.uint64(CAPABILITY_BITS.bit(code)),
        np.uint64(CAPABILITY_BITS.bit(area)),
        code == area,
        np.uint64(CAPABILITY_BITS.mask(complementary_to(code))),
    )


def asker_facts(a: CompanyProfile, config: ScoringConfig) -> Asker:
    """Encode A once per request (a few dozen set look-ups)."""
    sought = tuple(_sought_code(code) for code in sorted(a.seeking_capabilities))
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
    holds = clearance_rank(a.compliance.security_clearance)
    requires = clearance_rank(a.compliance.required_clearance)
    gap = config.regulatory.clearance_gap_penalty
    clearance_penalty = np.array(
        [
            gap * (int(theirs_held < requires) + int(holds < theirs_required))
            for theirs_held in range(CLEARANCE_LEVELS)
            for theirs_required in range(CLEARANCE_LEVELS)
        ],
        dtype=FLOAT,
    )
    return Asker(
        sought=sought,
        coverage_levels=tuple(
            (value, np.uint64(mask)) for value, mask in sorted(levels.items(), reverse=True)
        ),
        pathways=np.uint64(PATHWAY_BITS.mask(a.pathways)),
        compatible_pathways=np.uint64(compatible),
        wanted=np.uint64(SCHEME_BITS.mask(a.partner_certifications)),
        wanted_count=len(a.partner_certifications),
        clearance_penalty=clearance_penalty,
        offers_text=has_offer_text(a),
        seeks_text=has_seek_text(a),
    )


class _Rows:
    """The columns of the rows being scored (all rows, or a chosen subset)."""

    def __init__(self, table: SideTable, rows: np.ndarray | None) -> None:
        self._table, self._rows = table, rows
        self.count = len(table) if rows is None else len(rows)

    def __getattr__(self, name: str) -> np.ndarray:
        column = self._pick(self._table.column(name))
        self.__dict__[name] = column  # gathered once per request, not once per rule
        return column

    def _pick(self, column: np.ndarray) -> np.ndarray:
        return column if self._rows is None else column[self._rows]

    def certified(self, today: date) -> tuple[np.ndarray, np.ndarray]:
        valid, credibility = self._table.certified(today)
        return self._pick(valid), self._pick(credibility)


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
    weights = config.weights.as_dict()
    total = sum(weight for weight in weights.values() if weight > 0)
    blended = np.zeros(b.count, dtype=FLOAT)
    if total <= 0:
        return blended
    components = {
        "semantic": lambda: _semantic(b, seek_offer, offer_seek, config.semantic, one_way),
        "capability": lambda: _capability(a, b, config.capability, one_way),
        "certification": lambda: _certification(a, b, today, config.certification),
        "regulatory": lambda: _regulatory(a, b, config.regulatory),
    }
    for name, component in components.items():
        if weights[name] > 0:
            blended += (weights[name] / total) * component()
    return blended


def top_rows(
    scores: np.ndarray, ids: np.ndarray, limit: int, min_score: float, *, spare: int = 0
) -> np.ndarray:
    """Positions of the best `limit` scores of at least `min_score`, best first, ranked as
    shown (rounded), ties by lower id. Rows to skip carry -inf.

    `spare`: also return up to that many next rows whose shown score is within one
    rounding step of the last one kept, for a caller that settles near-ties itself.
    """
    step = 10.0**-SCORE_DECIMALS
    eligible = np.flatnonzero(scores >= min_score - step)
    if len(eligible) > limit:
        cut = len(eligible) - limit
        kth = np.partition(scores[eligible], cut)[cut]
        # Anything that may round to the same shown value as the limit-th stays in.
        eligible = eligible[scores[eligible] >= kth - 2 * step]
    shown = np.round(scores[eligible], SCORE_DECIMALS)
    eligible, shown = eligible[shown >= min_score], shown[shown >= min_score]
    order = np.lexsort((ids[eligible], -shown))
    kept = order[:limit]
    if spare and len(order) > limit:
        near = order[limit : limit + spare]
        kept = np.concatenate([kept, near[shown[near] >= shown[kept[-1]] - 1.5 * step]])
    return eligible[kept]


# --- components (each mirrors the numeric core of its explained rule) -------------


def _clip(values: np.ndarray) -> np.ndarray:
    """Clip to [0, 1] in place (np.clip costs several times more on these sizes)."""
    np.maximum(values, 0.0, out=values)
    return np.minimum(values, 1.0, out=values)


def _calibrated(
    cosines: np.ndarray | None, has_text: np.ndarray, cfg: SemanticConfig
) -> np.ndarray:
    """Calibrated cosine where B has text, the neutral value where not (or no cosines)."""
    if cosines is None:
        return np.full(len(has_text), cfg.unknown, dtype=FLOAT)
    fit = cosines.astype(FLOAT)
    fit -= cfg.floor
    fit /= cfg.ceiling - cfg.floor
    _clip(fit)
    fit -= cfg.unknown  # unknown + has_text * (fit - unknown)
    fit *= has_text
    fit += cfg.unknown
    return fit


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
    # (1 - c) * min + c * (min + max) / 2 = (1 - c / 2) * min + (c / 2) * max
    low = np.minimum(forward, backward)
    high = np.maximum(forward, backward, out=backward)
    half = cfg.one_sided_credit / 2
    low *= 1 - half
    high *= half
    low += high
    return _clip(low)


def _has(masks: np.ndarray, bits: np.uint64) -> np.ndarray:
    """1.0 where a mask shares a bit with `bits`, else 0.0."""
    return ((masks & bits) != 0).astype(FLOAT)


def _coverage(code: SoughtCode, b: _Rows, cfg: CapabilityConfig) -> np.ndarray:
    """rules.match_value of one sought code against every candidate's offer."""
    in_area = _has(b.areas, code.area)
    if code.is_area:
        in_area *= cfg.exact
        return in_area
    value = in_area * cfg.same_area
    if code.complements and cfg.complementary > 0:
        paired = _has(b.offered, code.complements)
        paired *= cfg.complementary
        np.maximum(value, paired, out=value)
    exact = _has(b.offered, code.exact)
    exact *= cfg.exact
    return np.maximum(value, exact, out=value)


def _capability(a: Asker, b: _Rows, cfg: CapabilityConfig, one_way: bool) -> np.ndarray:
    """rules.capability_fit: what A seeks that B offers, blended with the reverse."""
    w = cfg.breadth_weight
    if a.sought:
        best, total = np.zeros(b.count, dtype=FLOAT), np.zeros(b.count, dtype=FLOAT)
        for code in a.sought:
            value = _coverage(code, b, cfg)
            np.maximum(best, value, out=best)
            total += value
        best *= 1 - w
        total *= w / len(a.sought)
        ahead = best + total
    else:
        ahead = np.full(b.count, cfg.unknown, dtype=FLOAT)
    if one_way:
        return _clip(ahead)
    best, total = np.zeros(b.count, dtype=FLOAT), np.zeros(b.count, dtype=FLOAT)
    for level, mask in a.coverage_levels:
        hits = np.bitwise_count(b.sought & mask).astype(FLOAT)
        np.maximum(best, np.minimum(hits, 1.0) * level, out=best)
        hits *= level
        total += hits
    # (1 - w) * best + w * mean over the sought codes; the neutral value if none sought.
    best *= 1 - w
    total *= b.sought_inverse
    total *= w
    best += total
    best += cfg.unknown * b.seeks_nothing
    ahead *= 1 - cfg.reverse_weight
    best *= cfg.reverse_weight
    ahead += best
    return _clip(ahead)


def _certification(a: Asker, b: _Rows, today: date, cfg: CertificationConfig) -> np.ndarray:
    """certification.certification_score: coverage of A's wanted schemes + credibility."""
    valid, credibility = b.certified(today)
    if not a.wanted_count:
        return np.minimum(credibility, 1.0)
    coverage = np.bitwise_count(valid & a.wanted).astype(FLOAT)
    coverage *= cfg.required_share / a.wanted_count
    coverage += (1 - cfg.required_share) * credibility
    return _clip(coverage)


def _regulatory(a: Asker, b: _Rows, cfg: RegulatoryConfig) -> np.ndarray:
    """regulatory.regulatory_fit: pathway fit and SAFE/EDIP, less frictions."""
    if a.pathways:
        # none + (compatible - none) * compatible-only + (shared - none) * shared, and
        # the neutral value where B named no pathway (then neither term applies).
        shared = _has(b.pathways, a.pathways)
        compatible = _has(b.pathways, a.compatible_pathways)
        compatible *= 1 - shared
        compatible *= cfg.compatible_pathway - cfg.no_common_pathway
        shared *= cfg.shared_pathway - cfg.no_common_pathway
        pathway = compatible + shared
        pathway += cfg.no_common_pathway
        pathway += (cfg.unknown_pathway - cfg.no_common_pathway) * b.no_pathways
    else:
        pathway = np.full(b.count, cfg.unknown_pathway, dtype=FLOAT)
    pathway *= cfg.pathway_weight
    pathway += b.regulatory_base
    pathway -= a.clearance_penalty[b.clearance]
    return _clip(pathway)
