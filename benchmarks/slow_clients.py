"""Slow clients against a real gunicorn on loopback: does /healthz still answer fast?

    .venv/bin/python benchmarks/slow_clients.py [--slow 2] [--seconds 20] [--worker-class sync]

Starts gunicorn with gunicorn.conf.py (2 workers) over a fresh, migrated SQLite
database, opens `--slow` connections that send their request headers one byte every
half second, and meanwhile asks /healthz once every 0.2 s on new connections (5 s
timeout each). Prints how many health checks answered and their latencies. By default
it runs the old sync workers and the shipped gthread workers one after the other.
Traffic goes to 127.0.0.1 only; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=2, help="slow connections")
    parser.add_argument("--seconds", type=float, default=20, help="duration (max 120)")
    parser.add_argument("--worker-class", action="append", help="default: sync, then gthread")
    args = parser.parse_args()
    for worker_class in args.worker_class or ["sync", "gthread"]:
        print(f"== {worker_class} workers, {args.slow} slow clients, {args.seconds:.0f} s")
        print(_run(worker_class, args.slow, min(args.seconds, 120)))


def _run(worker_class: str, slow: int, seconds: float) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        env = os.environ | {
            "MATCHMAKER_INSTANCE_DIR": tmp,
            "MATCHMAKER_SECRET_KEY": "benchmark-only",
            "MATCHMAKER_BIND": f"127.0.0.1:{port}",
            "MATCHMAKER_WORKER_CLASS": worker_class,
            # gunicorn turns sync into gthread whenever threads > 1.
            "MATCHMAKER_THREADS": "1"
            if worker_class == "sync"
            else os.environ.get("MATCHMAKER_THREADS", "8"),
            "MATCHMAKER_METRICS_PORT": "0",
            "MATCHMAKER_LOG_LEVEL": "warning",
            "FLASK_APP": "app",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        subprocess.run(
            [str(BIN / "flask"), "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "app:app"], cwd=ROOT, env=env
        )
        try:
            _wait_healthy(port)
            return _measure(port, slow, seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


def _measure(port: int, slow: int, seconds: float) -> str:
    stop = threading.Event()
    threads = [
        threading.Thread(target=_slow_client, args=(port, stop, seconds + 10), daemon=True)
        for _ in range(slow)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1)
    latencies: list[float] = []
    failures = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                answer.read()
            latencies.append(time.perf_counter() - started)
        except OSError:
            failures += 1
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    total = len(latencies) + failures
    if not latencies:
        return f"health checks answered: 0 of {total} (all timed out after 5 s)"
    ms = sorted(1000 * x for x in latencies)
    return (
        f"health checks answered: {len(latencies)} of {total}; "
        f"latency p50 {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms"
    )


def _slow_client(port: int, stop: threading.Event, limit: float) -> None:
    give_up = time.monotonic() + limit
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            while not stop.wait(0.5) and time.monotonic() < give_up:
                conn.sendall(b"a")
    except OSError:
        pass  # the server closed it: that is allowed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(port: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not become ready")


if __name__ == "__main__":
    main()
