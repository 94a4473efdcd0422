"""Embedding texts and the real sentence-transformers embedder."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from matchmaker.domain.embedding import (
    MAX_TEXT_WORDS,
    Embedder,
    SentenceTransformerEmbedder,
    offer_text,
    query_text,
    seek_text,
    text_hash,
)
from matchmaker.domain.errors import EmbeddingModelError
from matchmaker.domain.taxonomy import PATHWAYS
from tests.domain.factories import cert, make_profile


def test_offer_text_is_name_free_and_puts_offers_first() -> None:
    """The offer text drops the firm's name and leads with what it offers."""
    profile = make_profile(
        name="Acme Defence",
        offers="Acme Defence makes fuzes.",
        description="Founded in 1990.",
        capabilities={"ammunition_missiles.fuzes"},
        certifications=[cert("aqap_2110", "2030-01-01")],
    )
    text = offer_text(profile)
    assert "Acme" not in text
    assert text.startswith("the company makes fuzes.")
    assert text.index("Capabilities: Fuzes.") < text.index("Founded in 1990.")
    assert text.endswith("Certified: NATO AQAP 2110 (design, development, production).")


def test_seek_text_names_capabilities_and_pathways_in_words() -> None:
    """The seek text spells out sought capabilities and wanted pathways."""
    profile = make_profile(
        seeks="Partners for shells.",
        seeking_capabilities={"ammunition_missiles.propellants"},
        pathways={"licensing"},
    )
    assert seek_text(profile) == (
        "Partners for shells. Looking for: Propellants and propellant charges. "
        f"Partnership: {PATHWAYS['licensing']}."
    )
    assert query_text(
        "Partners for shells.", ["ammunition_missiles.propellants"], ["licensing"]
    ) == seek_text(profile)


def test_texts_are_capped_to_fit_the_model_window() -> None:
    """Long texts are cut to MAX_TEXT_WORDS words, keeping the most informative start."""
    text = offer_text(make_profile(offers="drones " * 500, description="history " * 100))
    assert len(text.split()) == MAX_TEXT_WORDS and "history" not in text


def test_text_hash_depends_on_text_and_model() -> None:
    """The cache key changes with the text or the model, and is stable otherwise."""
    assert text_hash("a", "m1") == text_hash("a", "m1")
    assert len({text_hash("a", "m1"), text_hash("b", "m1"), text_hash("a", "m2")}) == 3


def test_real_embedder_returns_unit_float32_rows(embedder: SentenceTransformerEmbedder) -> None:
    """The bundled MiniLM gives float32 (n, 384) unit vectors, and (0, 384) for no text."""
    assert isinstance(embedder, Embedder)
    assert (embedder.model_name, embedder.dimension) == ("all-MiniLM-L6-v2", 384)
    vectors = embedder.encode(["propellant charges", "FPV drones"])
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, 384)


def test_related_texts_are_closer_than_unrelated(embedder: SentenceTransformerEmbedder) -> None:
    """A seek for propellants is closer to a propellant maker than to a cyber firm."""
    seek, propellant, cyber = embedder.encode(
        [
            "We need propellant charges for 155 mm shells.",
            "We produce nitrocellulose propellants and modular charges.",
            "We run security operations centres for banks.",
        ]
    )
    assert seek @ propellant > seek @ cyber + 0.2


def test_unknown_model_raises_a_clear_error(tmp_path: object) -> None:
    """A model that cannot be loaded offline raises EmbeddingModelError saying what to use."""
    with pytest.raises(EmbeddingModelError, match="'default'"):
        SentenceTransformerEmbedder(f"{tmp_path}/no-such-model")


def test_importing_embedding_is_cheap() -> None:
    """Importing the module does not import torch or sentence-transformers."""
    code = (
        "import sys, matchmaker.domain.embedding; "
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
