"""Profile similarity: how alike the two firms' whole profiles read (same domain first).

The strongest pattern in public deals is that drone makers pair with drone makers,
ammunition with ammunition: what both firms do matters more than what one says it
seeks, which most firms never write. The offer vector embeds the offer text and the
description, so cos(A.offer, B.offer), calibrated like the need fit, measures it.
It is symmetric and needs no seek text; an ad-hoc request (which offers nothing) has
no profile to compare, and then the component does not apply.
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
)
from matchmaker.domain.components.semantic import calibrated, calibrated_one, known
from matchmaker.domain.embedding import has_offer_text
from matchmaker.domain.explanations import explain
from matchmaker.domain.profile import CompanyProfile


@dataclass(frozen=True)
class ProfileConfig:
    # MiniLM cosines of two firms' offer texts (description included): unrelated
    # defence firms ~0.1-0.35, same domain ~0.45-0.75 (measured on the real set).
    floor: float = 0.25  # raw cosine at or below which profiles are "unrelated" (0)
    ceiling: float = 0.75  # raw cosine at or above which they are as alike as firms get (1)
    reason_above: float = 0.5  # calibrated similarity from which it is named in reasons


HAS_TEXT = Column("profile.has_text", np.float32, "1.0 when the profile says something, else NaN")


class ProfileSimilarity:
    """Whole-profile similarity of A and B (same domain first): the cosine of their
    profile texts, calibrated; symmetric, and independent of any seek text."""

    name = "profile"
    label = N_("Profile similarity")
    default_weight = 0.047  # fitted on the real set: see FITTED_ON in components/__init__.py
    config_type = ProfileConfig
    columns = (HAS_TEXT,)
    compares_text = True
    cosines = frozenset({"offer_offer"})

    def facts(self, b: CompanyProfile, cfg: ProfileConfig) -> Mapping[str, Any]:
        return {HAS_TEXT.name: known(has_offer_text(b))}

    def encode(self, a: CompanyProfile, cfg: ProfileConfig) -> bool:
        return has_offer_text(a)

    def score(self, part: bool, rows: Rows, inputs: ScoreInputs, cfg: ProfileConfig) -> np.ndarray:
        if inputs.one_way or not part:
            return rows.full(np.nan)
        return calibrated(inputs.offer_offer, rows[HAS_TEXT], cfg)

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: ProfileConfig
    ) -> Explained:
        fit = calibrated_one(inputs.offer_offer, has_offer_text(b), cfg)
        if inputs.one_way or not fit >= cfg.reason_above:  # NaN: does not apply
            return Explained()
        return Explained((explain("profiles_alike", firm=a.name, other=b.name, fit=fit),))

    def rules(self, cfg: ProfileConfig) -> Sequence[RuleDoc]:
        return (
            RuleDoc(
                "calibration",
                "The cosine of the two profile texts mapped linearly onto [0, 1] between "
                "floor and ceiling.",
                {"floor": cfg.floor, "ceiling": cfg.ceiling},
            ),
        )


PROFILE = ProfileSimilarity()
