"""Structured candidates for the approximate (HNSW) path, from inverted lists.

The approximate path scores a shortlist, not every firm: the vector searches' top
`candidate_pool` plus the firms the structured components would rank high. Scoring
every row with those components to find them (what the approximate path did) costs
more than the graph searches themselves, so they are found here through inverted
lists instead: per capability bit the rows offering it (code or area) and seeking
it, per pathway bit the rows naming it, and per term the rows using it (the lexical
component's BM25 matrix, read by column). Each touched row accumulates an *estimate*
of what the structured components can give it (`estimate`); the best `pool` usable
rows by that estimate join the shortlist, which is then scored exactly as the exact
path scores every row. The estimate only orders candidates: it never changes a
score, a filter or an exclusion (the caller's `usable` mask decides who may appear).

The lists are derived from the side table's columns and cached per table version
(`SideTable.derived`), so every add, replace or removal of the side is reflected at
the next request; rebuilding them costs one pass per bit over a few integer columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from matchmaker.domain.codes import CAPABILITY_BITS
from matchmaker.domain.components.capability import (
    AREAS,
    OFFERED,
    SOUGHT,
    AskerCapabilities,
    CapabilityConfig,
)
from matchmaker.domain.components.lexical import (
    LexicalConfig,
    TermCounts,
    postings_of,
    query,
    shared_by_term,
)
from matchmaker.domain.components.regulatory import PATHWAYS, AskerRegulatory, RegulatoryConfig
from matchmaker.domain.scoring import Asker
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side_table import SideTable
from matchmaker.domain.taxonomy import capability_area

LEXICAL_TERMS = 24  # A's rarest terms read from the inverted lists (they carry most BM25)


@dataclass(frozen=True)
class Postings:
    """Rows (ascending) holding each bit of a uint64 column; bit position -> rows."""

    rows: tuple[np.ndarray, ...]

    @classmethod
    def of(cls, column: np.ndarray) -> Postings:
        return cls(tuple(np.flatnonzero(column & np.uint64(1 << bit)) for bit in range(64)))

    def of_mask(self, mask: int) -> list[np.ndarray]:
        return [self.rows[bit] for bit in range(64) if mask >> bit & 1]


@dataclass(frozen=True)
class InvertedLists:
    """The inverted lists of one side table (one version of it)."""

    offered: Postings
    areas: Postings
    sought: Postings
    pathways: Postings

    @classmethod
    def of(cls, table: SideTable) -> InvertedLists:
        return cls(
            Postings.of(table.column(OFFERED.name)),
            Postings.of(table.column(AREAS.name)),
            Postings.of(table.column(SOUGHT.name)),
            Postings.of(table.column(PATHWAYS.name)),
        )


def inverted_lists(table: SideTable) -> InvertedLists:
    """The side's inverted lists, rebuilt once after each change of the table."""
    lists: InvertedLists = table.derived("shortlist.postings", InvertedLists.of)
    return lists


def structured_candidates(
    asker: Asker,
    table: SideTable,
    usable: np.ndarray,
    config: ScoringConfig,
    pool: int,
    *,
    one_way: bool,
) -> np.ndarray:
    """Up to `pool` usable rows best by the structured estimate, best first."""
    if pool <= 0 or not usable.any():
        return np.empty(0, dtype=np.int64)
    score = estimate(asker, table, config, one_way=one_way)
    if score is None:
        return np.empty(0, dtype=np.int64)
    touched = np.flatnonzero((score > 0) & usable)
    if len(touched) > pool:
        touched = touched[np.argpartition(-score[touched], pool - 1)[:pool]]
    order = np.argsort(-score[touched], kind="stable")
    return touched[order]


def estimate(
    asker: Asker, table: SideTable, config: ScoringConfig, *, one_way: bool
) -> np.ndarray | None:
    """Per row, a weighted estimate of the structured components' share of its score,
    accumulated over the inverted lists only (rows in none of A's lists get 0); None
    when A brings nothing any list can find."""
    lists = inverted_lists(table)
    size = len(table)
    parts: list[tuple[np.ndarray, np.ndarray]] = []  # (rows, value) pairs to accumulate
    weights, settings = config.weights, config.settings
    if weights.get("capability", 0) > 0:
        parts += _capability(
            asker.parts["capability"],
            asker.profile.seeking_capabilities,
            lists,
            settings["capability"],
            weights["capability"],
            one_way=one_way,
        )
    if weights.get("regulatory", 0) > 0:
        parts += _pathways(
            asker.parts["regulatory"], lists, settings["regulatory"], weights["regulatory"]
        )
    # A row gets one of the two shared-terms components (same script or not): the larger
    # weight bounds either.
    lexical_weight = max(weights.get("lexical", 0), weights.get("lexical_across", 0))
    if lexical_weight > 0 and "lexical" in asker.parts:
        parts += _lexical(asker.parts["lexical"], table, settings["lexical"], lexical_weight)
    if not parts:
        return None
    rows = np.concatenate([r for r, _ in parts])
    values = np.concatenate([v for _, v in parts])
    return np.bincount(rows, weights=values, minlength=size)


def _capability(
    part: AskerCapabilities,
    sought_codes: Any,
    lists: InvertedLists,
    cfg: CapabilityConfig,
    weight: float,
    *,
    one_way: bool,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Forward: each sought code's exact offerers (`exact` / k) and same-area offerers
    (`same_area` / k); reverse: rows seeking what A's offer covers, at that level."""
    found = []
    codes = sorted(sought_codes)
    ahead = weight * (1 - cfg.reverse_weight if not one_way else 1.0)
    if codes:
        share = ahead / len(codes)
        for code in codes:
            area = capability_area(code)
            in_area = lists.areas.rows[CAPABILITY_BITS.position(area)]
            if code == area:
                found.append((in_area, np.full(len(in_area), share * cfg.exact)))
                continue
            exact = lists.offered.rows[CAPABILITY_BITS.position(code)]
            found.append((in_area, np.full(len(in_area), share * cfg.same_area)))
            found.append((exact, np.full(len(exact), share * (cfg.exact - cfg.same_area))))
    if not one_way:
        back = weight * cfg.reverse_weight
        for level, mask in part.covered:
            for rows in lists.sought.of_mask(int(mask)):
                found.append((rows, np.full(len(rows), back * level)))
    return found


def _pathways(
    part: AskerRegulatory, lists: InvertedLists, cfg: RegulatoryConfig, weight: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Rows naming one of A's pathways (counted once per pathway shared)."""
    gain = weight * cfg.pathway_weight * (cfg.shared_pathway - cfg.no_common_pathway)
    named = lists.pathways.of_mask(int(part.pathways))
    if not named:
        return []
    share = gain / len(named)
    return [(rows, np.full(len(rows), share)) for rows in named]


def _lexical(
    part: TermCounts, table: SideTable, cfg: LexicalConfig, weight: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """BM25 weights of A's rarest terms, read term by term from the side's postings,
    calibrated as the component does (relative to A's self score, up to `ceiling`)."""
    postings = postings_of(table)
    asked = query(part, postings, cfg)
    if not len(asked.ids) or asked.self_score <= 0:
        return []
    rare = np.argsort(-asked.idf, kind="stable")[:LEXICAL_TERMS]
    scale = weight / (asked.self_score * (cfg.ceiling - cfg.floor))
    found = []
    for _, rows, weights in shared_by_term(postings, asked.of(rare), cfg):
        live = rows < len(postings)
        found.append((rows[live], weights[live] * scale))
    return found


__all__ = ["InvertedLists", "estimate", "inverted_lists", "structured_candidates"]
