"""HNSW background rebuild: the old graph serves while a new one is built, changes made
meanwhile survive the swap, snapshots taken meanwhile load back whole.

Real graphs over real MiniLM vectors of generated firm texts. The rebuild thread is
held at a stage by `rebuild_hook` (a gate) so the test makes its changes at a known
moment; FAISS itself is not replaced.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from matchmaker.domain import hnsw_graph, index_backends
from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswBackend, HnswParams
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.side import suggestible
from tests.domain.factories import TODAY
from tests.domain.test_match_parity import Registry, text_profile

# Background even for a small graph; a rebuild past 10 % dead nodes, forced in place past 20 %.
PARAMS = HnswParams(max_tombstone_ratio=0.1, sync_rebuild_below=0)
WAIT = 60.0  # seconds; a gate or a rebuild that takes longer is a failure


class Gate:
    """A `rebuild_hook` that holds the rebuild thread at `stage` until released."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.reached = threading.Event()
        self.released = threading.Event()
        self.stages: list[str] = []

    def __call__(self, stage: str) -> None:
        self.stages.append(stage)
        if stage == self.stage:
            self.reached.set()
            assert self.released.wait(WAIT), "gate never released"

    def hold(self) -> None:
        assert self.reached.wait(WAIT), f"rebuild never reached {self.stage!r}"


@pytest.fixture(scope="module")
def registry(embedder: SentenceTransformerEmbedder) -> Registry:
    rng = random.Random(41)
    profiles = [text_profile(rng, n) for n in range(1, 301)]
    offers = embedder.encode([offer_text(p) for p in profiles])
    seeks = embedder.encode([seek_text(p) for p in profiles])
    return profiles, offers, seeks


@pytest.fixture(scope="module")
def vectors(registry: Registry) -> np.ndarray:
    """Distinct real unit vectors (generated texts repeat: twins dropped)."""
    _, offers, seeks = registry
    stacked = np.concatenate([offers, seeks]).astype(np.float32)
    keep: list[int] = []
    for row in range(len(stacked)):
        if not keep or float((stacked[keep] @ stacked[row]).max()) < 0.995:
            keep.append(row)
    return stacked[keep]


@pytest.fixture
def gates() -> Iterator[list[Gate]]:
    """Gates made by a test, all released at its end so no rebuild thread is left held."""
    made: list[Gate] = []
    yield made
    for gate in made:
        gate.released.set()


def gated(index: VectorIndex, stage: str, gates: list[Gate]) -> Gate:
    gate = Gate(stage)
    gates.append(gate)
    backend(index).rebuild_hook = gate
    return gate


def backend(index: VectorIndex) -> HnswBackend:
    engine = index._backend
    assert isinstance(engine, HnswBackend)
    return engine


def built(vectors: np.ndarray, params: HnswParams = PARAMS) -> tuple[VectorIndex, np.ndarray]:
    """An HNSW index of all but the last 20 vectors (kept for upserts), ids 0, 10, 20..."""
    stored = vectors[:-20]
    ids = np.arange(len(stored), dtype=np.int64) * 10
    return VectorIndex.build(ids, stored, kind="hnsw", model_name="m", hnsw=params), ids


def found(index: VectorIndex, queries: np.ndarray, k: int = 50) -> set[int]:
    return {i for hits, _ in index.search(queries, k) for i in hits.tolist()}


def crossing_removal(index: VectorIndex, ids: np.ndarray) -> np.ndarray:
    """Remove just enough ids (the first ones) to pass the tombstone threshold once."""
    count = int(PARAMS.max_tombstone_ratio * len(index)) + 1
    gone = ids[:count]
    assert index.remove(gone) == count
    return gone


