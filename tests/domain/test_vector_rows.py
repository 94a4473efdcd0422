"""VectorRows (the exact index's storage) and the side's swap-with-last alignment."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from matchmaker.domain.index import VectorIndex
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side import IndexSpec, SideIndexes
from matchmaker.domain.vector_rows import VectorRows
from tests.domain.factories import make_profile

DIM = 16


def unit(n: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def check_against(store: VectorRows, reference: dict[int, np.ndarray]) -> None:
    assert len(store) == len(reference)
    assert sorted(store.ids.tolist()) == sorted(reference)
    for row, company_id in enumerate(store.ids.tolist()):
        assert store.row_of(company_id) == row
        np.testing.assert_array_equal(store.matrix[row], reference[company_id])


def test_random_upserts_and_removals_match_a_dict() -> None:
    """Over random add/upsert/remove sequences the ids, rows and vectors stay those of a
    plain dict, and the reported moves are last-row-into-gap."""
    rng = np.random.default_rng(7)
    store, reference = VectorRows(DIM), {}
    for step in range(400):
        ids = rng.choice(60, size=int(rng.integers(1, 5)), replace=False).astype(np.int64)
        if rng.random() < 0.6:
            vectors = unit(len(ids), step)
            store.upsert(ids, vectors)
            reference.update(zip(ids.tolist(), vectors, strict=True))
        else:
            size = len(store)
            moves = store.remove(ids)
            for company_id in ids.tolist():
                reference.pop(company_id, None)
            assert all(to < frm for frm, to in moves) and len(store) <= size
        check_against(store, reference)


def test_remove_last_only_and_re_add() -> None:
    store = VectorRows(DIM)
    vectors = unit(3, 1)
    store.upsert(np.array([5, 6, 7]), vectors)
    assert store.remove(np.array([7])) == []  # the last row: nothing moves
    assert store.ids.tolist() == [5, 6]
    assert store.remove(np.array([5])) == [(1, 0)]
    assert store.ids.tolist() == [6]
    np.testing.assert_array_equal(store.matrix[0], vectors[1])
    assert store.remove(np.array([6])) == [] and len(store) == 0 and 6 not in store
    store.upsert(np.array([6]), vectors[2:])
    assert store.ids.tolist() == [6] and store.row_of(6) == 0
    np.testing.assert_array_equal(store.vectors(np.array([6]))[0], vectors[2])


def test_scan_and_search_equal_a_numpy_reference() -> None:
    vectors = unit(300, 2)
    ids = np.arange(300, dtype=np.int64) * 3
    store = VectorRows(DIM)
    store.upsert(ids, vectors)
    query = unit(1, 3)[0]
    reference = vectors.astype(np.float64) @ query.astype(np.float64)
    np.testing.assert_allclose(store.scan(query), reference, atol=1e-5)
    rows = np.array([4, 1, 299])
    np.testing.assert_array_equal(store.scan(query, rows), store.scan(query)[rows])
    found, scores = store.search(query, 10)
    assert found.tolist() == ids[np.argsort(-reference, kind="stable")[:10]].tolist()
    allowed = ids[::7]
    found, _ = store.search(query, 5, allowed)
    within = reference[::7]
    assert found.tolist() == allowed[np.argsort(-within, kind="stable")[:5]].tolist()


def test_ties_are_settled_by_id_whatever_the_row_order() -> None:
    store = VectorRows(DIM)
    same = np.tile(unit(1, 4), (6, 1))
    store.upsert(np.array([50, 10, 40, 20, 30, 60]), same)
    store.remove(np.array([10]))  # moves 60 into row 1
    found, _ = store.search(same[0], 3)
    assert found.tolist() == [20, 30, 40]


def test_adopted_memmap_is_never_written(tmp_path: Path) -> None:
    """A read-only memory map is scanned in place; the first change copies it."""
    path = tmp_path / "vectors.f32"
    vectors = unit(50, 5)
    vectors.tofile(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    mapped = np.memmap(path, dtype=np.float32, mode="r", shape=(50, DIM))
    ids = np.arange(50, dtype=np.int64)
    store = VectorRows.adopt(ids, mapped)
    assert not store.owned and np.shares_memory(store.matrix, mapped)
    query = vectors[3]
    np.testing.assert_array_equal(store.scan(query), VectorRows.adopt(ids, vectors).scan(query))
    store.remove(np.array([0]))
    assert store.owned and not np.shares_memory(store.matrix, mapped)
    store.upsert(np.array([7]), unit(1, 6))
    store.overwrite(store.row_of(8), 8, unit(1, 7)[0])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    np.testing.assert_array_equal(np.asarray(mapped), vectors)
    assert store.ids[0] == 49 and len(store) == 49


def test_index_from_arrays_adopts_the_saved_vectors() -> None:
    vectors = unit(20, 8)
    saved = VectorIndex.build(np.arange(20), vectors, model_name="m").to_arrays()
    loaded = VectorIndex.from_arrays(saved)
    assert np.shares_memory(loaded._backend.rows.matrix, saved["vectors"])  # type: ignore[union-attr]
    loaded.remove([0])
    assert not np.shares_memory(loaded._backend.rows.matrix, saved["vectors"])  # type: ignore[union-attr]
    np.testing.assert_array_equal(saved["vectors"], vectors)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_side_stays_aligned_over_random_changes(kind: str) -> None:
    """Offer index, seek index and fact table hold the same firm on every row (exact),
    and every firm's vectors and facts are its own, after random adds, edits, removals."""
    config = ScoringConfig()
    side = SideIndexes.empty(IndexSpec(DIM, "m", kind), config)
    rng = np.random.default_rng(11)
    held: dict[int, tuple[np.ndarray, np.ndarray, str]] = {}
    for step in range(150):
        company_id = int(rng.integers(1, 40))
        if company_id in held and rng.random() < 0.4:
            side.discard(make_profile(id=company_id, side="EU"))
            del held[company_id]
        else:
            offer, seek = unit(2, step)
            country = ["DE", "PL", "FR"][step % 3]
            side.add(make_profile(id=company_id, side="EU", country=country), offer, seek)
            held[company_id] = (offer, seek, country)
        table_ids = side.table.ids.tolist()
        assert sorted(table_ids) == sorted(held)
        if kind == "flat":
            assert side.offers.ids().tolist() == table_ids == side.seeks.ids().tolist()
        for row, cid in enumerate(table_ids):
            assert side.table.rows_of([cid]).tolist() == [row]
            offer, seek, country = held[cid]
            np.testing.assert_array_equal(side.offers.vector(cid), offer)
            np.testing.assert_array_equal(side.seeks.vector(cid), seek)
            code = side.table.country_code(country)
            assert side.table.column("country")[row] == code
    if kind == "flat" and len(side.table):
        query = unit(1, 99)[0]
        expected = np.array([float(held[c][0] @ query) for c in side.table.ids.tolist()])
        np.testing.assert_allclose(side.offers.scan(query), expected, atol=1e-5)
