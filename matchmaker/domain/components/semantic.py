"""Need fit: what A says it seeks against what B offers, and the reverse, from vectors.

Raw cosines c1 = cos(A.seek, B.offer) and c2 = cos(B.seek, A.offer) are calibrated,
s = clip((c - floor) / (ceiling - floor)), then combined by a soft minimum
(1 - k) * min(s1, s2) + k * mean(s1, s2), so a one-sided fit ranks below a mutual
one. A direction counts only where the seeker wrote what it seeks: most firms do
not, and a seek vector made of ticked codes alone is close to noise. A missing
direction is unknown, not a mismatch: the other one stands alone, and with neither
the component does not apply (NaN; the blend leaves it out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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
from matchmaker.domain.embedding import has_offer_text
from matchmaker.domain.explanations import explain
from matchmaker.domain.profile import CompanyProfile


@dataclass(frozen=True)
class SemanticConfig:
    # MiniLM's band (other models: scoring_config.MODEL_CALIBRATION). On the real
    # partnership set seek->offer cosines of partners are 0.22/0.41/0.53 (p10/p50/p90),
    # of other pairs 0.17/0.30/0.47 (benchmarks/bench_embedders.py).
    floor: float = 0.20  # raw cosine at or below which a direction is "no fit" (0)
    ceiling: float = 0.55  # raw cosine at or above which a direction is a perfect fit (1)
    one_sided_credit: float = 0.3  # soft-min: (1 - c) * min + c * mean of both directions
    reason_above: float = 0.55  # calibrated fit from which a direction is named in reasons
    weak_below: float = 0.2  # calibrated fit under which a one-sided fit is warned about


# 1.0 where there is text, NaN where not: multiplying a fit by it turns "no text" into
# "does not apply" in one array operation.
HAS_OFFER = Column(
    "semantic.has_offer", np.float32, "1.0 when the offer text says something, else NaN"
)
HAS_SEEK = Column(
    "semantic.has_seek", np.float32, "1.0 when the firm wrote what it seeks, else NaN"
)


def known(flag: bool) -> float:
    return 1.0 if flag else float("nan")


def seeks_in_words(profile: CompanyProfile) -> bool:
    """Whether the firm wrote what it seeks (ticked codes alone do not count)."""
    return bool(profile.seeks.strip())


class Band(Protocol):
    """A model's cosine band: `floor` maps to 0, `ceiling` to 1."""

    @property
    def floor(self) -> float: ...
    @property
    def ceiling(self) -> float: ...


def calibrated(cosines: np.ndarray | None, has_text: np.ndarray, band: Band) -> np.ndarray:
    """clip((cos - floor) / (ceiling - floor)) where there is text on both ends (`has_text`
    1.0), NaN where not (`has_text` NaN, or no cosines): the text components' one formula."""
    if cosines is None:
        return np.full(len(has_text), np.nan, dtype=has_text.dtype)
    fit = cosines.astype(has_text.dtype)
    fit -= band.floor
    fit /= band.ceiling - band.floor
    clip(fit)
    fit *= has_text
    return fit


def calibrated_one(cosine: float | None, has_text: bool, band: Band) -> float:
    """`calibrated` for one pair; NaN compares false with every threshold, so a missing
    direction is never worded."""
    values = None if cosine is None else np.array([cosine], dtype=np.float64)
    return float(calibrated(values, np.array([known(has_text)]), band)[0])


def soft_minimum(forward: np.ndarray, backward: np.ndarray, cfg: SemanticConfig) -> np.ndarray:
    """Soft minimum of two directions; where one is NaN, the other alone."""
    # (1 - c) * min + c * (min + max) / 2 = (1 - c / 2) * min + (c / 2) * max
    low = np.fmin(forward, backward)
    high = np.fmax(forward, backward)
    half = cfg.one_sided_credit / 2
    low *= 1 - half
    high *= half
    low += high
    return clip(low)


class Semantic:
    """Need fit in both directions: what A wrote it seeks vs what B offers, and the
    reverse. A soft minimum ranks a one-sided fit below a mutual one; a direction
    nobody wrote a need for does not count."""

    name = "semantic"
    label = N_("Text fit")
    default_weight = 0.136  # fitted on the real set: see FITTED_ON in components/__init__.py
    config_type = SemanticConfig
    columns = (HAS_OFFER, HAS_SEEK)
    compares_text = True
    cosines = frozenset({"seek_offer", "offer_seek"})

    def facts(self, b: CompanyProfile, cfg: SemanticConfig) -> Mapping[str, Any]:
        return {HAS_OFFER.name: known(has_offer_text(b)), HAS_SEEK.name: known(seeks_in_words(b))}

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
        forward = calibrated_one(inputs.seek_offer, has_offer_text(b), cfg)
        backward = calibrated_one(inputs.offer_seek, seeks_in_words(b), cfg)
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
                "direction counts only where the seeker wrote what it seeks.",
                {"floor": cfg.floor, "ceiling": cfg.ceiling},
            ),
            RuleDoc(
                "soft_minimum",
                "Both directions are combined as (1 - k) * min + k * mean, so a mutual fit "
                "beats a one-sided one; an ad-hoc request counts its own direction only.",
                {"one_sided_credit": cfg.one_sided_credit},
            ),
        )


SEMANTIC = Semantic()
