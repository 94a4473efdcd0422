"""Semantic fit: what A seeks against what B offers, and the reverse, from text vectors.

Raw cosines c1 = cos(A.seek, B.offer) and c2 = cos(B.seek, A.offer) are calibrated,
s = clip((c - floor) / (ceiling - floor)), then combined by a soft minimum
(1 - k) * min(s1, s2) + k * mean(s1, s2), so a one-sided fit ranks below a mutual
one. A direction without text on either end takes the neutral `unknown`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

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
from matchmaker.domain.embedding import has_offer_text, has_seek_text
from matchmaker.domain.explanations import explain
from matchmaker.domain.profile import CompanyProfile


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


HAS_OFFER = Column("semantic.has_offer", np.float32, "1.0 when the offer text says something")
HAS_SEEK = Column("semantic.has_seek", np.float32, "1.0 when the seek text says something")


def calibrated(cosines: np.ndarray | None, has_text: np.ndarray, cfg: SemanticConfig) -> np.ndarray:
    """Calibrated cosine where B has text, the neutral value where not (or no cosines)."""
    if cosines is None:
        return np.full(len(has_text), cfg.unknown, dtype=has_text.dtype)
    fit = cosines.astype(has_text.dtype)
    fit -= cfg.floor
    fit /= cfg.ceiling - cfg.floor
    clip(fit)
    fit -= cfg.unknown  # unknown + has_text * (fit - unknown)
    fit *= has_text
    fit += cfg.unknown
    return fit


def soft_minimum(forward: np.ndarray, backward: np.ndarray, cfg: SemanticConfig) -> np.ndarray:
    # (1 - c) * min + c * (min + max) / 2 = (1 - c / 2) * min + (c / 2) * max
    low = np.minimum(forward, backward)
    high = np.maximum(forward, backward)
    half = cfg.one_sided_credit / 2
    low *= 1 - half
    high *= half
    low += high
    return clip(low)


class Semantic:
    """Text fit in both directions: what A seeks vs what B offers, and the reverse. A
    soft minimum ranks a one-sided fit below a mutual one."""

    name = "semantic"
    label = N_("Text fit")
    default_weight = 0.40  # what firms write is the richest signal
    config_type = SemanticConfig
    columns = (HAS_OFFER, HAS_SEEK)

    def facts(self, b: CompanyProfile, cfg: SemanticConfig) -> Mapping[str, Any]:
        return {HAS_OFFER.name: float(has_offer_text(b)), HAS_SEEK.name: float(has_seek_text(b))}

    def encode(self, a: CompanyProfile, cfg: SemanticConfig) -> None:
        return None  # A enters through the cosines

    def score(self, part: None, rows: Rows, inputs: ScoreInputs, cfg: SemanticConfig) -> np.ndarray:
        forward = calibrated(inputs.seek_offer, rows[HAS_OFFER], cfg)
        if inputs.one_way:
            return forward
        return soft_minimum(forward, calibrated(inputs.offer_seek, rows[HAS_SEEK], cfg), cfg)

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: SemanticConfig
    ) -> Explained:
        forward = _one(inputs.seek_offer, has_offer_text(b), cfg)
        backward = _one(inputs.offer_seek, has_seek_text(b), cfg)
        reasons, warnings = [], []
        if forward >= cfg.reason_above:
            reasons.append(explain("text_fit", seeker=a.name, offerer=b.name, fit=forward))
        if not inputs.one_way and backward >= cfg.reason_above:
            reasons.append(explain("text_fit", seeker=b.name, offerer=a.name, fit=backward))
        if not inputs.one_way and forward >= cfg.reason_above and backward < cfg.weak_below:
            warnings.append(explain("one_sided_text_fit", seeker=a.name, offerer=b.name))
        return Explained(tuple(reasons), tuple(warnings))

    def rules(self, cfg: SemanticConfig) -> Sequence[RuleDoc]:
        return (
            RuleDoc(
                "calibration",
                "A raw cosine is mapped linearly onto [0, 1] between floor and ceiling; a "
                "direction without text on either end takes the neutral value.",
                {"floor": cfg.floor, "ceiling": cfg.ceiling, "unknown": cfg.unknown},
            ),
            RuleDoc(
                "soft_minimum",
                "Both directions are combined as (1 - k) * min + k * mean, so a mutual fit "
                "beats a one-sided one; an ad-hoc request counts its own direction only.",
                {"one_sided_credit": cfg.one_sided_credit},
            ),
        )


def _one(cosine: float | None, has_text: bool, cfg: SemanticConfig) -> float:
    """The calibrated value of one direction of one pair (same formula as `score`)."""
    values = None if cosine is None else np.array([cosine], dtype=np.float64)
    return float(calibrated(values, np.array([float(has_text)]), cfg)[0])


SEMANTIC = Semantic()
