"""Synthetic registry of N CompanyProfiles with REAL MiniLM offer/seek embeddings, cached.

What it builds: N deterministic profiles (see `synth.py`; ~60 % EU, 40 % UA) and the
embeddings of `offer_text(p)` and `seek_text(p)` from `matchmaker.domain.embedding`,
encoded by `SentenceTransformerEmbedder("default")` at batch size 32.

Cache (git-ignored, under benchmarks/cache/):
  embeddings-<model>/chunk-<start>-<count>.npz  2,500 profiles = 5,000 texts per file,
      with one hash per text, written as each finishes, so an interrupted run resumes
      where it stopped; chunks are shared between sizes (the 10k registry is the first
      10k of the 100k one) and generator versions (only changed texts are re-embedded).
  registry-<N>-<key>.npz / .pkl               assembled vectors / profiles.
`<key>` hashes the generator version, seed, phrase banks and model name.

Run:  .venv/bin/python benchmarks/registry.py --size 10000          (~4 min the first time)
      nohup .venv/bin/python benchmarks/registry.py --size 100000 \
          > benchmarks/cache/registry-100000.log 2>&1 &              (~40-55 min)
Other scripts call `load_registry(n)`, which builds the registry if it is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import geography
import numpy as np
import phrases
from records import profile_from_record, profile_to_record
from synth import EU_SHARE, GENERATOR_VERSION, SEED, make_profile
from tqdm import tqdm

from matchmaker.domain.embedding import (
    DEFAULT_MODEL,
    model_name_for,
    offer_text,
    seek_text,
)
from matchmaker.domain.profile import CompanyProfile

CACHE = Path(__file__).resolve().parent / "cache"
CHUNK_PROFILES = 2_500  # 5,000 texts per chunk file
ENCODE_STEP = 512  # texts per encode() call; the model sorts each call by length
BATCH_SIZE = 32


@dataclass
class Registry:
    profiles: list[CompanyProfile]
    offer: np.ndarray  # (n, 384) float32, row i belongs to profiles[i]
    seek: np.ndarray
    key: str

    @property
    def ids(self) -> np.ndarray:
        return np.fromiter((p.id for p in self.profiles), dtype=np.int64, count=len(self.profiles))


def registry_key(model: str = DEFAULT_MODEL) -> str:
    """Cache key: changes whenever the generator, its data or the model changes."""
    parts = [GENERATOR_VERSION, str(SEED), str(EU_SHARE), model_name_for(model)]
    for module in (phrases, geography):
        parts += [f"{k}={v!r}" for k, v in sorted(vars(module).items()) if k.isupper()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def registry_paths(n: int, key: str) -> tuple[Path, Path]:
    stem = CACHE / f"registry-{n}-{key}"
    return stem.with_suffix(".npz"), stem.with_suffix(".pkl")


def generate(n: int) -> list[CompanyProfile]:
    return [make_profile(i) for i in range(n)]


def load_registry(n: int, *, build: bool = True, model: str = DEFAULT_MODEL) -> Registry:
    """The cached registry of size `n`; built (and embedded) first when missing.

    The vectors are checked against today's `offer_text` / `seek_text`: when the engine
    changed how texts are composed, the changed texts are re-embedded (only those).
    `model` is a configuration name as `make_embedder` takes it ("default", "e5", ...);
    each model has its own chunk directory and registry key.
    """
    key = registry_key(model)
    vectors_path, profiles_path = registry_paths(n, key)
    if not (vectors_path.exists() and profiles_path.exists()):
        if not build:
            raise FileNotFoundError(f"No cached registry {vectors_path.name}; run registry.py")
        return build_registry(n, model)
    with np.load(vectors_path) as data:
        offer, seek = data["offer"], data["seek"]
        hashes = data.get("hashes")
    with profiles_path.open("rb") as handle:
        profiles = [profile_from_record(r) for r in pickle.load(handle)]
    if hashes is not None and np.array_equal(hashes, text_hashes(_chunk_texts(profiles))):
        return Registry(profiles, offer, seek, key)
    print("profile texts changed since the registry was cached: updating its vectors")
    return build_registry(n, model)


def build_registry(n: int, model: str = DEFAULT_MODEL) -> Registry:
    """Generate, embed (resuming from finished chunks) and cache the registry of size `n`."""
    key = registry_key(model)
    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    profiles = generate(n)
    print(f"generated {n:,} profiles in {time.perf_counter() - started:.1f} s", flush=True)
    chunk_dir = CACHE / f"embeddings-{model_name_for(model)}"  # per-text hashes: any version
    chunk_dir.mkdir(exist_ok=True)
    offer, seek = embed_chunks(profiles, chunk_dir, model)
    hashes = text_hashes(_chunk_texts(profiles))
    vectors_path, profiles_path = registry_paths(n, key)
    _atomic_write(vectors_path, lambda f: np.savez(f, offer=offer, seek=seek, hashes=hashes))
    records = [profile_to_record(p) for p in profiles]
    _atomic_write(profiles_path, lambda f: pickle.dump(records, f, pickle.HIGHEST_PROTOCOL))
    print(f"registry {n:,} cached as {vectors_path.name} ({time.perf_counter() - started:.0f} s)")
    return Registry(profiles, offer, seek, key)


def _chunk_texts(profiles: list[CompanyProfile]) -> list[str]:
    return [offer_text(p) for p in profiles] + [seek_text(p) for p in profiles]


def text_hashes(texts: list[str]) -> np.ndarray:
    """One 16-byte hash per text: a vector is reused only for exactly the same text."""
    return np.array(
        [hashlib.blake2b(t.encode(), digest_size=16).digest() for t in texts], dtype="S16"
    )


def _chunk_path(chunk_dir: Path, start: int, count: int) -> Path:
    return chunk_dir / f"chunk-{start:07d}-{count}.npz"


@dataclass
class _Chunk:
    path: Path
    texts: list[str]
    hashes: np.ndarray
    vectors: np.ndarray | None  # None until something is embedded
    stale: np.ndarray  # rows whose text has no stored vector yet


def _load_chunk(path: Path, texts: list[str]) -> _Chunk:
    """A chunk with the stored vectors of unchanged texts; changed texts marked stale."""
    hashes = text_hashes(texts)
    if path.exists():
        with np.load(path) as data:
            if "hashes" in data and len(data["hashes"]) == len(texts):
                return _Chunk(path, texts, hashes, data["vectors"].copy(), data["hashes"] != hashes)
    return _Chunk(path, texts, hashes, None, np.ones(len(texts), dtype=bool))


def _embed_stale(chunk: _Chunk, encoder: _ProgressEncoder) -> None:
    rows = np.flatnonzero(chunk.stale)
    fresh = encoder.encode([chunk.texts[i] for i in rows])
    vectors = fresh if chunk.vectors is None else chunk.vectors
    vectors[rows] = fresh
    chunk.vectors = vectors
    chunk.stale[:] = False
    _atomic_write(chunk.path, lambda f: np.savez(f, vectors=vectors, hashes=chunk.hashes))


def embed_chunks(
    profiles: list[CompanyProfile], chunk_dir: Path, model: str = DEFAULT_MODEL
) -> tuple[np.ndarray, np.ndarray]:
    """Offer and seek vectors for `profiles`, embedding only texts not on disk yet."""
    chunks = []
    for start in range(0, len(profiles), CHUNK_PROFILES):
        part = profiles[start : start + CHUNK_PROFILES]
        chunks.append(_load_chunk(_chunk_path(chunk_dir, start, len(part)), _chunk_texts(part)))
    todo = int(sum(c.stale.sum() for c in chunks))
    print(f"{len(chunks)} chunks; {todo:,} of {2 * len(profiles):,} texts to embed", flush=True)
    if todo:
        encoder = _ProgressEncoder(todo, model)
        for chunk in chunks:
            if chunk.stale.any():
                _embed_stale(chunk, encoder)
        encoder.close()
    halves = [(v[: len(v) // 2], v[len(v) // 2 :]) for c in chunks if (v := c.vectors) is not None]
    return np.concatenate([h[0] for h in halves]), np.concatenate([h[1] for h in halves])


class _ProgressEncoder:
    """Loads the model once, encodes in steps with a tqdm bar and an early ETA."""

    def __init__(self, total: int, model: str = DEFAULT_MODEL) -> None:
        from matchmaker.domain.embedding import make_embedder

        started = time.perf_counter()
        self.embedder = make_embedder(model)
        print(f"model loaded in {time.perf_counter() - started:.1f} s", flush=True)
        self.total, self.done, self.started = total, 0, time.perf_counter()
        interactive = sys.stderr.isatty()
        self.bar = tqdm(
            total=total, unit="text", smoothing=0.05, mininterval=0.5 if interactive else 30.0
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        parts = []
        for step in _steps(texts, ENCODE_STEP):
            parts.append(self.embedder.encode(step, batch_size=BATCH_SIZE))
            self._advance(len(step))
        return np.concatenate(parts)

    def _advance(self, count: int) -> None:
        before = self.done
        self.done += count
        self.bar.update(count)
        if before < 2 * ENCODE_STEP <= self.done:  # ETA once the first steps are measured
            rate = self.done / (time.perf_counter() - self.started)
            eta = (self.total - self.done) / rate
            tqdm.write(
                f"measured {rate:.1f} texts/s on the first {self.done:,} texts; "
                f"ETA {eta / 60:.1f} min for the remaining {self.total - self.done:,}",
                file=sys.stderr,
            )

    def close(self) -> None:
        self.bar.close()
        elapsed = time.perf_counter() - self.started
        print(
            f"embedded {self.done:,} texts in {elapsed / 60:.1f} min "
            f"({self.done / elapsed:.1f} texts/s)",
            flush=True,
        )


def _steps(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write via a temp file in the same directory and `os.replace` (no torn files)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        write(handle)
    os.replace(tmp, path)


def describe(registry: Registry) -> None:
    """Print shares, text lengths and nearest-neighbour similarity (near-duplicate check)."""
    profiles = registry.profiles
    n = len(profiles)
    eu = sum(p.side == "EU" for p in profiles)
    approved = sum(p.status == "approved" for p in profiles)
    print(
        f"{n:,} profiles: EU {eu / n:.1%}, UA {1 - eu / n:.1%}, approved {approved / n:.1%}, "
        f"{len({p.country for p in profiles})} countries"
    )
    sample = profiles[:2000]
    for name, make in (("offer", offer_text), ("seek", seek_text)):
        words = np.array([len(make(p).split()) for p in sample])
        print(f"{name} text words p5/p50/p95: {np.percentile(words, [5, 50, 95]).astype(int)}")
    rng = np.random.default_rng(0)
    for name, vectors in (("offer", registry.offer), ("seek", registry.seek)):
        rows = rng.choice(n, size=min(1000, n), replace=False)
        sims = vectors[rows] @ vectors.T
        sims[np.arange(len(rows)), rows] = -1.0
        nearest = sims.max(axis=1)
        print(
            f"{name}: nearest-neighbour cosine p50 {np.median(nearest):.3f}, "
            f"p99 {np.percentile(nearest, 99):.3f}, "
            f"share >= 0.99: {(nearest >= 0.99).mean():.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="number of companies")
    parser.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help='embedding model as MATCHMAKER_EMBEDDING_MODEL names it: "default" (MiniLM) or "e5"',
    )
    args = parser.parse_args()
    registry = load_registry(args.size, model=args.model)
    describe(registry)


if __name__ == "__main__":
    main()
