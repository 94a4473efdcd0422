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
The term index of a side is built from the stored term counts once per change of the
side (`Rows.cached`), in vectorised numpy.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse

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
from matchmaker.domain.lexical import CYRILLIC, LATIN, surface_forms, text_script, tokenize
from matchmaker.domain.profile import CompanyProfile


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


@dataclass(frozen=True, eq=False)
class TermCounts:
    """One profile's distinct term ids and their counts (an object column's cell)."""

    ids: np.ndarray  # int64
    counts: np.ndarray  # float64
    script: int = 0  # SCRIPT_CODES of the text's script; 0: no letters

    @property
    def length(self) -> float:
        return float(self.counts.sum())


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

TERMS = Column("lexical.terms", object, "the profile's term counts (TermCounts)")


def terms_to_arrays(cells: Sequence[TermCounts]) -> dict[str, np.ndarray]:
    """A column of term counts as flat arrays (CSR: row i holds ids[indptr[i]:indptr[i+1]]),
    ids in this process's vocabulary: for snapshots, so loading never tokenises."""
    lengths = np.fromiter((len(c.ids) for c in cells), dtype=np.int64, count=len(cells))
    indptr = np.zeros(len(cells) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    ids = np.concatenate([c.ids for c in cells]) if cells else np.zeros(0, np.int64)
    counts = np.concatenate([c.counts for c in cells]) if cells else np.zeros(0)
    scripts = np.fromiter((c.script for c in cells), dtype=np.uint8, count=len(cells))
    return {"indptr": indptr, "ids": ids.astype(np.int64), "counts": counts, "scripts": scripts}


def terms_from_arrays(arrays: Mapping[str, np.ndarray], term_ids: np.ndarray) -> np.ndarray:
    """Inverse of `terms_to_arrays` (an object column), with `term_ids` mapping the saved
    ids to this process's (`vocabulary_ids`). A row's ids keep their saved order.

    In a worker that starts from the snapshot its vocabulary is the saved one, id for
    id, so the cells are views of the saved (memory-mapped, shared) arrays rather than
    copies: at 100k firms the copies were ~66 MB per worker."""
    indptr, scripts = arrays["indptr"], arrays["scripts"]
    saved = np.asarray(arrays["ids"], dtype=np.int64)
    identity = np.array_equal(term_ids, np.arange(len(term_ids), dtype=term_ids.dtype))
    ids = saved if identity or not len(saved) else term_ids[saved]
    counts = np.asarray(arrays["counts"], dtype=np.float64)
    bounds = indptr.tolist()
    cells = np.empty(len(scripts), dtype=object)
    cells[:] = [
        TermCounts(ids[start:end], counts[start:end], script)
        for start, end, script in zip(bounds[:-1], bounds[1:], scripts.tolist(), strict=True)
    ]
    return cells


def vocabulary_terms(term_ids: np.ndarray) -> list[str]:
    """The words of this process's term ids (to save with ids that use them)."""
    return [VOCABULARY.term(i) for i in term_ids.tolist()]


def vocabulary_ids(terms: Sequence[str]) -> np.ndarray:
    """This process's id of each saved word, adding the ones it does not know yet in
    the order given (saved in id order, so their relative order, which breaks idf ties
    in the words shown, is kept)."""
    return VOCABULARY.ids(terms, grow=True)


@dataclass(frozen=True)
class TermIndex:
    """BM25 weights of one side: (rows x terms) in CSC form, and each term's idf."""

    weights: sparse.csc_matrix
    idf: np.ndarray
    average_length: float
    scripts: np.ndarray  # uint8 per row: the script code of each profile's text


def build_index(table: Any, cfg: LexicalConfig) -> TermIndex:
    cells: list[TermCounts] = list(table.column(TERMS.name))
    size, vocabulary = len(cells), max(len(VOCABULARY), 1)
    per_row = np.array([len(c.ids) for c in cells], dtype=np.int64)
    term_ids = np.concatenate([c.ids for c in cells]) if size else np.zeros(0, np.int64)
    counts = np.concatenate([c.counts for c in cells]) if size else np.zeros(0)
    row_of = np.repeat(np.arange(size), per_row)
    # Whole-number counts add up exactly in any order: the same lengths as summing each
    # row (`TermCounts.length`), without a numpy call per row (a third of a rebuild).
    lengths = np.bincount(row_of, weights=counts, minlength=size)
    document_frequency = np.bincount(term_ids, minlength=vocabulary).astype(np.float64)
    idf = np.log1p((size - document_frequency + 0.5) / (document_frequency + 0.5))
    average = float(lengths.mean()) if size and lengths.mean() > 0 else 1.0
    norm = cfg.k1 * (1 - cfg.b + cfg.b * lengths[row_of] / average)
    values = idf[term_ids] * counts * (cfg.k1 + 1) / (counts + norm)
    matrix = sparse.csc_matrix((values, (row_of, term_ids)), shape=(size, vocabulary))
    scripts = np.array([c.script for c in cells], dtype=np.uint8)
    return TermIndex(matrix, idf, average, scripts)


def _self_score(query: TermCounts, index: TermIndex, cfg: LexicalConfig) -> float:
    """bm25(A, A) over the terms the side knows: the most a firm could share with A."""
    inside = query.ids < len(index.idf)
    ids, counts = query.ids[inside], query.counts[inside]
    known = index.weights.indptr[ids + 1] > index.weights.indptr[ids]  # some firm has it
    norm = cfg.k1 * (1 - cfg.b + cfg.b * query.length / index.average_length)
    gain = index.idf[ids] * counts * (cfg.k1 + 1) / (counts + norm)
    return float(gain[known].sum())


class Lexical:
    """Shared terms: BM25 overlap of the two profiles' words, relative to what A shares
    with itself; names the shared product words and designations."""

    name = "lexical"
    label = N_("Shared terms")
    default_weight = 0.325  # fitted on the real set: see FITTED_ON in components/__init__.py
    config_type = LexicalConfig
    columns = (TERMS,)
    compares_text = True
    cosines: frozenset[str] = frozenset()

    def facts(self, b: CompanyProfile, cfg: LexicalConfig) -> Mapping[str, Any]:
        return {TERMS.name: profile_terms(b, grow=True)}

    def encode(self, a: CompanyProfile, cfg: LexicalConfig) -> TermCounts:
        return profile_terms(a, grow=False)

    def score(
        self, part: TermCounts, rows: Rows, inputs: ScoreInputs, cfg: LexicalConfig
    ) -> np.ndarray:
        index: TermIndex = rows.cached(("lexical", id(cfg)), lambda t: build_index(t, cfg))
        ids = part.ids[part.ids < index.weights.shape[1]]
        best = _self_score(part, index, cfg)
        if not len(ids) or best <= 0:
            return rows.full(np.nan)
        if rows.rows is not None and 4 * len(rows.rows) < len(rows.table):
            by_row = rows.cached(("lexical.rows", id(cfg)), lambda t: index.weights.tocsr())
            shared = _shared_in_rows(by_row, rows.rows, ids)
        else:
            shared = rows.pick(np.asarray(index.weights[:, ids].sum(axis=1)).ravel())
        value = shared.astype(rows.dtype) / best
        value -= cfg.floor
        value /= cfg.ceiling - cfg.floor
        value = clip(value)
        if part.script:
            scripts = rows.pick(index.scripts)
            value[(scripts != part.script) & (scripts != 0)] = np.nan
        return value

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: LexicalConfig
    ) -> Explained:
        value = inputs.values.get(self.name, float("nan"))
        mine, theirs = profile_terms(a, grow=False), _stored_terms(b, inputs)
        if mine.script and theirs.script and mine.script != theirs.script:
            return Explained(warnings=(explain("languages_differ", firm=a.name, other=b.name),))
        if not value >= cfg.reason_above or inputs.table is None:  # NaN: does not apply
            return Explained()
        idf = inputs.table.derived(("lexical", id(cfg)), lambda t: build_index(t, cfg)).idf
        # sorted(set & set) is intersect1d's answer at a fraction of its cost on ~50 ids
        common = [
            i for i in sorted(set(mine.ids.tolist()) & set(theirs.ids.tolist())) if i < len(idf)
        ]
        if not common:
            return Explained()
        words = _display(sorted(common, key=lambda i: (-idf[i], i))[: cfg.max_terms * 2])
        words = _as_written(words[: cfg.max_terms], (b.description, b.offers, b.seeks))
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


