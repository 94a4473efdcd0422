"""Worker start and shared memory with the columnar snapshot (issue 14, part 3).

What it measures, at one registry size, in gunicorn's shape:
  1. `Matcher.save` of a bulk-loaded matcher (format 3, `matcher.snap`): seconds, MiB.
  2. A fresh master process imports the stack once (torch, sentence-transformers,
     matchmaker: what `preload_app` does in gunicorn.conf.py) and loads the model
     without encoding (`when_ready`; `--model-in worker` skips this, the setup before
     2026-12-06), then forks `--workers` workers one after another. Each does what a
     worker does in `post_worker_init`: encode once (loading the model first if the
     master did not), map the snapshot
     (`Matcher.load`), answer a first `match_company`; it reports the phase times and
     its proportional set size (PSS) after the model and after the matcher. "ready" is
     those three phases together: the time from fork to serving.
  3. With every worker alive, the PSS and private memory of each (from
     /proc/<pid>/smaps_rollup). A worker's private *dirty* pages (its heap and the
     pages it copied on write) are what one more worker adds. The snapshot's pages are
     clean file pages, in the page cache once however many workers map them; the kernel
     (6.x, large folios) may still label them private to one process in smaps, so they
     are reported apart ("snapshot pages mapped").

The matcher loads in each worker after the fork (it reads the database): the
snapshot's columns are memory-mapped, so the workers share its pages until a change
copies a column. The model's weights, loaded by the master, are shared the same way
(they are never written); its first encode, and so torch's thread pools, happen in
each worker (a pool started before a fork hangs the child that uses it).

Run:  .venv/bin/python benchmarks/bench_startup.py --size 100000 --workers 3
      The cached real-text registry of that size and model is used when present
      (benchmarks/registry.py --size N [--model e5]), else seeded random vectors.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench_scale import synthetic_registry
from common import cpu_model
from registry import CACHE, DEFAULT_MODEL, load_registry

HERE = Path(__file__).resolve().parent


def smaps_rollup(pid: int | str = "self") -> dict[str, float]:
    """Rss, Pss, Shared_* and Private_* of a process in MiB."""
    fields: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            parts = value.split()
            if len(parts) == 2 and parts[1] == "kB":
                fields[name] = int(parts[0]) / 1024
    fields["Private"] = fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0)
    return fields


def mapped_mib(pid: int, directory: str) -> float:
    """Resident MiB of the snapshot file's mapping in process `pid`."""
    total, inside = 0, False
    with open(f"/proc/{pid}/smaps", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            head = line.split(maxsplit=1)[0]
            if not head.endswith(":"):  # a mapping's header line: address range first
                inside = line.rstrip().endswith(str(Path(directory).resolve() / "matcher.snap"))
            elif inside and head == "Rss:":
                total += int(line.split()[1])
    return total / 1024


def worker_start(
    directory: str, model: str, company_ids: list[int], embedder: Any = None
) -> tuple[Any, dict[str, Any]]:
    """What a forked gunicorn worker does in `post_worker_init`, phase by phase: the
    loaded matcher (kept by the caller: it holds the map) and the report. `embedder`
    is the model the master loaded before forking (None: the worker loads its own)."""
    from matchmaker.domain.embedding import make_embedder
    from matchmaker.domain.matcher import Matcher

    started = time.perf_counter()
    if embedder is None:
        embedder = make_embedder(model)
    embedder.encode(["warm-up"])  # torch initialises lazily: part of getting ready
    model_ready = time.perf_counter()
    after_model = smaps_rollup()
    matcher, _ = Matcher.load(directory, embedder)
    loaded = time.perf_counter()
    after_matcher = smaps_rollup()
    matcher.match_company(company_ids[0], limit=10)
    answered = time.perf_counter()
    timings = []
    for company_id in company_ids[1:]:
        begun = time.perf_counter()
        matcher.match_company(company_id, limit=10)
        timings.append((time.perf_counter() - begun) * 1e3)
    return matcher, {
        "ready_s": answered - started,
        "model_s": model_ready - started,
        "matcher_load_s": loaded - model_ready,
        "first_match_ms": (answered - loaded) * 1e3,
        "later_match_ms": sorted(timings)[len(timings) // 2] if timings else float("nan"),
        "pss_after_model_mib": after_model["Pss"],
        "pss_after_matcher_mib": after_matcher["Pss"],
        # Written (dirty) private pages: heap and copied-on-write pages, what this worker
        # alone holds. The snapshot's clean file pages are not among them: they sit in
        # the page cache once, however many workers map them.
        "model_private_mib": after_model["Private_Dirty"],
        "matcher_private_mib": after_matcher["Private_Dirty"] - after_model["Private_Dirty"],
    }


def master(directory: str, model: str, company_ids: list[int], workers: int, model_in: str) -> None:
    """gunicorn's shape: import the stack once (and load the model, with `model_in`
    "master"), then fork the workers one after another; measure every worker's memory
    while all are alive."""
    started = time.perf_counter()
    import sentence_transformers  # noqa: F401  (loading MiniLM in `when_ready` imports it)

    import matchmaker.domain.matcher  # noqa: F401  (preload_app imports the app)

    print(f"master: imports {time.perf_counter() - started:.2f} s", flush=True)
    shared = None
    if model_in == "master":
        from matchmaker.domain.embedding import loading_before_fork, make_embedder

        begun = time.perf_counter()
        with loading_before_fork():
            shared = make_embedder(model)
        print(f"master: model loaded in {time.perf_counter() - begun:.2f} s", flush=True)
    children: list[tuple[int, int, dict[str, Any]]] = []
    try:
        for _ in range(workers):
            report_read, report_write = os.pipe()
            hold_read, hold_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                os.close(report_read)
                os.close(hold_write)
                for _, earlier, _ in children:  # else an earlier worker never sees EOF
                    os.close(earlier)
                matcher, report = worker_start(directory, model, company_ids, shared)
                os.write(report_write, json.dumps(report).encode() + b"\n")
                os.read(hold_read, 1)  # serve (hold the map) until the master has measured
                del matcher
                os._exit(0)
            os.close(report_write)
            os.close(hold_read)
            with os.fdopen(report_read) as reports:
                children.append((pid, hold_write, json.loads(reports.readline())))
        print(
            "| worker | ready (s) | model + first encode (s) | Matcher.load (s) | "
            "first match (ms) | later match p50 (ms) | PSS after model | PSS after matcher | "
            "private dirty after model | private dirty pages Matcher.load added | "
            "PSS, all alive | private dirty, all alive | snapshot pages mapped |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for number, (pid, _, report) in enumerate(children, start=1):
            memory = smaps_rollup(pid)
            print(
                f"| {number} | {report['ready_s']:.2f} | {report['model_s']:.2f} | "
                f"{report['matcher_load_s']:.3f} | {report['first_match_ms']:.1f} | "
                f"{report['later_match_ms']:.1f} | {report['pss_after_model_mib']:,.0f} | "
                f"{report['pss_after_matcher_mib']:,.0f} | {report['model_private_mib']:,.0f} | "
                f"{report['matcher_private_mib']:,.1f} | "
                f"{memory['Pss']:,.0f} | {memory['Private_Dirty']:,.0f} | "
                f"{mapped_mib(pid, directory):,.0f} |",
                flush=True,
            )
        own = smaps_rollup()
        print(f"master: PSS {own['Pss']:,.0f}, private {own['Private']:,.0f}")
    finally:
        for pid, hold, _ in children:
            os.close(hold)
            os.waitpid(pid, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument(
        "--model-in",
        choices=("master", "worker"),
        default="master",
        help="where the model loads: in the master before the fork (gunicorn.conf.py now) "
        "or in every worker after it (before 2026-12-06)",
    )
    parser.add_argument("--master", help=argparse.SUPPRESS)  # snapshot directory (child)
    parser.add_argument("--ids", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.master:
        ids = [int(i) for i in args.ids.split(",")]
        master(args.master, args.model, ids, args.workers, args.model_in)
        return

    from matchmaker.domain.embedding import make_embedder
    from matchmaker.domain.matcher import Matcher

    embedder = make_embedder(args.model)
    try:
        registry = load_registry(args.size, build=False, model=args.model)
        source = f"real-text registry (key {registry.key})"
    except FileNotFoundError:  # start time and memory do not depend on what vectors hold
        registry = synthetic_registry(args.size, embedder.dimension)
        source = "synthetic profiles, seeded random unit vectors (no cached registry)"
    matcher = Matcher(embedder)
    matcher.bulk_load(registry.profiles, registry.offer, registry.seek)
    directory = CACHE / f"startup-{args.size}-{registry.key}-{embedder.model_name}"
    directory.mkdir(parents=True, exist_ok=True)
    begun = time.perf_counter()
    matcher.save(directory, generation=1)
    save_s = time.perf_counter() - begun
    size_mib = (directory / "matcher.snap").stat().st_size / 2**20
    ids = [p.id for p in registry.profiles[:: max(1, len(registry.profiles) // 21)]][:21]
    del matcher, registry
    print(f"# bench_startup: {args.size:,} firms, {source}, model {args.model}, {cpu_model()}")
    print(f"# load average at start {os.getloadavg()}")
    print(f"Matcher.save: {save_s:.2f} s, matcher.snap {size_mib:,.0f} MiB; memory below in MiB")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    command = [sys.executable, str(Path(__file__).resolve()), "--model", args.model]
    command += ["--workers", str(args.workers), "--model-in", args.model_in]
    command += ["--master", str(directory)]
    subprocess.run([*command, "--ids", ",".join(map(str, ids))], check=True, env=env, cwd=HERE)
    print(f"# load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
