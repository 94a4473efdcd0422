"""The request-time query cache in front of the real embedders (MiniLM and e5)."""

from __future__ import annotations

import threading
import unicodedata

import numpy as np
import pytest

from matchmaker.domain.e5 import E5Embedder
from matchmaker.domain.embedding import SentenceTransformerEmbedder
from matchmaker.domain.query_cache import QueryCachedEmbedder, VectorLRU, normalise_query

NEED = "Шукаємо партнера для виробництва дронів й ремонту"


def test_a_hit_returns_the_vector_a_fresh_encode_gives(e5_embedder: E5Embedder) -> None:
    cached = QueryCachedEmbedder(e5_embedder, 16)
    first = cached.encode([NEED])
    again = cached.encode([NEED])
    fresh = e5_embedder.encode([NEED])
    assert cached.cache.hits == 1 and cached.cache.misses == 1
    assert first.shape == (1, 384) and first.dtype == np.float32
    np.testing.assert_array_equal(again, fresh)
    np.testing.assert_array_equal(first, again)


def test_different_texts_get_different_vectors(e5_embedder: E5Embedder) -> None:
    cached = QueryCachedEmbedder(e5_embedder, 16)
    drones = cached.encode(["FPV drones"])[0]
    shells = cached.encode(["155 mm artillery shells"])[0]
    lower = cached.encode(["fpv drones"])[0]  # case is kept: the models are cased
    assert len(cached.cache) == 3 and cached.cache.hits == 0
    assert float(drones @ shells) < 0.99 and not np.array_equal(drones, lower)


def test_texts_equal_after_normalisation_share_one_entry(e5_embedder: E5Embedder) -> None:
    """NFD vs NFC, runs of spaces, tabs, newlines and outer spaces: one key, one vector."""
    cached = QueryCachedEmbedder(e5_embedder, 16)
    reference = cached.encode([NEED])
    variants = [
        unicodedata.normalize("NFD", NEED),
        f"  {NEED}\n",
        NEED.replace(" ", " \t "),
        NEED.replace(" ", "\u00a0"),
    ]
    for variant in variants:
        assert variant != NEED
        np.testing.assert_array_equal(cached.encode([variant]), reference)
    assert cached.cache.hits == len(variants) and len(cached.cache) == 1
    # ...and that vector is what the engine gives the normalised text itself.
    np.testing.assert_array_equal(reference, e5_embedder.encode([normalise_query(variants[0])]))


def test_the_cache_keeps_at_most_its_size_and_evicts_the_least_recent(
    e5_embedder: E5Embedder,
) -> None:
    cached = QueryCachedEmbedder(e5_embedder, 3)
    for text in ("drones", "shells", "radars"):
        cached.encode([text])
    cached.encode(["drones"])  # now the most recent
    cached.encode(["armour"])  # evicts "shells", the least recent
    assert len(cached.cache) == 3
    assert cached.cache.get(e5_embedder.model_name, "shells") is None
    for kept in ("drones", "radars", "armour"):
        assert cached.cache.get(e5_embedder.model_name, kept) is not None


def test_hits_cannot_be_changed_through_what_they_return(e5_embedder: E5Embedder) -> None:
    cached = QueryCachedEmbedder(e5_embedder, 4)
    first = cached.encode(["counter-drone jammers"])
    expected = first.copy()
    first[0, :] = 0.0  # the caller owns its array...
    again = cached.encode(["counter-drone jammers"])
    np.testing.assert_array_equal(again, expected)  # ...the cache does not change
    stored = cached.cache.get(e5_embedder.model_name, "counter-drone jammers")
    assert stored is not None and not stored.flags.writeable
    with pytest.raises(ValueError):
        stored[0] = 1.0


def test_one_cache_shared_by_two_models_never_mixes_their_vectors(
    embedder: SentenceTransformerEmbedder, e5_embedder: E5Embedder
) -> None:
    shared = VectorLRU(8)
    minilm = QueryCachedEmbedder(embedder, shared)
    e5 = QueryCachedEmbedder(e5_embedder, shared)
    from_minilm = minilm.encode(["thermal cameras"])
    from_e5 = e5.encode(["thermal cameras"])
    assert shared.hits == 0 and len(shared) == 2
    np.testing.assert_array_equal(from_minilm, embedder.encode(["thermal cameras"]))
    np.testing.assert_array_equal(from_e5, e5_embedder.encode(["thermal cameras"]))


def test_encodes_of_several_texts_pass_through_uncached(e5_embedder: E5Embedder) -> None:
    """A profile's offer and seek (or a bulk rebuild) neither use nor evict query entries."""
    cached = QueryCachedEmbedder(e5_embedder, 2)
    cached.encode(["drones"])
    pair = cached.encode(["radar integration", "shell loading"])
    np.testing.assert_array_equal(pair, e5_embedder.encode(["radar integration", "shell loading"]))
    assert len(cached.cache) == 1 and cached.encode([]).shape == (0, 384)
    with pytest.raises(TypeError):
        cached.encode("drones")  # type: ignore[arg-type]


def test_concurrent_requests_get_their_own_texts_vectors(e5_embedder: E5Embedder) -> None:
    """Eight threads over a small cache (constant eviction): every answer is its text's."""
    texts = [f"need number {i}: drones and radars" for i in range(12)]
    expected = {text: e5_embedder.encode([text])[0] for text in texts}
    cached = QueryCachedEmbedder(e5_embedder, 5)
    wrong: list[str] = []
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        try:
            for step in range(40):
                text = texts[(seed * 7 + step * 5) % len(texts)]
                if not np.array_equal(cached.encode([text])[0], expected[text]):
                    wrong.append(text)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and not wrong
    assert len(cached.cache) <= 5
    assert cached.cache.hits + cached.cache.misses == 8 * 40


def test_the_cache_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        VectorLRU(0)
