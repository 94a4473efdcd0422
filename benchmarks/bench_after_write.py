"""What one write costs the next request: removal, then matches that read the changed side.

A change of a side (here: removing one EU firm) invalidates that side's derived columns,
so the next match that scores the side (a UA asker's) recomputes them in this worker;
the term postings are updated by the write itself (`term_postings`). Before they were,
the next match rebuilt the side's whole BM25 index: 141-368 ms at 100k. Prints, per
removal: the removal, the next match, the match after.

Run:  .venv/bin/python benchmarks/bench_startup.py --size 100000 --workers 1   (writes the snapshot)
      .venv/bin/python benchmarks/bench_after_write.py --size 100000 [--writes 5]
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from common import cpu_model, time_once
from registry import CACHE, DEFAULT_MODEL, generate

from matchmaker.domain.embedding import make_embedder
from matchmaker.domain.matcher import Matcher


def timed(call: Callable[[], object]) -> float:
    """Milliseconds of one call."""
    return time_once(call) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=5)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    embedder = make_embedder(args.model)
    snapshots = sorted(CACHE.glob(f"startup-{args.size}-*-{embedder.model_name}"))
    if not snapshots:
        raise SystemExit(f"No snapshot of {args.size:,} firms: run bench_startup.py first.")
    matcher, _ = Matcher.load(snapshots[-1], embedder)
    by_side: dict[str, list[int]] = {"EU": [], "UA": []}
    for profile in generate(args.size):  # the snapshot's firms (same seed, same ids)
        if profile.id in matcher:
            by_side[profile.side].append(profile.id)
    eu, ua = by_side["EU"], by_side["UA"]
    print(f"# {snapshots[-1].name}; {cpu_model()}; load average {os.getloadavg()}")
    print(f"warm-up: first UA match {timed(lambda: matcher.match_company(ua[0])):.1f} ms, ", end="")
    print(f"second {timed(lambda: matcher.match_company(ua[1])):.1f} ms")
    print("| write | Matcher.remove (EU firm) | next UA match | the match after |")
    print("|---|---|---|---|")
    for write in range(args.writes):
        removal = timed(lambda w=write: matcher.remove(eu[10 + w]))
        first = timed(lambda w=write: matcher.match_company(ua[20 + w]))
        second = timed(lambda w=write: matcher.match_company(ua[40 + w]))
        print(f"| {write + 1} | {removal:.1f} ms | {first:.1f} ms | {second:.1f} ms |")


if __name__ == "__main__":
    main()
