"""Domain fixtures: the real embedding model (once per session) and a filled matcher."""

from __future__ import annotations

import numpy as np
import pytest
from domain_factories import sample_profiles

from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile

SampleData = tuple[list[CompanyProfile], np.ndarray, np.ndarray]


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real all-MiniLM-L6-v2 model, loaded once per test session."""
    return SentenceTransformerEmbedder("default")


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
