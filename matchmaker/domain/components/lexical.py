"""Shared terms: BM25 keyword overlap of the two firms' profile texts.

Product words, calibres and designations ("155 mm", "FPV", "Bohdana", "AI-450") are
where partners meet, and a sentence model blurs them: keyword search alone beats
embeddings on real deals. B's document is its description, offer and seek text;
A's query is the same text of A's, each distinct term once. Term weights are BM25's
(k1, b) with the side's own document frequencies, so a term every firm uses counts
little and a designation few firms share counts much.

    value = clip((bm25(A, B) / bm25(A, A) - floor) / (ceiling - floor))

Dividing by A's score against itself (the most any firm could share with A) makes
the value absolute: it does not depend on the other candidates or on how long A's
text is. A firm (or request) with no terms gets NaN: the component does not apply.
Nor does it where the two texts are written in different scripts (a Ukrainian text
and an English one share only designations): the missing overlap is unknown, not a
mismatch. Scored as 0 it pushed every firm writing in the other language down
(measured on the real set, `docs/evaluation.md`).
A side's term postings (`term_postings.TermPostings`) are kept by its table write by
write; a request weights the postings of its own terms with the side's current
document frequencies and lengths, so a write never rebuilds the side's index.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
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
from matchmaker.domain.explanations import explain
from matchmaker.domain.lexical import CYRILLIC, LATIN, first_forms, text_script, tokenize
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.term_postings import TermCounts, TermPostings

# The subset path's cost per row beyond its postings, in postings (a rough allowance
# for gathering each row's span, not tuned): below rows x (postings per row + this),
# reading the rows' terms beats reading every posting of A's terms.
ROW_OVERHEAD = 16


@dataclass(frozen=True)
class LexicalConfig:
    k1: float = 1.2  # BM25 term-frequency saturation
    b: float = 0.75  # BM25 length normalisation
    floor: float = 0.0  # share of A's own score at or below which nothing is shared (0)
    ceiling: float = 0.35  # share from which two profiles share as much as firms do (1)
    reason_above: float = 0.25  # calibrated value from which shared terms are named
    max_terms: int = 5  # shared terms named in a reason


class _Vocabulary:
    """Term -> id, for every term any profile ever had (ids are never reused)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._lock = threading.Lock()

    def ids(self, terms: Sequence[str], *, grow: bool) -> np.ndarray:
        if grow:
            with self._lock:
                for term in terms:
                    if term not in self._ids:
                        self._ids[term] = len(self._terms)
                        self._terms.append(term)
        return np.array([self._ids.get(t, -1) for t in terms], dtype=np.int64)

    def __len__(self) -> int:
        return len(self._terms)

    def term(self, term_id: int) -> str:
        return self._terms[term_id]


VOCABULARY = _Vocabulary()


@lru_cache(maxsize=4096)  # the explanations of a request re-read the same few profiles
def _counts(text: str) -> Counter[str]:
    return Counter(tokenize(text))


def profile_terms(profile: CompanyProfile, *, grow: bool) -> TermCounts:
    text = " ".join((profile.description, profile.offers, profile.seeks))
    if not grow and len(VOCABULARY):
        return _known_terms(text, len(VOCABULARY))
    return _terms(text, grow=grow)


@lru_cache(maxsize=4096)  # keyed by the vocabulary's size: a grown vocabulary recomputes
def _known_terms(text: str, vocabulary_size: int) -> TermCounts:
    return _terms(text, grow=False)


def _terms(text: str, *, grow: bool) -> TermCounts:
    counts = _counts(text)
    words = sorted(counts)
    ids = VOCABULARY.ids(words, grow=grow)
    known = ids >= 0
    values = np.array([counts[w] for w in words], dtype=np.float64)
    script = SCRIPT_CODES.get(text_script(text) or "", 0)
    return TermCounts(ids[known], values[known], script)


SCRIPT_CODES = {LATIN: 1, CYRILLIC: 2}
SCRIPT_NAMES = {code: name for name, code in SCRIPT_CODES.items()}

TERMS = Column(
    "lexical.terms", object, "the profile's term counts (held by TermPostings)", index=TermPostings
)


def vocabulary_terms(term_ids: np.ndarray) -> list[str]:
    """The words of this process's term ids (to save with ids that use them)."""
    return [VOCABULARY.term(i) for i in term_ids.tolist()]


def vocabulary_ids(terms: Sequence[str]) -> np.ndarray:
    """This process's id of each saved word, adding the ones it does not know yet in
    the order given (saved in id order, so their relative order, which breaks idf ties
    in the words shown, is kept)."""
    return VOCABULARY.ids(terms, grow=True)


