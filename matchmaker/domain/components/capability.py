"""Capability fit: what A seeks that B offers, blended with what B seeks that A offers.

Per sought code, B's offer covers it at `exact` (the code itself, or anything inside
a sought area), `same_area` (another code of its area) or `complementary` (a curated
taxonomy pair), else 0. A direction is (1 - w) * best + w * mean over the sought
codes; forward (A seeks, B offers) and reverse are blended 0.65 / 0.35. `coverage`
is the one formula: it ranks every firm, scores the shown ones and picks the
offered code each reason names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from matchmaker.domain.codes import CAPABILITY_BITS, areas_mask
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
from matchmaker.domain.explanations import Explanation, explain
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import capability_area, complementary_to


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


OFFERED = Column("capability.offered", np.uint64, "mask of the offered codes")
AREAS = Column("capability.areas", np.uint64, "mask of the offered codes' areas")
SOUGHT = Column("capability.sought", np.uint64, "mask of the sought codes")
SOUGHT_INVERSE = Column("capability.sought_inverse", np.float32, "1 / sought codes (0: none)")
SEEKS_NOTHING = Column("capability.seeks_nothing", np.float32, "1.0 when nothing is sought")


@dataclass(frozen=True)
class SoughtCodes:
    """Sought codes as column vectors of masks, for `coverage` against many offers."""

    codes: tuple[str, ...]
    exact: np.ndarray  # (k, 1) uint64: the code itself
    area: np.ndarray  # (k, 1) uint64: its area
    is_area: np.ndarray  # (k, 1) bool: the code is a whole area
    complements: np.ndarray  # (k, 1) uint64: codes the taxonomy pairs with it

    @classmethod
    def of(cls, codes: Iterable[str]) -> SoughtCodes:
        ordered = tuple(codes)

        def column(values: list[int]) -> np.ndarray:
            return np.array(values, dtype=np.uint64).reshape(-1, 1)

        return cls(
            ordered,
            column([CAPABILITY_BITS.bit(c) for c in ordered]),
            column([CAPABILITY_BITS.bit(capability_area(c)) for c in ordered]),
            np.array([c == capability_area(c) for c in ordered], dtype=bool).reshape(-1, 1),
            column([CAPABILITY_BITS.mask(complementary_to(c)) for c in ordered]),
        )


def coverage(
    sought: SoughtCodes, offered: np.ndarray, areas: np.ndarray, cfg: CapabilityConfig, dtype: type
) -> np.ndarray:
    """(k, n): how well each of n offers (code and area masks) covers each sought code."""
    zero = np.uint64(0)
    in_area = ((areas & sought.area) != zero).astype(dtype)
    exact = ((offered & sought.exact) != zero).astype(dtype)
    paired = ((offered & sought.complements) != zero).astype(dtype)
    value = np.maximum(in_area * cfg.same_area, paired * cfg.complementary)
    np.maximum(value, exact * cfg.exact, out=value)
    return np.where(sought.is_area, in_area * cfg.exact, value)


@lru_cache(maxsize=8)
def _every_code(registered: int) -> SoughtCodes:
    # Keyed by the vocabulary's size: a retired code registered later is included.
    return SoughtCodes.of(CAPABILITY_BITS.codes()[:registered])


@dataclass(frozen=True)
class AskerCapabilities:
    sought: SoughtCodes  # what A seeks, in sorted code order
    # (value, mask): codes a candidate may seek that A's offer covers at that value, best first
    covered: tuple[tuple[float, np.uint64], ...]


class Capability:
    """Two-sided capability fit: what A seeks that B offers (exact sub-capability >
    same area > complementary pair), blended with what B seeks that A offers."""

    name = "capability"
    label = N_("Capabilities")
    default_weight = 0.223  # fitted on the real set: see FITTED_ON in components/__init__.py
    config_type = CapabilityConfig
    columns = (OFFERED, AREAS, SOUGHT, SOUGHT_INVERSE, SEEKS_NOTHING)
    compares_text = False
    cosines: frozenset[str] = frozenset()

    def facts(self, b: CompanyProfile, cfg: CapabilityConfig) -> Mapping[str, Any]:
        sought = len(b.seeking_capabilities)
        return {
            OFFERED.name: CAPABILITY_BITS.mask(b.capabilities),
            AREAS.name: areas_mask(b.capabilities),
            SOUGHT.name: CAPABILITY_BITS.mask(b.seeking_capabilities),
            SOUGHT_INVERSE.name: 1 / sought if sought else 0.0,
            SEEKS_NOTHING.name: float(not sought),
        }

    def encode(self, a: CompanyProfile, cfg: CapabilityConfig) -> AskerCapabilities:
        every = _every_code(len(CAPABILITY_BITS.codes()))
        offer = np.array([CAPABILITY_BITS.mask(a.capabilities)], dtype=np.uint64)
        values = coverage(
            every, offer, np.array([areas_mask(a.capabilities)], np.uint64), cfg, np.float64
        )[:, 0]
        levels: dict[float, int] = {}
        for code, value in zip(every.codes, values.tolist(), strict=True):
            if value > 0:
                levels[value] = levels.get(value, 0) | CAPABILITY_BITS.bit(code)
        covered = tuple((v, np.uint64(m)) for v, m in sorted(levels.items(), reverse=True))
        return AskerCapabilities(SoughtCodes.of(sorted(a.seeking_capabilities)), covered)

    def score(
        self, part: AskerCapabilities, rows: Rows, inputs: ScoreInputs, cfg: CapabilityConfig
    ) -> np.ndarray:
        w = cfg.breadth_weight
        if part.sought.codes:
            values = coverage(part.sought, rows[OFFERED], rows[AREAS], cfg, rows.dtype)
            ahead = (1 - w) * values.max(axis=0) + (w / len(part.sought.codes)) * values.sum(axis=0)
        else:
            ahead = rows.full(cfg.unknown)
        if inputs.one_way:
            return clip(ahead)
        best, total = rows.zeros(), rows.zeros()
        sought = rows[SOUGHT]
        for level, mask in part.covered:
            hits = np.bitwise_count(sought & mask).astype(rows.dtype)
            np.maximum(best, np.minimum(hits, 1.0) * level, out=best)
            hits *= level
            total += hits
        # (1 - w) * best + w * mean over B's sought codes; the neutral value if none sought.
        best *= 1 - w
        total *= rows[SOUGHT_INVERSE]
        total *= w
        best += total
        best += cfg.unknown * rows[SEEKS_NOTHING]
        ahead *= 1 - cfg.reverse_weight
        best *= cfg.reverse_weight
        ahead += best
        return clip(ahead)

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: CapabilityConfig
    ) -> Explained:
        reasons = _reasons(a, b, cfg) + ([] if inputs.one_way else _reasons(b, a, cfg))
        return Explained(tuple(reasons))

    def rules(self, cfg: CapabilityConfig) -> Sequence[RuleDoc]:
        return (
            RuleDoc(
                "coverage",
                "How well an offer covers one sought code: the code itself (or anything "
                "inside a sought area), another code of its area, a curated complementary "
                "pair, or nothing.",
                {
                    "exact": cfg.exact,
                    "same_area": cfg.same_area,
                    "complementary": cfg.complementary,
                },
            ),
            RuleDoc(
                "direction",
                "(1 - breadth_weight) * best + breadth_weight * mean coverage over the "
                "sought codes; the neutral value when nothing is sought.",
                {"breadth_weight": cfg.breadth_weight, "unknown": cfg.unknown},
            ),
            RuleDoc(
                "two_sided",
                "A's needs and B's needs blended; an ad-hoc request counts its own only.",
                {"reverse_weight": cfg.reverse_weight},
            ),
        )


def _reasons(
    seeker: CompanyProfile, offerer: CompanyProfile, cfg: CapabilityConfig
) -> list[Explanation]:
    found = []
    for sought, (value, offered) in _best_offers(
        tuple(sorted(seeker.seeking_capabilities)), tuple(sorted(offerer.capabilities)), cfg
    ):
        if value > 0:
            found.append((value, sought, offered))
    found.sort(key=lambda item: -item[0])  # stable: equal values keep code order
    return [_reason(seeker, offerer, *item, cfg) for item in found[: cfg.max_reasons]]


@lru_cache(maxsize=1 << 13)  # firms tick few codes: the same sets recur across requests
def _best_offers(
    sought: tuple[str, ...], offered: tuple[str, ...], cfg: CapabilityConfig
) -> tuple[tuple[str, tuple[float, str]], ...]:
    """For each sought code (in order), the offered code that best covers it, by
    `coverage` of each offered code alone; a curated complementary pair inside one area
    is preferred to a plain same-area code."""
    best = {}
    for code in sought:
        complements = complementary_to(code)
        ranked = sorted(
            ((_covers(code, o, cfg), o) for o in offered),
            key=lambda item: (-item[0], item[1] != code, item[1] not in complements, item[1]),
        )
        best[code] = ranked[0] if ranked else (0.0, "")
    return tuple(best.items())


@lru_cache(maxsize=1 << 14)  # (sought, offered) code pairs: at most the taxonomy squared
def _covers(sought: str, offered: str, cfg: CapabilityConfig) -> float:
    """`coverage` of one sought code by an offer of one code."""
    masks = np.array([CAPABILITY_BITS.bit(offered)], dtype=np.uint64)
    areas = np.array([areas_mask([offered])], dtype=np.uint64)
    return float(coverage(SoughtCodes.of([sought]), masks, areas, cfg, np.float64)[0, 0])


def _reason(
    seeker: CompanyProfile,
    offerer: CompanyProfile,
    value: float,
    sought: str,
    offered: str,
    cfg: CapabilityConfig,
) -> Explanation:
    names = {"seeker": seeker.name, "offerer": offerer.name, "sought": sought}
    if sought == offered:
        return explain("capability_offered", **names)
    if value == cfg.exact:
        return explain("capability_covered", offered=offered, **names)
    if offered in complementary_to(sought):
        return explain("capability_complementary", offered=offered, **names)
    return explain("capability_same_area", offered=offered, **names)


CAPABILITY = Capability()
