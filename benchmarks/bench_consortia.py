"""Consortium builder: speed at registry size, and the beam's optimality on small ones.

    .venv/bin/python benchmarks/bench_consortia.py --size 10000 [--requests 20]
    .venv/bin/python benchmarks/bench_consortia.py --optimality 40 [--small 16]

Speed: the synthetic registry's real profiles (`synth.py`: codes, countries, compliance
facts) with seeded random unit vectors, so nothing of the registry is embedded; each
request's text is embedded by the real model, as in production (once per capability
and side). Printed: p50/p95 of `build_consortia` for 5-capability requests under
several programmes, the share spent before the search (candidates, pairwise scores),
and the load average. Optimality: on random small registries (`--small` firms drawn
from the synthetic one), the beam's best team against exhaustive enumeration of every
team of the same problem: how often it is the optimum and the worst score gap.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import random
import sys
import time
from collections.abc import Sequence

import numpy as np
from common import load_average, machine_header, quiet_model_loading
from synth import make_profile

from matchmaker.domain.consortium import ConsortiumRequest, InfeasibleRequest, build_consortia
from matchmaker.domain.consortium_build import ConsortiumConfig, prepare
from matchmaker.domain.consortium_search import beam_search, exhaustive
from matchmaker.domain.embedding import SentenceTransformerEmbedder
from matchmaker.domain.matcher import Matcher

PROGRAMMES = ("none", "edf", "edip", "edip_usi", "safe")


def unit_vectors(count: int, dimension: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, dimension), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def registry(embedder: SentenceTransformerEmbedder, indexes: Sequence[int], seed: int) -> Matcher:
    profiles = [make_profile(i) for i in indexes]
    matcher = Matcher(embedder)
    dim = embedder.dimension
    matcher.bulk_load(
        profiles, unit_vectors(len(profiles), dim, seed), unit_vectors(len(profiles), dim, seed + 1)
    )
    return matcher


def requests(
    indexes: Sequence[int], count: int, capabilities: int, seed: int
) -> list[ConsortiumRequest]:
    """Requests for `capabilities` codes that the registry's firms offer, over the
    programmes in turn."""
    rng = random.Random(seed)
    offered = sorted({c for i in indexes[:2000] for c in make_profile(i).capabilities})
    return [
        ConsortiumRequest(
            seeks="A consortium to produce and field the system: " + ", ".join(codes),
            capabilities=tuple(codes),
            programme=PROGRAMMES[n % len(PROGRAMMES)],
            limit=5,
        )
        for n in range(count)
        for codes in [rng.sample(offered, capabilities)]
    ]


def speed(args: argparse.Namespace, embedder: SentenceTransformerEmbedder) -> None:
    started = time.perf_counter()
    indexes = range(args.size)
    matcher = registry(embedder, indexes, args.seed)
    print(f"registry    {args.size} firms loaded in {time.perf_counter() - started:.1f} s")
    asked = requests(indexes, args.requests, args.capabilities, args.seed)
    for request in asked[:2]:  # warm-up: model, caches
        with contextlib.suppress(InfeasibleRequest):
            build_consortia(matcher, request)
    totals, prepares, answered, infeasible, teams = [], [], 0, 0, []
    for request in asked:
        t0 = time.perf_counter()
        try:
            answer = build_consortia(matcher, request)
            answered += 1
            teams.append(len(answer.teams))
        except InfeasibleRequest:
            infeasible += 1
        totals.append(time.perf_counter() - t0)
        t1 = time.perf_counter()
        with contextlib.suppress(InfeasibleRequest):
            prepare(matcher, request)
        prepares.append(time.perf_counter() - t1)
    ms = np.array(totals) * 1000
    prep = np.array(prepares) * 1000
    print(
        f"build       {len(asked)} requests of {args.capabilities} capabilities "
        f"({', '.join(PROGRAMMES)} in turn): p50 {np.percentile(ms, 50):.0f} ms, "
        f"p95 {np.percentile(ms, 95):.0f} ms, max {ms.max():.0f} ms"
    )
    print(
        f"of which    candidates + pairwise scores p50 {np.percentile(prep, 50):.0f} ms "
        f"(the rest is the beam search and the answer)"
    )
    print(
        f"answers     {answered} answered (mean {np.mean(teams) if teams else 0:.1f} teams), "
        f"{infeasible} infeasible (422)"
    )
    print(f"load avg    {load_average()} after the run")


def optimality(args: argparse.Namespace, embedder: SentenceTransformerEmbedder) -> None:
    rng = random.Random(args.seed)
    config = ConsortiumConfig()
    optimal, gaps, solved, skipped, sizes = 0, [], 0, 0, []
    for trial in range(args.optimality):
        # A few dozen firms: a 2-3 capability request then has a handful of candidates each.
        indexes = rng.sample(range(10_000), args.small * 4)
        matcher = registry(embedder, indexes, args.seed + trial)
        request = requests(indexes, 1, rng.choice((2, 3)), args.seed + trial)[0]
        request = dataclasses.replace(
            request,
            programme=rng.choice(("none", "edf", "safe", "edip")),
            max_size=args.max_members,
        )
        try:
            ready = prepare(matcher, request, config=config)
        except InfeasibleRequest:
            skipped += 1
            continue
        if ready.problem.size > args.small:
            skipped += 1
            continue
        every = exhaustive(ready.problem)
        if not every:
            skipped += 1
            continue
        beam = beam_search(ready.problem, args.width, config.pool_size)
        solved += 1
        sizes.append(ready.problem.size)
        gap = every[0][0] - (beam[0][0] if beam else 0.0)
        gaps.append(gap)
        optimal += gap <= 1e-9
    if not solved:
        print("optimality  no instance of the wanted size; raise --small")
        return
    print(
        f"optimality  {solved} instances of {min(sizes)}-{max(sizes)} candidates, at most "
        f"{args.max_members} members, beam width {args.width} "
        f"({skipped} skipped: infeasible or larger): beam = optimum in {optimal}/{solved}, "
        f"worst gap {max(gaps):.4f}, mean gap {np.mean(gaps):.5f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--capabilities", type=int, default=5)
    parser.add_argument("--optimality", type=int, default=0, help="small instances to check")
    parser.add_argument("--small", type=int, default=16, help="candidates at most per instance")
    parser.add_argument("--max-members", type=int, default=6, help="team size cap (small)")
    parser.add_argument("--width", type=int, default=ConsortiumConfig().beam_width)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    quiet_model_loading()
    print("\n".join(machine_header()))
    embedder = SentenceTransformerEmbedder()
    if args.optimality:
        optimality(args, embedder)
    else:
        speed(args, embedder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