def postings_of(table: Any) -> TermPostings:
    """The side's term postings (kept by its table), ready to read."""
    postings: TermPostings = table.index(TERMS.name)
    return postings


def idf(document_frequency: np.ndarray, size: int) -> np.ndarray:
    """BM25's (Lucene's) inverse document frequency: always above 0."""
    return np.log1p((size - document_frequency + 0.5) / (document_frequency + 0.5))


def term_weight(scale: Any, counts: np.ndarray, norm: Any) -> np.ndarray:
    """BM25's weight of a term found `counts` times in a text of length normalisation
    `norm`, `scale` being the term's idf (k1 + 1) in double precision. The one expression
    every path uses, so that equal inputs give equal bits."""
    weight: np.ndarray = counts * scale / (counts + norm)
    return weight


@dataclass(frozen=True)
class Query:
    """A's terms that some firm of the side holds, their idf and BM25 scale (idf (k1 + 1)),
    and bm25(A, A) over them: the most a firm could share with A."""

    ids: np.ndarray
    idf: np.ndarray
    scale: np.ndarray
    self_score: float

    def of(self, chosen: np.ndarray) -> Query:
        """The same query over some of its terms (positions `chosen`)."""
        return Query(self.ids[chosen], self.idf[chosen], self.scale[chosen], self.self_score)


def query(part: TermCounts, postings: TermPostings, cfg: LexicalConfig) -> Query:
    frequency = postings.document_frequency(part.ids)
    known = frequency > 0
    rarity = idf(frequency[known].astype(np.float64), len(postings))
    scale = rarity * (cfg.k1 + 1)
    norm = cfg.k1 * (1 - cfg.b + cfg.b * part.length / postings.average_length)
    gain = term_weight(scale, part.counts[known], norm)
    return Query(part.ids[known], rarity, scale, float(gain.sum()))


def shared_by_term(
    postings: TermPostings, asked: Query, cfg: LexicalConfig
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(position in `asked.ids`, rows, BM25 weights) of the postings of each of A's terms,
    in `TermPostings.each_term`'s order (dead postings on row `len(postings)`)."""
    norms = postings.norms(cfg.k1, cfg.b)
    for k, rows, counts in postings.each_term(asked.ids):
        yield k, rows, term_weight(asked.scale[k], counts, norms[rows])


def shared_sum(postings: TermPostings, asked: Query, cfg: LexicalConfig) -> np.ndarray:
    """bm25(A, B) for every row B: its weights summed in the order of A's terms.

    All of A's postings are weighted at once and summed by one `bincount`, which adds
    them in the order given, so each row's weights are added term by term exactly as
    `shared_by_term` yields them (twice as fast as a pass per term at 100k firms, with
    the same bits). Dead postings land in the bin past the end, which is dropped."""
    spans = list(postings.each_term(asked.ids))
    if not spans:
        return np.zeros(len(postings))
    rows = np.concatenate([rows for _, rows, _ in spans])
    counts = np.concatenate([counts for _, _, counts in spans])
    scale = np.repeat(asked.scale[[k for k, _, _ in spans]], [len(r) for _, r, _ in spans])
    weights = term_weight(scale, counts, postings.norms(cfg.k1, cfg.b)[rows])
    return np.bincount(rows, weights, minlength=len(postings) + 1)[:-1]


class Lexical:
    """Shared terms: BM25 overlap of the two profiles' words, relative to what A shares
    with itself; names the shared product words and designations."""

    name = "lexical"
    label = N_("Shared terms")
    default_weight = 0.298  # fitted on the real set: see FITTED_ON in components/__init__.py
    config_type = LexicalConfig
    columns: tuple[Column, ...] = (TERMS,)
    compares_text = True
    cosines: frozenset[str] = frozenset()

    def facts(self, b: CompanyProfile, cfg: LexicalConfig) -> Mapping[str, Any]:
        return {TERMS.name: profile_terms(b, grow=True)}

    def encode(self, a: CompanyProfile, cfg: LexicalConfig) -> TermCounts:
        return profile_terms(a, grow=False)

    def score(
        self, part: TermCounts, rows: Rows, inputs: ScoreInputs, cfg: LexicalConfig
    ) -> np.ndarray:
        postings = postings_of(rows.table)
        asked = query(part, postings, cfg)
        if not len(asked.ids) or asked.self_score <= 0:
            return rows.full(np.nan)
        shared = _shared(rows.rows, asked, postings, cfg)
        value = _calibrated(shared, asked, cfg, rows.dtype)
        if part.script:
            scripts = rows.pick(postings.scripts)
            value[(scripts != part.script) & (scripts != 0)] = np.nan
        return value

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: LexicalConfig
    ) -> Explained:
        value = inputs.values.get(self.name, float("nan"))
        mine, theirs = profile_terms(a, grow=False), _stored_terms(b, inputs)
        if _scripts_differ(mine, theirs) or not value >= cfg.reason_above:  # NaN: does not apply
            return Explained()
        words = _rarest_shared(mine, theirs, inputs, cfg)
        if not words:
            return Explained()
        words = _as_written(words, (b.description, b.offers, b.seeks))
        return Explained((explain("shared_terms", firm=a.name, other=b.name, terms=words),))

    def rules(self, cfg: LexicalConfig) -> Sequence[RuleDoc]:
        return (
            RuleDoc(
                "bm25",
                "BM25 of A's terms in B's profile text (description, offer, seek), divided "
                "by A's score against itself, mapped onto [0, 1] between floor and ceiling; "
                "does not apply where the two texts are written in different scripts.",
                {"k1": cfg.k1, "b": cfg.b, "floor": cfg.floor, "ceiling": cfg.ceiling},
            ),
        )