def _shared_in_rows(by_row: sparse.csr_matrix, rows: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """For each of `rows`, the sum of its weights over the terms `ids`: what summing the
    column slice `weights[:, ids]` over every row gives for these rows, bit for bit (the
    same additions in the same order: a row's terms in the order of `ids`), at the cost
    of these rows' terms instead of every row holding one of `ids`."""
    position = np.full(by_row.shape[1], -1, dtype=np.int64)
    position[ids] = np.arange(len(ids))
    starts = by_row.indptr[rows]
    lengths = by_row.indptr[rows + 1] - starts
    owner = np.repeat(np.arange(len(rows)), lengths)
    cells = np.arange(int(lengths.sum())) + np.repeat(
        starts - (np.cumsum(lengths) - lengths), lengths
    )
    where = position[by_row.indices[cells]]
    hit = np.flatnonzero(where >= 0)
    hit = hit[np.argsort(where[hit], kind="stable")]
    return np.bincount(owner[hit], weights=by_row.data[cells[hit]], minlength=len(rows))


def _stored_terms(b: CompanyProfile, inputs: PairInputs) -> TermCounts:
    """B's term counts as its table row stores them (equal to `profile_terms(b)`: the
    vocabulary never forgets a term), else tokenised now."""
    table, row = inputs.table, inputs.table_row
    if table is not None and row is not None and int(table.ids[row]) == b.id:
        stored: TermCounts = table.column(TERMS.name)[row]
        return stored
    return profile_terms(b, grow=False)


def _as_written(terms: list[str], parts: Sequence[str]) -> list[str]:
    """Each term as first written in the parts of a text, as `surface_forms` of the parts
    joined by spaces gives it, reading only as many parts as it takes to find every term.
    Exact: no term spans the space between two parts, and a compound's term (hyphened)
    is never a plain word's, so the first part holding a term holds its first form."""
    found: dict[str, str] = {}
    for part in parts:
        if len(found) == len(terms):
            break
        forms = _forms(part)
        found.update((t, forms[t]) for t in terms if t not in found and t in forms)
    return [found.get(t, t) for t in terms]


@lru_cache(maxsize=4096)  # the same partners come up for many askers
def _forms(text: str) -> Mapping[str, str]:
    return surface_forms(text)


def _display(term_ids: list[int]) -> list[str]:
    """Terms as shown: a compound beats its own parts ("155-mm", not "155" and "mm")."""
    words = [VOCABULARY.term(i) for i in term_ids]
    compounds = [w for w in words if "-" in w]
    parts = {p for w in compounds for p in w.split("-")}
    return [w for w in words if w in compounds or w not in parts]


LEXICAL = Lexical()
