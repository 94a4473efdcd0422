"""Small helpers shared by the benchmark scripts: timing percentiles, memory, machine facts."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Timing:
    """Per-call wall times of one measured operation, in milliseconds."""

    samples_ms: np.ndarray

    @property
    def p50(self) -> float:
        return float(np.percentile(self.samples_ms, 50))

    @property
    def p95(self) -> float:
        return float(np.percentile(self.samples_ms, 95))

    @property
    def count(self) -> int:
        return int(self.samples_ms.size)


def time_each(call: Callable[[Any], object], items: Iterable[Any], warmup: int = 3) -> Timing:
    """Time `call(item)` once per item (after `warmup` untimed calls on the first items)."""
    items = list(items)
    for item in items[:warmup]:
        call(item)
    samples = []
    for item in items:
        started = time.perf_counter_ns()
        call(item)
        samples.append(time.perf_counter_ns() - started)
    return Timing(np.asarray(samples, dtype=np.float64) / 1e6)


def time_once(call: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def rss_mb() -> tuple[float, float]:
    """(current resident set, peak resident set) of this process in MiB, from /proc."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def cpu_model() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def quiet_model_loading() -> None:
    """Silence the "Loading weights" progress bar transformers prints per model load."""
    try:
        from transformers.utils import logging as transformers_logging
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        return
    transformers_logging.disable_progress_bar()


def engine_revision() -> str:
    """Commit of the tree under test, flagged when matchmaker/ has uncommitted changes."""
    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
        return done.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "matchmaker")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (matchmaker/ has uncommitted changes)" if dirty else head


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine_header() -> list[str]:
    """Facts that make a figure comparable: CPU, cores, memory, versions, load, date."""
    import faiss
    import sentence_transformers
    import torch

    with open("/proc/meminfo", encoding="ascii") as handle:
        total_kib = int(handle.readline().split()[1])
    return [
        f"date        {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"cpu         {cpu_model()} x {os.cpu_count()} vCPU, {total_kib / 2**20:.1f} GiB RAM",
        f"python      {platform.python_version()}  torch {torch.__version__}  "
        f"sentence-transformers {sentence_transformers.__version__}  faiss {faiss.__version__}  "
        f"numpy {np.__version__}",
        f"engine      git {engine_revision()}",
        f"load avg    {load_average()} (1/5/15 min; >2 means other work shares the 2 cores)",
    ]