class LexicalAcross(Lexical):
    """Shared terms across languages: the same BM25 overlap where the two texts are
    written in different scripts, on the words the glossary gives in English.

    Kept apart from `Lexical` because the overlap means less across languages: the
    glossary translates the field's words, not every word, so the value is lower and
    noisier for the same fit, and it earns its own (smaller) fitted weight. Reads the
    postings `Lexical` keeps; scores only the rows in the other script.
    """

    name = "lexical_across"
    label = N_("Shared terms across languages")
    default_weight = 0.091  # fitted on the real set: see FITTED_ON in components/__init__.py
    columns: tuple[Column, ...] = ()

    def facts(self, b: CompanyProfile, cfg: LexicalConfig) -> Mapping[str, Any]:
        return {}

    def score(
        self, part: TermCounts, rows: Rows, inputs: ScoreInputs, cfg: LexicalConfig
    ) -> np.ndarray:
        value = rows.full(np.nan)
        if not part.script:
            return value
        postings = postings_of(rows.table)
        scripts = rows.pick(postings.scripts)
        other = np.flatnonzero((scripts != part.script) & (scripts != 0))
        asked = query(part, postings, cfg) if len(other) else None
        if asked is None or not len(asked.ids) or asked.self_score <= 0:
            return value
        table_rows = other if rows.rows is None else rows.rows[other]
        shared = _shared(table_rows, asked, postings, cfg)
        value[other] = _calibrated(shared, asked, cfg, rows.dtype)
        return value

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: LexicalConfig
    ) -> Explained:
        mine, theirs = profile_terms(a, grow=False), _stored_terms(b, inputs)
        if not _scripts_differ(mine, theirs):
            return Explained()
        warning = (explain("languages_differ", firm=a.name, other=b.name),)
        value = inputs.values.get(self.name, float("nan"))
        words = _rarest_shared(mine, theirs, inputs, cfg) if value >= cfg.reason_above else []
        if not words:
            return Explained(warnings=warning)
        theirs_written = _as_written(words, (b.description, b.offers, b.seeks))
        mine_written = _as_written(words, (a.description, a.offers, a.seeks))
        shown = [
            m if m == t else f"{m} ({t})" for m, t in zip(mine_written, theirs_written, strict=True)
        ]
        reason = explain("shared_terms_across", firm=a.name, other=b.name, terms=shown)
        return Explained((reason,), warning)

    def rules(self, cfg: LexicalConfig) -> Sequence[RuleDoc]:
        return (
            RuleDoc(
                "bm25_across",
                "As shared terms, but only where the two texts are written in different "
                "scripts: Ukrainian words the glossary knows count as their English terms.",
                {"k1": cfg.k1, "b": cfg.b, "floor": cfg.floor, "ceiling": cfg.ceiling},
            ),
        )


def _calibrated(shared: np.ndarray, asked: Query, cfg: LexicalConfig, dtype: type) -> np.ndarray:
    """bm25(A, B) as a share of A's self score, mapped from [floor, ceiling] onto [0, 1]."""
    value: np.ndarray = shared.astype(dtype) / asked.self_score
    value -= cfg.floor
    value /= cfg.ceiling - cfg.floor
    return clip(value)


def _scripts_differ(mine: TermCounts, theirs: TermCounts) -> bool:
    return bool(mine.script and theirs.script and mine.script != theirs.script)