def test_searches_answer_from_the_old_graph_while_the_new_one_is_built(
    vectors: np.ndarray, gates: list[Gate]
) -> None:
    """The removal that crosses the threshold returns with the old graph still serving
    (tombstones and all); searches meanwhile never return a removed id."""
    index, ids = built(vectors)
    gate = gated(index, "built", gates)
    gone = crossing_removal(index, ids)
    gate.hold()  # the new graph is built; the old one is still in place
    engine = backend(index)
    assert engine.rebuilding and engine.tombstones == len(gone) and engine.rebuilds == 0
    results = found(index, vectors[: len(ids)])
    assert not results & set(gone.tolist())
    assert results  # the old graph answers
    own = index.search(vectors[len(gone)], 1)[0][0].tolist()
    assert own == [int(ids[len(gone)])]  # a live vector still finds itself
    gate.released.set()
    assert index.wait_for_rebuild(WAIT)
    assert not engine.rebuilding and engine.rebuilds == 1 and engine.tombstones == 0
    assert gate.stages == ["copying", "copied", "built"]
    assert sorted(index.ids().tolist()) == sorted(set(ids.tolist()) - set(gone.tolist()))
    assert not found(index, vectors[: len(ids)]) & set(gone.tolist())


def test_searches_run_while_faiss_builds_in_the_other_thread(
    vectors: np.ndarray, gates: list[Gate], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No gate during the build itself (many small FAISS adds): searches made meanwhile,
    concurrently with them, answer and never return a removed id."""
    monkeypatch.setattr(hnsw_graph, "BUILD_STEP", 16)
    index, ids = built(vectors)
    gate = gated(index, "copied", gates)
    gone = set(crossing_removal(index, ids).tolist())
    gate.hold()
    engine = backend(index)
    gate.released.set()
    answered = 0
    while engine.rebuilding or not answered:
        hits = found(index, vectors[answered % len(ids)][None, :], k=20)
        assert len(hits) == 20 and not hits & gone
        answered += 1
    assert index.wait_for_rebuild(WAIT) and engine.rebuilds == 1
    assert not found(index, vectors) & gone


@pytest.mark.parametrize("stage", ["copied", "built"])
def test_changes_made_during_the_rebuild_survive_the_swap(
    vectors: np.ndarray, gates: list[Gate], stage: str
) -> None:
    """An upsert of a new id, the replacement of an id's vector and a removal, made after
    the live vectors were copied, are all in the new graph; its only tombstones are the
    two nodes those changes buried after the copy."""
    index, ids = built(vectors)
    gate = gated(index, stage, gates)
    gone = crossing_removal(index, ids)
    gate.hold()
    new_id, fresh = 99_999, vectors[-1]
    replaced, replacement = int(ids[-1]), vectors[-2]
    dropped = int(ids[-3])
    index.add([new_id], fresh[None, :])
    index.add([replaced], replacement[None, :])
    assert index.remove([dropped]) == 1
    before = len(index)
    gate.released.set()
    assert index.wait_for_rebuild(WAIT)
    engine = backend(index)
    assert engine.rebuilds == 1 and engine.tombstones == 2 and len(index) == before
    assert new_id in index and replaced in index and dropped not in index
    np.testing.assert_array_equal(index.vector(new_id), fresh)
    np.testing.assert_array_equal(index.vector(replaced), replacement)
    assert index.search(fresh, 1)[0][0].tolist() == [new_id]
    assert index.search(replacement, 1)[0][0].tolist() == [replaced]
    old_vector = vectors[len(ids) - 1]
    hits, scores = index.search(old_vector, 5)[0]
    assert replaced not in hits.tolist() or float(scores[hits.tolist().index(replaced)]) < 0.995
    assert not found(index, vectors) & ({dropped} | set(gone.tolist()))
    want = (set(ids.tolist()) - set(gone.tolist()) - {dropped}) | {new_id}
    assert set(index.ids().tolist()) == want


def test_changes_between_steps_of_the_copy_and_of_the_build(
    vectors: np.ndarray, gates: list[Gate], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live vectors are copied (and the graph built) in steps; changes made after the
    first step, to rows copied already and to rows not copied yet, are in the new graph."""
    monkeypatch.setattr(index_backends, "COPY_STEP", 64)
    monkeypatch.setattr(hnsw_graph, "BUILD_STEP", 64)
    index, ids = built(vectors)
    gate = gated(index, "copying", gates)
    gone = crossing_removal(index, ids)
    gate.hold()  # 64 live vectors copied, the rest not yet
    early, late = int(ids[len(gone) + 1]), int(ids[-1])  # copied / not yet copied
    index.add([early, late], vectors[[-2, -3]])
    assert index.remove([int(ids[-2]), int(ids[len(gone) + 2])]) == 2
    gate.released.set()
    assert index.wait_for_rebuild(WAIT)
    engine = backend(index)
    assert engine.rebuilds == 1 and engine.tombstones == 4
    assert gate.stages.count("copying") == -(-(len(ids) - len(gone)) // 64)
    np.testing.assert_array_equal(index.vectors([early, late]), vectors[[-2, -3]])
    want = set(ids.tolist()) - set(gone.tolist()) - {int(ids[-2]), int(ids[len(gone) + 2])}
    assert set(index.ids().tolist()) == want
    live = sorted(want - {early, late})
    np.testing.assert_array_equal(index.vectors(live), vectors[np.asarray(live) // 10])
    assert index.search(vectors[-2], 1)[0][0].tolist() == [early]


def test_many_changes_during_the_build_are_replayed_in_order(
    vectors: np.ndarray, gates: list[Gate]
) -> None:
    """More changes than one locked replay takes (the catch-up path): the same id
    upserted twice and then removed, another upserted and kept, in that order."""
    index, ids = built(vectors)
    gate = gated(index, "built", gates)
    crossing_removal(index, ids)
    gate.hold()
    spare = vectors[-20:]
    for round_ in range(5):
        for j, vector in enumerate(spare):
            index.add([100_000 + 100 * round_ + j], vector[None, :])
        index.add([200_000], spare[round_][None, :])  # replaced four times
    assert index.remove([100_000 + j for j in range(5)]) == 5
    gate.released.set()
    assert index.wait_for_rebuild(WAIT)
    engine = backend(index)
    assert engine.rebuilds == 1 and engine.tombstones == 4 + 5  # buried after the copy
    stats = engine.last_rebuild
    assert stats is not None and stats.replayed == 106 and stats.replayed_locked == 0
    added = {100_000 + 100 * r + j for r in range(5) for j in range(20)}
    assert set(index.ids().tolist()) >= added - {100_000 + j for j in range(5)} | {200_000}
    assert not {100_000 + j for j in range(5)} & set(index.ids().tolist())
    np.testing.assert_array_equal(index.vector(200_000), spare[4])
    np.testing.assert_array_equal(index.vectors([100_005, 100_419]), spare[[5, 19]])


def test_explicit_compact_during_a_rebuild_wins(vectors: np.ndarray, gates: list[Gate]) -> None:
    """`compact()` rebuilds at once, in the caller's thread; the background build is then
    abandoned (not swapped in over it) and the changes made before it stay."""
    index, ids = built(vectors)
    gate = gated(index, "built", gates)
    gone = crossing_removal(index, ids)
    gate.hold()
    index.add([77_777], vectors[-1][None, :])
    index.compact()
    engine = backend(index)
    assert engine.tombstones == 0 and not engine.rebuilding
    gate.released.set()
    assert index.wait_for_rebuild(WAIT)  # the abandoned thread too
    assert gate.stages[-2:] == ["copied", "built"]
    assert engine.rebuilds == 0 and engine.tombstones == 0
    assert 77_777 in index and index.search(vectors[-1], 1)[0][0].tolist() == [77_777]
    assert not found(index, vectors) & set(gone.tolist())


def test_the_hard_ceiling_rebuilds_in_place(vectors: np.ndarray, gates: list[Gate]) -> None:
    """While a rebuild is held, tombstones past twice the ratio make the next change
    rebuild synchronously (memory stays bounded); the held build is dropped."""
    index, ids = built(vectors)
    gate = gated(index, "built", gates)
    gone = crossing_removal(index, ids)
    gate.hold()
    live = len(index)
    more = ids[len(gone) : len(gone) + int(0.25 * live)]
    index.remove(more)
    engine = backend(index)
    assert engine.tombstones == 0 and not engine.rebuilding
    gate.released.set()
    assert index.wait_for_rebuild(WAIT)
    assert engine.rebuilds == 0
    assert not found(index, vectors) & set(np.concatenate([gone, more]).tolist())


def test_synchronous_rebuild_when_background_is_off(vectors: np.ndarray) -> None:
    """`background_rebuild=False` keeps the old behaviour: the crossing removal rebuilds."""
    index, ids = built(vectors, replace(PARAMS, background_rebuild=False))
    crossing_removal(index, ids)
    engine = backend(index)
    assert engine.tombstones == 0 and not engine.rebuilding and engine.rebuilds == 0


def test_an_index_saved_during_a_rebuild_loads_with_the_same_live_set(
    vectors: np.ndarray, gates: list[Gate], tmp_path: Path
) -> None:
    """The file written while a rebuild is held (the old graph, tombstones and all) loads
    back with the live ids and vectors of that moment, and so does one written after."""
    index, ids = built(vectors)
    gate = gated(index, "built", gates)
    gone = crossing_removal(index, ids)
    gate.hold()
    index.add([88_888], vectors[-1][None, :])
    index.save(tmp_path / "during.npz")
    live = set(index.ids().tolist())
    gate.released.set()
    assert index.wait_for_rebuild(WAIT)
    index.save(tmp_path / "after.npz")
    for name in ("during.npz", "after.npz"):
        loaded = VectorIndex.load(tmp_path / name, dimension=index.dimension, model_name="m")
        assert set(loaded.ids().tolist()) == live and len(loaded) == len(live)
        some = sorted(live)[:: max(len(live) // 20, 1)]
        np.testing.assert_array_equal(loaded.vectors(some), index.vectors(some))
        assert not found(loaded, vectors) & set(gone.tolist())
    assert backend(VectorIndex.load(tmp_path / "during.npz")).tombstones == len(gone)


def test_matcher_snapshot_during_rebuilds_and_wait(
    embedder: SentenceTransformerEmbedder, registry: Registry, gates: list[Gate], tmp_path: Path
) -> None:
    """A matcher on HNSW: removals start the rebuild of a side's offer and seek graphs
    (one build at a time); a snapshot saved while one is held loads back with the same
    firms, and neither matcher suggests a removed firm; `wait_for_rebuilds` returns when
    both graphs are swapped."""
    matcher = Matcher(embedder, index_kind="hnsw", hnsw=PARAMS)
    matcher.bulk_load(*registry)
    profiles = registry[0]
    side = next(iter(matcher._sides))
    indexes = matcher._sides[side]
    gate = gated(indexes.offers, "built", gates)
    members = [p.id for p in profiles if suggestible(p) and p.side == side]
    gone = members[: int(PARAMS.max_tombstone_ratio * len(members)) + 1]
    for company_id in gone:
        assert matcher.remove(company_id)
    gate.hold()
    assert backend(indexes.offers).rebuilding and backend(indexes.seeks).rebuilding
    assert not matcher.wait_for_rebuilds(0.05)  # held: still under way
    matcher.save(tmp_path, generation=3)
    loaded, generation = Matcher.load(tmp_path, embedder)
    gate.released.set()
    assert matcher.wait_for_rebuilds(WAIT)
    assert backend(indexes.offers).rebuilds == 1 and backend(indexes.seeks).rebuilds == 1
    assert generation == 3
    for one in (matcher, loaded):
        held = one._sides[side]
        assert set(held.offers.ids().tolist()) == set(members) - set(gone)
        assert set(held.seeks.ids().tolist()) == set(members) - set(gone)
    askers = [p for p in profiles if p.id not in gone and suggestible(p)][:25]
    for a in askers:
        for one in (matcher, loaded):
            suggested = {s.company.id for s in one.match_company(a.id, today=TODAY, limit=20)}
            assert not suggested & set(gone)
