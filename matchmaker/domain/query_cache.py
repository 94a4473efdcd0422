"""A bounded, thread-safe LRU of query vectors in front of an `Embedder`.

Ad-hoc match requests are bound by the one query embedding each costs (20-25 ms on
one core, against a few ms for the match itself at 10k firms), and requests repeat:
the same need typed again, a page reloaded, a client polling. `QueryCachedEmbedder`
serves one-text encodes (what `Matcher.match_query` asks for) from an LRU keyed by
the model's name and the normalised text; encodes of several texts (a profile's offer
and seek, bulk re-embedding) pass straight through and are not cached, so profile
writes do not evict request-time queries.

Faithfulness: the key is the text after Unicode NFC and whitespace collapsing, and it
is that normalised text which is embedded, so a hit returns exactly what a fresh
encode of the same request would. Case is kept: both bundled models are cased.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from matchmaker.domain.embedding import Embedder


def normalise_query(text: str) -> str:
    """NFC, runs of whitespace (newlines, tabs, NBSP) as one space, no outer spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class VectorLRU:
    """Least-recently-used map (model name, text) -> read-only float32 vector.

    One lock guards the map; the embedding itself runs outside it, so concurrent
    requests in a threaded worker only serialise on the dictionary operations.
    """

    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, model_name: str, text: str) -> np.ndarray | None:
        key = (model_name, text)
        with self._lock:
            vector = self._entries.get(key)
            if vector is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return vector

    def put(self, model_name: str, text: str, vector: np.ndarray) -> np.ndarray:
        """Store a read-only copy of `vector` and return it."""
        stored = np.array(vector, dtype=np.float32, copy=True)
        stored.flags.writeable = False
        with self._lock:
            self._entries[(model_name, text)] = stored
            self._entries.move_to_end((model_name, text))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return stored

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


class QueryCachedEmbedder:
    """An `Embedder` that answers one-text encodes from a `VectorLRU`.

    Every call returns a new array the caller may change freely; the cached vectors
    themselves are read-only. The key carries the wrapped model's name, so a cache
    shared by two models (or kept across a model change) never mixes their vectors.
    """

    def __init__(self, embedder: Embedder, cache: VectorLRU | int) -> None:
        self.inner = embedder
        self.cache = cache if isinstance(cache, VectorLRU) else VectorLRU(cache)
        self.model_name = embedder.model_name
        self.dimension = embedder.dimension

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Embed `texts` as the wrapped model does; a single text goes through the cache."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        if len(texts) != 1:
            return self.inner.encode(texts, batch_size, show_progress)
        text = normalise_query(texts[0])
        vector = self.cache.get(self.model_name, text)
        if vector is None:
            vector = self.cache.put(self.model_name, text, self.inner.encode([text])[0])
        return vector[np.newaxis, :].copy()
