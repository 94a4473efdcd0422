"""VectorIndex: upsert, remove, search, filters, save/load, atomicity, both kinds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from matchmaker.domain.errors import IndexFileError, ModelMismatchError
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.npzfile import from_json_array, json_array

DIM = 32
KINDS = ["flat", "hnsw"]


def unit(n: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def filled(kind: str, n: int = 60, **params: object) -> tuple[VectorIndex, np.ndarray]:
    vectors = unit(n)
    hnsw = HnswParams(**params) if params else None  # type: ignore[arg-type]
    return VectorIndex.build(
        np.arange(n) * 10, vectors, kind=kind, model_name="m", hnsw=hnsw
    ), vectors


@pytest.mark.parametrize("kind", KINDS)
def test_search_finds_each_vector_first(kind: str) -> None:
    """Every stored vector is its own nearest neighbour, with cosine ~1."""
    index, vectors = filled(kind)
    results = index.search(vectors, 3)
    assert [int(ids[0]) for ids, _ in results] == list(range(0, 600, 10))
    assert all(scores[0] == pytest.approx(1.0, abs=1e-5) for _, scores in results)


@pytest.mark.parametrize("kind", KINDS)
def test_add_replaces_existing_ids(kind: str) -> None:
    """Adding an existing id replaces its vector instead of duplicating it."""
    index, _ = filled(kind)
    new = unit(1, seed=99)
    index.add([30], new)
    assert len(index) == 60
    np.testing.assert_allclose(index.vector(30), new[0])
    ids, _ = index.search(new, 5)[0]
    assert ids[0] == 30 and list(ids).count(30) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_remove_in_batch(kind: str) -> None:
    """Removed ids disappear from membership and results; unknown ids are ignored."""
    index, vectors = filled(kind)
    assert index.remove([0, 10, 12345]) == 2
    assert 0 not in index and 10 not in index and 20 in index and len(index) == 58
    for ids, _ in index.search(vectors[:2], 60):
        assert not {0, 10} & set(ids.tolist())
    with pytest.raises(KeyError):
        index.vector(0)


@pytest.mark.parametrize("kind", KINDS)
def test_search_skips_missing_results(kind: str) -> None:
    """Asking for more neighbours than stored returns only real ids (no -1)."""
    index, vectors = filled(kind, n=5)
    ids, scores = index.search(vectors[0], 50)[0]
    assert sorted(ids.tolist()) == [0, 10, 20, 30, 40] and len(scores) == 5


@pytest.mark.parametrize("kind", KINDS)
def test_search_within_allowed_ids(kind: str) -> None:
    """A filter limits results to the allowed ids, large or small."""
    index, vectors = filled(kind, n=200)
    small = {10, 20, 30}
    large = set(range(0, 2000, 20))
    assert set(index.search(vectors[0], 10, allowed_ids=small)[0][0].tolist()) == small
    found = index.search(vectors[0], 10, allowed_ids=large)[0][0].tolist()
    assert len(found) == 10 and set(found) <= large and found[0] == 0


def test_hnsw_tombstones_trigger_a_rebuild() -> None:
    """HNSW hides removed vectors and rebuilds once tombstones pass the configured ratio."""
    index, vectors = filled("hnsw", n=100, max_tombstone_ratio=0.1)
    index.remove([0, 10, 20, 30, 40])
    backend = index._backend
    assert backend.tombstones == 5  # type: ignore[union-attr]
    assert 0 not in index.search(vectors[0], 5)[0][0].tolist()
    index.remove([50, 60, 70, 80, 90, 100])
    assert backend.tombstones == 0 and len(index) == 89  # type: ignore[union-attr]
    assert index.search(vectors[11], 1)[0][0].tolist() == [110]


@pytest.mark.parametrize("kind", KINDS)
def test_save_load_round_trip(kind: str, tmp_path: Path) -> None:
    """A saved index loads with the same ids, vectors, results, model and generation."""
    index, vectors = filled(kind)
    index.remove([20])
    index.generation = 7
    path = tmp_path / "offers.npz"
    index.save(path)
    loaded = VectorIndex.load(path, dimension=DIM, model_name="m")
    assert (loaded.kind, loaded.generation, loaded.model_name, len(loaded)) == (kind, 7, "m", 59)
    assert sorted(loaded.ids().tolist()) == sorted(index.ids().tolist())
    np.testing.assert_array_equal(loaded.vectors([10, 30]), index.vectors([10, 30]))
    assert loaded.search(vectors[5], 5)[0][0].tolist() == index.search(vectors[5], 5)[0][0].tolist()


def test_load_refuses_another_model_or_dimension(tmp_path: Path) -> None:
    """Loading an index made by another model fails with the rebuild command in the message."""
    index, _ = filled("flat")
    index.save(tmp_path / "i.npz")
    with pytest.raises(ModelMismatchError, match="flask index rebuild"):
        VectorIndex.load(tmp_path / "i.npz", model_name="other-model")
    with pytest.raises(ModelMismatchError, match="dimension"):
        VectorIndex.load(tmp_path / "i.npz", dimension=384)


def test_vectors_of_the_wrong_dimension_are_refused() -> None:
    """Adding or searching with vectors of another dimension raises ModelMismatchError."""
    index, _ = filled("flat")
    with pytest.raises(ModelMismatchError):
        index.add([1], np.ones((1, DIM + 1), dtype=np.float32))
    with pytest.raises(ModelMismatchError):
        index.search(np.ones(DIM * 2, dtype=np.float32), 3)


def test_save_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that fails midway leaves the previous file intact and no temp file behind."""
    index, _ = filled("flat")
    path = tmp_path / "offers.npz"
    index.save(path)
    before = path.read_bytes()

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    index.remove([0])
    with pytest.raises(OSError, match="disk full"):
        index.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["offers.npz"]


