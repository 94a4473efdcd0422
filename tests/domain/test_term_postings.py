"""The side's term postings are kept write by write (`term_postings`), and every value
read from them is the one a table built fresh over the same rows gives, bit for bit:
shared-term scores over every row and over a subset, in both precisions, document
frequencies and lengths, before and after the postings compact, and through a
snapshot whose postings stay shared after a write."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from matchmaker.domain import term_postings
from matchmaker.domain.components import lexical
from matchmaker.domain.components.base import Rows, ScoreInputs
from matchmaker.domain.components.lexical import LEXICAL, postings_of
from matchmaker.domain.embedding import SentenceTransformerEmbedder
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side_table import SideTable
from tests.domain.conftest import SampleData
from tests.domain.factories import TODAY, make_profile

CONFIG = ScoringConfig()
SETTINGS = CONFIG.of(LEXICAL)
WORDS = """155 mm shells artillery FPV drones thermal cameras armour steel demining flails
    radar AI-450 engines optics sensors jammers UGV tracked platform composite propellant
    снаряди дрони тепловізори броня розмінування двигуни оптика""".split()  # noqa: SIM905


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12)))


def _firm(rng: random.Random, company_id: int) -> CompanyProfile:
    return make_profile(
        id=company_id, name=f"Firm {company_id}", description=_text(rng), offers=_text(rng)
    )


def _fresh(table: SideTable, firms: dict[int, CompanyProfile]) -> SideTable:
    """A table built at once over `table`'s firms, in its row order."""
    fresh = SideTable(CONFIG)
    fresh.append([firms[i] for i in table.ids.tolist()])
    return fresh


def _values(table: SideTable, asker: CompanyProfile, rows: np.ndarray | None, dtype: type):
    part = LEXICAL.encode(asker, SETTINGS)
    return LEXICAL.score(part, Rows(table, rows, dtype), ScoreInputs(TODAY), SETTINGS)


def _assert_alike(table: SideTable, fresh: SideTable, askers: list[CompanyProfile]) -> None:
    rng = random.Random(len(table))
    subset = np.array(sorted(rng.sample(range(len(table)), min(5, len(table)))), np.int64)
    for asker in askers:
        for rows in (None, subset):
            for dtype in (np.float32, np.float64):
                mine, theirs = (_values(t, asker, rows, dtype) for t in (table, fresh))
                assert np.array_equal(mine, theirs, equal_nan=True), (asker.id, rows, dtype)
    kept, built = postings_of(table), postings_of(fresh)
    ids = np.arange(len(lexical.VOCABULARY), dtype=np.int64)
    assert np.array_equal(kept.document_frequency(ids), built.document_frequency(ids))
    assert kept.average_length == built.average_length
    assert np.array_equal(kept.scripts, built.scripts)


