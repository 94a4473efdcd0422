"""Where one API request's time goes, in process: Flask's test client over the registry
database `http_load.py` builds, no sockets, no wrk sharing the cores.

    .venv/bin/python benchmarks/bench_request.py --size 10000 [--model e5-onnx]
        [--requests 300] [--profile]

Times `--requests` calls of each kind after a warm-up: POST /api/v1/matches with a
distinct need each time (one query embedding per request, as `http_load.py`'s distinct
run), the same without the embedding (the need's vector already cached), and
GET /api/v1/companies/{id}/matches. Beside each request's wall time it times the engine
call inside it (`MatchingService.match_query` / `match_company`), so what is left is the
web layer: authentication, the rate limit, validation, SQL, redaction, rendering,
serialisation. `--profile post|cached|get` prints cProfile's top functions for that
kind (distinct POST, repeated POST, GET). The registry is the one of `http_load.py`
(built on first use, cached).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import http_load  # noqa: E402


def main() -> None:
    args = _arguments()
    instance = http_load.CACHE / (
        f"http-{args.size}" + ("" if args.model == "default" else f"-{args.model}")
    )
    os.environ["MATCHMAKER_EMBEDDING_MODEL"] = args.model
    ids = http_load._prepare(instance, args.size, args.model)
    key = http_load._api_key(instance)
    os.environ.update(http_load._env(instance))

    from matchmaker.extensions import matching
    from matchmaker.factory import create_app
    from matchmaker.services.matching import MatchingService

    engine_times: list[float] = []
    # Before the app exists: the metrics layer wraps the service's bound methods.
    _time_engine_calls(MatchingService, engine_times)
    app = create_app()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    rng = random.Random(11)

    def post(distinct: bool) -> Callable[[], Any]:
        def call() -> Any:
            need = rng.choice(http_load.AD_HOC_NEEDS)
            if distinct:
                need += f" (ref {rng.randrange(10**9)})"
            body = {"side": rng.choice(("EU", "UA")), "seeks": need, "limit": 10}
            return client.post("/api/v1/matches", json=body, headers=headers)

        return call

    def get() -> Any:
        url = f"/api/v1/companies/{rng.choice(ids)}/matches?limit=10"
        return client.get(url, headers=headers)

    with app.app_context():
        matching.service  # noqa: B018 - loads the model and the index before timing
    for call in (post(True), post(False), get):
        for _ in range(10):
            _checked(call())
    print(
        f"registry: {args.size} firms ({len(ids)} approved); model {args.model}; "
        f"{args.requests} requests per row; load average {os.getloadavg()}"
    )
    print(f"{'request':<44}{'p50 ms':>9}{'mean ms':>9}{'engine p50':>12}{'rest p50':>10}")
    for label, call in (
        ("POST /matches, every need distinct", post(True)),
        ("POST /matches, 5 repeated needs (cached)", post(False)),
        ("GET /companies/{id}/matches", get),
    ):
        walls, engines = _timed(call, args.requests, engine_times)
        rest = [w - e for w, e in zip(walls, engines, strict=True)]
        print(
            f"{label:<44}{_ms(statistics.median(walls)):>9}{_ms(statistics.fmean(walls)):>9}"
            f"{_ms(statistics.median(engines)):>12}{_ms(statistics.median(rest)):>10}"
        )
    if args.profile:
        profiled = {"post": post(True), "cached": post(False), "get": get}[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            _checked(profiled())
        profiler.disable()
        print(f"\ncProfile of {args.requests} requests ({args.profile}), by own time:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
        print("by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(90)


def _time_engine_calls(service_class: Any, sink: list[float]) -> None:
    """Wrap the two engine entry points so each request records the time spent in them."""
    for name in ("match_query", "match_company"):
        original = getattr(service_class, name)

        def timed(self: Any, *a: Any, _original: Any = original, **kw: Any) -> Any:
            start = time.perf_counter()
            try:
                return _original(self, *a, **kw)
            finally:
                sink.append(time.perf_counter() - start)

        setattr(service_class, name, timed)


def _timed(
    call: Callable[[], Any], count: int, engine_times: list[float]
) -> tuple[list[float], list[float]]:
    walls, engines = [], []
    for _ in range(count):
        engine_times.clear()
        start = time.perf_counter()
        _checked(call())
        walls.append(time.perf_counter() - start)
        engines.append(sum(engine_times))
    return walls, engines


def _checked(response: Any) -> Any:
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}: {response.get_data(as_text=True)[:500]}")
    return response


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--model", default="default")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--profile", choices=("post", "cached", "get"), help="cProfile one kind of request"
    )
    return parser.parse_args()


if __name__ == "__main__":
    main()