def _rarest_shared(
    mine: TermCounts, theirs: TermCounts, inputs: PairInputs, cfg: LexicalConfig
) -> list[str]:
    """Up to `max_terms` terms both texts hold, rarest on B's side first, as shown."""
    if inputs.table is None:
        return []
    postings = postings_of(inputs.table)
    # sorted(set & set) is intersect1d's answer at a fraction of its cost on ~50 ids
    common = np.array(sorted(set(mine.ids.tolist()) & set(theirs.ids.tolist())), np.int64)
    if not len(common):
        return []
    rarity = idf(postings.document_frequency(common).astype(np.float64), len(postings))
    # Ties by the term itself, not its id: ids follow the order a process first saw each
    # term, so workers with different histories would name different terms for one pair.
    order = sorted(range(len(common)), key=lambda k: (-rarity[k], VOCABULARY.term(int(common[k]))))
    return _display([int(common[k]) for k in order[: cfg.max_terms * 2]])[: cfg.max_terms]


def _shared(
    rows: np.ndarray | None, asked: Query, postings: TermPostings, cfg: LexicalConfig
) -> np.ndarray:
    """bm25(A, B) for each of `rows` (None: every row), by whichever path reads fewer
    postings: the rows' own terms, or every posting of A's terms (the same bits)."""
    per_row = postings.postings_per_row + ROW_OVERHEAD
    if rows is not None and len(rows) * per_row < postings.posting_count(asked.ids):
        return _shared_in_rows(rows, asked, postings, cfg)
    every = shared_sum(postings, asked, cfg)
    return every if rows is None else every[rows]


def _shared_in_rows(
    rows: np.ndarray, asked: Query, postings: TermPostings, cfg: LexicalConfig
) -> np.ndarray:
    """For each of `rows`, the sum of its BM25 weights over A's terms: what the every-row
    sum gives for these rows, bit for bit (the same weights added in the same order: a
    row's terms in the order of `asked.ids`), reading only these rows' terms instead of
    every posting of A's terms."""
    terms = postings.terms_of(rows)
    if not len(terms.ids):
        return np.zeros(len(rows))
    position = np.full(max(int(terms.ids.max()), int(asked.ids.max(initial=0))) + 1, -1)
    position[asked.ids] = np.arange(len(asked.ids))
    where = position[terms.ids]
    hit = np.flatnonzero(where >= 0)
    hit = hit[np.argsort(where[hit], kind="stable")]
    owner = terms.owners[hit]
    norms = postings.norms(cfg.k1, cfg.b)[rows]
    weights = term_weight(asked.scale[where[hit]], terms.counts[hit], norms[owner])
    return np.bincount(owner, weights=weights, minlength=len(rows))


def _stored_row(b: CompanyProfile, inputs: PairInputs) -> int | None:
    """B's row in the table the inputs name, if that row holds B."""
    table, row = inputs.table, inputs.table_row
    if table is not None and row is not None and int(table.ids[row]) == b.id:
        return row
    return None


def _stored_terms(b: CompanyProfile, inputs: PairInputs) -> TermCounts:
    """B's term counts as its table row stores them (equal to `profile_terms(b)`: the
    vocabulary never forgets a term), else tokenised now."""
    row = _stored_row(b, inputs)
    if row is not None:
        return postings_of(inputs.table).terms(row)
    return profile_terms(b, grow=False)


def stored_script(b: CompanyProfile, inputs: PairInputs) -> str | None:
    """The script of B's text (`text_script` of its description, offer and seek) as its
    table row stores it, else read now."""
    row = _stored_row(b, inputs)
    if row is not None:
        return SCRIPT_NAMES.get(int(postings_of(inputs.table).scripts[row]))
    return text_script(" ".join((b.description, b.offers, b.seeks)))


def _as_written(terms: list[str], parts: Sequence[str]) -> list[str]:
    """Each term as first written in the parts of a text, as `surface_forms` of the parts
    joined by spaces gives it, reading the text only until every term is found."""
    found = first_forms(" ".join(parts), terms)
    return [found.get(t, t) for t in terms]


def _display(term_ids: list[int]) -> list[str]:
    """Terms as shown: a compound beats its own parts ("155-mm", not "155" and "mm")."""
    words = [VOCABULARY.term(i) for i in term_ids]
    compounds = [w for w in words if "-" in w]
    parts = {p for w in compounds for p in w.split("-")}
    return [w for w in words if w in compounds or w not in parts]


LEXICAL = Lexical()
LEXICAL_ACROSS = LexicalAcross()