@pytest.mark.parametrize("compact_min", [256, 4], ids=["recent segment", "compacting"])
def test_values_after_random_writes_equal_a_fresh_build(
    compact_min: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Appends, edits and removals in random order; after each few, every read equals a
    fresh build's, whether the postings still carry recent rows or have compacted."""
    monkeypatch.setattr(term_postings, "COMPACT_MIN", compact_min)
    rng = random.Random(compact_min)
    firms = {i: _firm(rng, i) for i in range(1, 61)}
    table = SideTable(CONFIG)
    table.append(list(firms.values()))
    askers = [_firm(rng, 1000 + i) for i in range(4)] + [firms[3]]
    next_id = 61
    for step in range(120):
        action = rng.random()
        if action < 0.4 or len(firms) < 10:
            added = [_firm(rng, next_id + k) for k in range(rng.randint(1, 3))]
            next_id += len(added)
            firms |= {f.id: f for f in added}
            table.append(added)
        elif action < 0.7:
            company_id = rng.choice(sorted(firms))
            firms[company_id] = replace(firms[company_id], offers=_text(rng))
            table.overwrite(int(table.rows_of([company_id])[0]), firms[company_id])
        else:
            gone = rng.sample(sorted(firms), rng.randint(1, 3))
            table.remove(gone)
            for company_id in gone:
                del firms[company_id]
        if step % 10 == 9:
            _assert_alike(table, _fresh(table, firms), askers)


@pytest.mark.parametrize("overhead", [-(10**9), 10**9], ids=["rows read", "postings read"])
def test_a_subset_scores_alike_whichever_way_it_is_read(
    overhead: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subset is scored by reading its rows' terms or the query's postings, whichever
    costs less; both give the every-row values of those rows, bit for bit, also while
    recent rows sit in their own segment."""
    monkeypatch.setattr(lexical, "ROW_OVERHEAD", overhead)
    rng = random.Random(7)
    table = SideTable(CONFIG)
    table.append([_firm(rng, i) for i in range(1, 41)])
    postings_of(table)  # compacted: the rows below are recent
    table.append([_firm(rng, i) for i in range(41, 46)])
    table.remove([2, 44])
    subset = np.array([0, 3, 17, 38, len(table) - 1], np.int64)
    for asker in [_firm(rng, 1000 + i) for i in range(6)]:
        every = _values(table, asker, None, np.float64)
        assert np.array_equal(
            _values(table, asker, subset, np.float64), every[subset], equal_nan=True
        )


def test_a_firm_without_words_or_an_empty_side_gets_no_shared_terms() -> None:
    empty = SideTable(CONFIG)
    assert len(_values(empty, _firm(random.Random(1), 5), None, np.float32)) == 0
    table = SideTable(CONFIG)
    table.append([make_profile(id=1, offers="155 mm shells"), make_profile(id=2)])
    silent = make_profile(id=9, offers="", description="")
    assert np.isnan(_values(table, silent, None, np.float32)).all()
    table.remove([1])
    assert np.isnan(_values(table, make_profile(id=8, offers="shells"), None, np.float32)).all()


def _matches(matcher: Matcher, company_id: int) -> list[object]:
    return [
        (s.company.id, s.score, s.components, s.reasons, s.warnings)
        for s in matcher.match_company(company_id, today=TODAY)
    ]


def test_loaded_postings_answer_like_a_fresh_build_after_a_write(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path
) -> None:
    """A matcher loaded from a snapshot and then changed answers as the matcher it was
    saved from, changed the same way."""
    matcher = Matcher(embedder)
    matcher.bulk_load(*sample_data)
    matcher.save(tmp_path, generation=1)
    loaded, _ = Matcher.load(tmp_path, embedder)
    table = max((s.table for s in loaded._sides.values()), key=len)
    gone = int(table.ids[0])
    loaded.remove(gone)
    matcher.remove(gone)
    askers = [i for s in loaded._sides.values() for i in s.table.ids.tolist()][:8]
    for company_id in askers:
        assert _matches(loaded, company_id) == _matches(matcher, company_id)


WORKER = """
import sys
from pathlib import Path
from datetime import date
from matchmaker.domain.components.lexical import postings_of
from matchmaker.domain.embedding import SentenceTransformerEmbedder
from matchmaker.domain.matcher import Matcher
loaded, _ = Matcher.load(Path(sys.argv[1]), SentenceTransformerEmbedder("default"))
table = max((s.table for s in loaded._sides.values()), key=len)
postings = postings_of(table)
mapped = (postings.base.slots, postings.terms(0).ids)
assert not any(a.flags.writeable for a in mapped), "not the file's pages"
loaded.remove(int(table.ids[-1]))
loaded.match_company(int(table.ids[0]), today=date(2025, 6, 1))
assert postings_of(table).base.slots is mapped[0], "rebuilt after one write"
print("shared")
"""


def test_a_worker_reads_the_saved_terms_in_place_and_keeps_them_after_a_write(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path
) -> None:
    """A process that starts from the snapshot (as a worker does) reads its term counts
    and postings from the file's pages, makes no copy of them, and a write does not
    rebuild them."""
    matcher = Matcher(embedder)
    matcher.bulk_load(*sample_data)
    matcher.save(tmp_path, generation=1)
    worker = subprocess.run(
        [sys.executable, "-c", WORKER, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"HF_HUB_OFFLINE": "1"},
    )
    assert worker.returncode == 0 and worker.stdout.strip() == "shared", worker.stderr


def test_saved_postings_that_do_not_fit_their_rows_are_refused() -> None:
    rng = random.Random(3)
    table = SideTable(CONFIG)
    table.append([_firm(rng, i) for i in range(1, 9)])
    saved = postings_of(table).export()
    term_ids = np.arange(len(lexical.VOCABULARY), dtype=np.int64)
    restored = term_postings.TermPostings.from_saved(saved, term_ids)
    assert [restored.terms(r).ids.tolist() for r in range(8)] == [
        postings_of(table).terms(r).ids.tolist() for r in range(8)
    ]
    for torn in (
        saved | {"scripts": saved["scripts"][:-1]},
        saved | {"slots": saved["slots"][:-1]},
        saved | {"indptr": saved["indptr"][:-1]},
    ):
        with pytest.raises(ValueError, match="differ"):
            term_postings.TermPostings.from_saved(torn, term_ids)
    with pytest.raises(ValueError, match="vocabulary"):
        term_postings.TermPostings.from_saved(saved, term_ids[:1])


def test_a_process_numbering_words_otherwise_reads_the_same_terms() -> None:
    """Saved under one numbering of the words, loaded under another: every row's
    terms and every score are the same words and values."""
    rng = random.Random(5)
    table = SideTable(CONFIG)
    table.append([_firm(rng, i) for i in range(1, 13)])
    saved = postings_of(table).export()
    words = len(lexical.VOCABULARY)
    shuffled = np.array(rng.sample(range(words), words), dtype=np.int64)
    inverse = np.argsort(shuffled)  # saved id -> the id it had here
    renumbered = saved | {"ids": inverse[saved["ids"]]}
    restored = term_postings.TermPostings.from_saved(renumbered, shuffled)
    for row in range(len(table)):
        assert sorted(restored.terms(row).ids.tolist()) == sorted(
            postings_of(table).terms(row).ids.tolist()
        )
    asker = LEXICAL.encode(_firm(rng, 99), SETTINGS)
    asked = lexical.query(asker, restored, SETTINGS)
    expected = lexical.shared_sum(
        postings_of(table), lexical.query(asker, postings_of(table), SETTINGS), SETTINGS
    )
    assert np.array_equal(lexical.shared_sum(restored, asked, SETTINGS), expected)