def test_truncated_file_is_reported(tmp_path: Path) -> None:
    """A torn or foreign file raises IndexFileError naming the fix."""
    path = tmp_path / "bad.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(IndexFileError, match="flask index rebuild"):
        VectorIndex.load(path)


def test_bulk_build_of_many_vectors_is_fast() -> None:
    """The bulk path stores 20k vectors in one call (well under a second)."""
    vectors = np.random.default_rng(1).standard_normal((20_000, DIM)).astype(np.float32)
    index = VectorIndex.build(np.arange(20_000), vectors)
    assert len(index) == 20_000 and 19_999 in index


def test_metadata_is_utf8_bytes_and_older_string_arrays_still_read() -> None:
    """Snapshot JSON is stored as UTF-8 bytes (not 4 bytes per character); files written
    before that (a 0-d numpy string) still load."""
    meta = {"name": "Київський завод", "count": 3}
    stored = json_array(meta)
    assert stored.dtype == np.uint8 and stored.nbytes == len(json.dumps(meta).encode("utf-8"))
    assert from_json_array({"meta": stored}, "meta", "file") == meta
    assert from_json_array({"meta": np.array(json.dumps(meta))}, "meta", "file") == meta


def test_flat_scan_gives_every_inner_product_in_storage_order() -> None:
    """`scan` is an exact search without ranking: one score per stored row, in `ids()`
    order, also after removals; an approximate index refuses it."""
    index, vectors = filled("flat")
    index.remove([30, 200])
    query = unit(1, seed=4)[0]
    ids = index.ids()
    expected = vectors[ids // 10] @ query
    np.testing.assert_allclose(index.scan(query), expected, rtol=1e-5, atol=1e-6)
    found, _ = index.search(query, 5)[0]
    assert found.tolist() == ids[np.argsort(-index.scan(query))[:5]].tolist()
    with pytest.raises(TypeError, match="exact"):
        filled("hnsw")[0].scan(query)


def test_flat_overwrite_replaces_one_row_in_place() -> None:
    """Overwriting keeps every row where it is; the row must hold the named company."""
    index, vectors = filled("flat")
    ids_before = index.ids().tolist()
    row = ids_before.index(250)
    index.overwrite(row, 250, vectors[3])
    assert index.ids().tolist() == ids_before
    np.testing.assert_allclose(index.vector(250), vectors[3])
    assert index.search(vectors[3], 2)[0][0].tolist()[:2] in ([30, 250], [250, 30])
    with pytest.raises(KeyError):
        index.overwrite(row, 260, vectors[3])
    with pytest.raises(TypeError, match="exact"):
        filled("hnsw")[0].overwrite(0, 0, vectors[0])
