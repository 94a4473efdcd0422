"""Matching-engine benchmark on a synthetic registry with real MiniLM vectors.

Measures, in one run, on the registry cached by `registry.py` (built on first use):
  raw search     exact FAISS IndexFlatIP search of one query, k=10 (1 OpenMP thread),
                 and the numpy floor (`vectors @ q` + argpartition, on 1 BLAS thread
                 and on the default threads)
  match_company  two raw exact FAISS top-10 searches of the other side (what a pure
                 vector engine does for the question), the same two scans without
                 top-k (what the matcher runs), then the engine's full match_company
                 (every firm scored + explanations); ratio p50/raw (target <= 2x)
  match_query    ad-hoc request including the query embedding
  updates        upsert of one company with new vectors, insert, remove
  shortlist      the HNSW matcher's shortlist (pools 50-400): top-10 agreement with
                 the exact matcher, which scores every firm
  rebuild        Matcher.bulk_load of every profile + stored vectors (target < 5 s),
                 and Matcher.save / Matcher.load of a snapshot
  memory         resident set after the model, the registry and the matcher are loaded
  embedding      raw model.encode texts/s vs the profile pipeline (target ratio >= 0.9)
  hnsw           recall@10 / @100 and search time of the approximate index

Run:  .venv/bin/python benchmarks/bench_matching.py --size 10000
      .venv/bin/python benchmarks/bench_matching.py --size 100000 --profile
Once the registry is cached a run takes ~3 min at 10k and ~5 min at 100k (half of it
the embedding section). Figures also go to benchmarks/cache/bench-<size>.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections.abc import Callable

from common import load_average, machine_header, quiet_model_loading, rss_mb
from registry import CACHE, load_registry
from sections_embedding import bench_embedding
from sections_engine import (
    Bench,
    Row,
    bench_match_company,
    bench_match_query,
    bench_raw_search,
    bench_rebuild,
    bench_shortlist,
    bench_updates,
)
from sections_hnsw import bench_hnsw

from matchmaker.domain.embedding import SentenceTransformerEmbedder


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--size",
        type=int,
        default=10_000,
        choices=(10_000, 100_000),
        help="registry size (companies)",
    )
    parser.add_argument("--queries", type=int, default=200, help="timed calls per measure")
    parser.add_argument(
        "--embed-profiles",
        type=int,
        default=2_000,
        help="profiles for the embedding throughput section (0: skip)",
    )
    parser.add_argument("--skip-hnsw", action="store_true", help="skip the approximate index")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile 200 match_company calls and print the top functions",
    )
    return parser.parse_args()


def setup(args: argparse.Namespace) -> Bench:
    quiet_model_loading()
    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder("default")
    print(f"model loaded in {time.perf_counter() - started:.1f} s; RSS {rss_mb()[0]:,.0f} MiB")
    started = time.perf_counter()
    registry = load_registry(args.size)
    print(
        f"registry {args.size:,} loaded in {time.perf_counter() - started:.1f} s; "
        f"RSS {rss_mb()[0]:,.0f} MiB",
        flush=True,
    )
    return Bench(registry, embedder, args.queries)


def profile_match_company(bench: Bench) -> None:
    """cProfile of match_company calls: where the time beyond the FAISS search goes."""
    assert bench.matcher is not None
    matcher = bench.matcher
    ids = [bench.registry.profiles[row].id for row in bench.sample(bench.queries, seed=29)]
    profiler = cProfile.Profile()
    profiler.enable()
    for company_id in ids:
        matcher.match_company(company_id, limit=10)
    profiler.disable()
    print(f"\ncProfile of {len(ids)} match_company calls (top 25 by own time):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)


def print_table(rows: list[Row]) -> None:
    widths = [max(len(getattr(r, name)) for r in rows) for name in ("section", "measure", "p50")]
    p95_width = max(len(r.p95) for r in rows)
    header = (
        f"{'section':<{widths[0]}}  {'measure':<{widths[1]}}  {'p50':>{widths[2]}}  "
        f"{'p95':>{p95_width}}  note"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        print(
            f"{r.section:<{widths[0]}}  {r.measure:<{widths[1]}}  {r.p50:>{widths[2]}}  "
            f"{r.p95:>{p95_width}}  {r.note}"
        )


def run(bench: Bench, args: argparse.Namespace) -> None:
    steps: list[tuple[str, Callable[[Bench], None]]] = [
        ("rebuild", bench_rebuild),
        ("raw search", bench_raw_search),
        ("match_company", bench_match_company),
        ("match_query", bench_match_query),
    ]
    if not args.skip_hnsw:
        steps += [("shortlist", bench_shortlist), ("hnsw", bench_hnsw)]
    steps.append(("updates", bench_updates))  # last: it removes firms from the matcher
    if args.embed_profiles:
        steps.append(("embedding", lambda b: bench_embedding(b, args.embed_profiles)))
    for name, step in steps:
        started = time.perf_counter()
        step(bench)
        print(
            f"  {name} done in {time.perf_counter() - started:.0f} s (load avg {load_average()})",
            flush=True,
        )
        if name == "match_company" and args.profile:
            profile_match_company(bench)


def main() -> None:
    args = parse_args()
    print("\n".join(machine_header()))
    bench = setup(args)
    run(bench, args)
    print(f"\nMatcher benchmark, {args.size:,} companies ({args.queries} timed calls per row)")
    print_table(bench.rows)
    print(f"load avg at end: {load_average()}")
    out = CACHE / f"bench-{args.size}.json"
    bench.results.pop("flat_top10", None)
    out.write_text(
        json.dumps(
            {"size": args.size, "machine": machine_header(), "results": bench.results},
            indent=2,
            default=str,
        )
    )
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
