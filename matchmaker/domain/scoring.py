"""Score candidates for one asker A with the registered components, and explain a pair.

Every component value is in [0, 1] and absolute (never normalised per query, so
scores compare across queries), or NaN where the component does not apply to the
pair (nothing to compare). The blend is the weighted mean over the components with a
positive weight that apply:

    score = sum(w_i * component_i) / sum(w_i)     (shown rounded to 4 decimals)

Missing is unknown, not a mismatch: a firm that wrote no seek text is not ranked
below one that wrote a poor one. Each component's one vectorised formula ranks every
firm in single precision and computes, in double precision over the picked rows, the
number shown. A perfect 1.0 needs every component perfect in both directions: rare
by design.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from matchmaker.domain.components.base import FLOAT, PairInputs, Rows, ScoreInputs
from matchmaker.domain.components.lexical import stored_script
from matchmaker.domain.components.semantic import seeks_in_words
from matchmaker.domain.embedding import has_offer_text
from matchmaker.domain.explanations import CODES, Explanation, explain
from matchmaker.domain.lexical import text_script
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side_table import SideTable

SCORE_DECIMALS = 4  # scores are rounded so that ties (and their order) are reproducible


@dataclass(frozen=True)
class Asker:
    """Company A (or an ad-hoc request) encoded once per request by every component."""

    profile: CompanyProfile
    parts: Mapping[str, Any]  # component name -> its encoding of A
    offers_text: bool
    seeks_text: bool


def encode_asker(a: CompanyProfile, config: ScoringConfig) -> Asker:
    parts = {c.name: c.encode(a, config.of(c)) for c in config.components}
    # A seek vector counts only where the firm wrote what it seeks (see semantic.py).
    return Asker(a, parts, has_offer_text(a), seeks_in_words(a))


def component_scores(
    asker: Asker, rows: Rows, inputs: ScoreInputs, config: ScoringConfig, *, every: bool = False
) -> dict[str, np.ndarray]:
    """Each component's value for every row; components weighted 0 only when `every`
    (they are shown, but need not be computed to rank)."""
    return {
        c.name: c.score(asker.parts[c.name], rows, inputs, config.of(c))
        for c in config.components
        if every or config.weights[c.name] > 0
    }


def blend(
    values: Mapping[str, np.ndarray],
    config: ScoringConfig,
    count: int,
    dtype: type = FLOAT,
    *,
    gaps: Mapping[str, bool] | None = None,
) -> np.ndarray:
    """Weighted mean of the component values (unrounded), per row over the components
    that apply to it (a NaN value does not). `gaps`: when `values` hold some rows of
    longer columns, whether each full column has a NaN (`has_gaps`), so that these rows
    get the arithmetic, and so the bits, of blending the full columns."""
    blended: np.ndarray = np.zeros(count, dtype=dtype)
    total: np.ndarray = np.zeros(count, dtype=dtype)
    for name, value in values.items():
        weight = config.weights[name]
        if weight <= 0:
            continue
        if not (has_gaps(value) if gaps is None else gaps[name]):
            blended += weight * value
            total += weight
        else:
            applies = ~np.isnan(value)
            blended += weight * np.where(applies, value, 0.0)
            total += weight * applies
    np.divide(blended, total, out=blended, where=total > 0)
    return blended


def has_gaps(value: np.ndarray) -> bool:
    """Whether some row lacks this component (one reduction instead of a mask)."""
    return bool(np.isnan(value.sum()))


def score_rows(
    asker: Asker,
    table: SideTable,
    rows: np.ndarray | None,
    inputs: ScoreInputs,
    config: ScoringConfig,
    *,
    dtype: type = FLOAT,
) -> np.ndarray:
    """Unrounded blended score of each row (all rows when `rows` is None); the cosines
    of `inputs` are aligned with the rows scored."""
    view = Rows(table, rows, dtype)
    return blend(component_scores(asker, view, inputs, config), config, view.count, dtype)


@dataclass(frozen=True)
class PairScore:
    score: float
    components: dict[str, float | None]  # None: the component does not apply to the pair
    reasons: tuple[Explanation, ...]
    warnings: tuple[Explanation, ...]


def explain_pair(
    a: CompanyProfile,
    b: CompanyProfile,
    values: Mapping[str, float],
    inputs: PairInputs,
    config: ScoringConfig,
) -> PairScore:
    """The shown score of one pair from its component values, with every component's
    reasons and warnings (in registry order)."""
    weighted = {n: v for n, v in values.items() if config.weights[n] > 0 and not math.isnan(v)}
    total = sum(config.weights[n] for n in weighted)
    score = sum(config.weights[n] * v for n, v in weighted.items()) / total if total > 0 else 0.0
    reasons: list[Explanation] = []
    warnings: list[Explanation] = []
    inputs = PairInputs(
        inputs.day,
        inputs.seek_offer,
        inputs.offer_seek,
        inputs.one_way,
        inputs.offer_offer,
        values,
        inputs.table,
        inputs.table_row,
    )
    for component in config.components:
        words = component.explain(a, b, inputs, config.of(component))
        reasons += words.reasons
        warnings += words.warnings
    textual = [c.name for c in config.components if c.compares_text and config.weights[c.name] > 0]
    if textual and all(math.isnan(values.get(n, math.nan)) for n in textual):
        warnings.append(explain("no_text", firm=a.name, other=b.name))
    elif config.text_scripts is not None:
        known = {None, *config.text_scripts}
        unread = (
            a if _script(a) not in known else b if stored_script(b, inputs) not in known else None
        )
        if unread is not None:
            warnings.append(explain("model_language", firm=unread.name))
    return PairScore(
        score=round(score, SCORE_DECIMALS),
        components={
            name: None if math.isnan(value) else round(value, SCORE_DECIMALS)
            for name, value in values.items()
        },
        reasons=tuple(reasons),
        warnings=tuple(warnings),
    )


def _script(profile: CompanyProfile) -> str | None:
    return _text_script(" ".join((profile.description, profile.offers, profile.seeks)))


@lru_cache(maxsize=1024)  # A's text, once per pair of a request
def _text_script(text: str) -> str | None:
    return text_script(text)


def score_pair(
    a: CompanyProfile,
    b: CompanyProfile,
    inputs: PairInputs,
    config: ScoringConfig,
    *,
    side: Sequence[CompanyProfile] = (),
) -> PairScore:
    """Score B as a partner for A through the same formulas, in double precision.
    Components with corpus statistics (term weights) read them from `side`, the firms
    of B's side (B is added if missing); by default B alone."""
    firms = [*side] if any(p.id == b.id for p in side) else [*side, b]
    table = SideTable(config)
    table.append(firms)
    row = np.array([next(i for i, p in enumerate(firms) if p.id == b.id)])

    def one(value: float | None) -> np.ndarray | None:
        return None if value is None else np.array([value])

    row_inputs = ScoreInputs(
        inputs.day,
        one(inputs.seek_offer),
        one(inputs.offer_seek),
        inputs.one_way,
        one(inputs.offer_offer),
    )
    asker = encode_asker(a, config)
    values = component_scores(asker, Rows(table, row, np.float64), row_inputs, config, every=True)
    inputs = dataclasses.replace(inputs, table=table)
    return explain_pair(a, b, {n: float(v[0]) for n, v in values.items()}, inputs, config)


def describe_model(config: ScoringConfig) -> dict[str, Any]:
    """What every number of a suggestion means and weighs (nomenklatura's `explain()`):
    the blend, each component with its weight, docstring and sub-rules, and the
    explanation codes with their parameters."""
    weighted = sum(w for w in config.weights.values() if w > 0)
    return {
        "score": "sum(weight_i * component_i) / sum(weight_i) over the components with a "
        f"positive weight, each in [0, 1], rounded to {SCORE_DECIMALS} decimals",
        "components": [
            {
                "name": c.name,
                "label": c.label,
                "weight": config.weights[c.name],
                "share": config.weights[c.name] / weighted if weighted > 0 else 0.0,
                "description": " ".join((c.__doc__ or "").split()),
                "rules": [
                    {"name": r.name, "description": r.doc, "parameters": dict(r.parameters)}
                    for r in c.rules(config.of(c))
                ],
            }
            for c in config.components
        ],
        "explanation_codes": {code: list(params) for code, params in CODES.items()},
        "candidate_pool": config.candidate_pool,
        "max_limit": config.max_limit,
    }
