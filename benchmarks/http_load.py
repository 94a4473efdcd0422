"""HTTP load on the match endpoints: wrk against gunicorn on loopback, bounded in time.

    .venv/bin/python benchmarks/http_load.py --size 10000 [--duration 30] [--connections 16]
        [--model default|e5|e5-onnx]

Builds (once, cached under benchmarks/cache/http-<size>/) a SQLite registry of `size`
firms from the synthetic benchmark registry — stored through the real profile service,
vectors from the embedding cache so nothing is re-embedded — persists the index, starts
gunicorn (2 workers) on 127.0.0.1, warms both workers, then runs wrk twice for
`--duration` seconds each: GET /api/v1/companies/{id}/matches over random approved firms,
and POST /api/v1/matches with ad-hoc texts: once over 5 repeated needs (after the
first of each, the query cache answers the embedding) and once with a random reference
number in every need (distinct texts: one query embedding per request). It prints
requests per second, latency percentiles and every non-2xx answer or socket error. wrk
and gunicorn share the machine's cores; the figures are for that setup.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from registry import load_registry  # noqa: E402

from matchmaker.domain.identifiers import edrpou_check_digit  # noqa: E402
from matchmaker.domain.matcher_store import profile_to_dict  # noqa: E402
from matchmaker.domain.profile import CompanyProfile  # noqa: E402

CACHE = ROOT / "benchmarks" / "cache"
WORKERS = 2
AD_HOC_NEEDS = [
    "155 mm shell loading and propellant charges, co-production in Ukraine",
    "interceptor drones against long-range strike drones, licensed production in the EU",
    "EW-resistant navigation for fixed-wing UAV airframes",
    "repair of armoured vehicles and howitzer barrels close to the front",
    "air-defence radar integration and sustainment of donated systems",
]


def main() -> None:
    args = _arguments()
    instance = CACHE / (f"http-{args.size}" + ("" if args.model == "default" else f"-{args.model}"))
    os.environ["MATCHMAKER_EMBEDDING_MODEL"] = args.model
    ids = _prepare(instance, args.size, args.model)
    key = _api_key(instance)
    port = _free_port()
    server = _start_gunicorn(instance, port)
    try:
        _wait_healthy(port)
        _warm_up(port, key, ids)
        print(
            f"registry: {args.size} firms ({len(ids)} approved); gunicorn {WORKERS} workers; "
            f"wrk {args.connections} connections x {args.duration}s; model {args.model}; "
            f"load average {os.getloadavg()}"
        )
        for name, script in (
            ("GET /companies/{id}/matches", _company_script(key, ids)),
            ("POST /matches (ad-hoc text, 5 repeated needs)", _ad_hoc_script(key)),
            ("POST /matches (ad-hoc text, every need distinct)", _ad_hoc_script(key, True)),
        ):
            print(f"\n== {name}")
            print(_report(_wrk(port, script, args)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=30, help="seconds per wrk run (max 120)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--model", default="default", help="MATCHMAKER_EMBEDDING_MODEL of the server and registry"
    )
    args = parser.parse_args()
    args.duration = min(args.duration, 120)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    return args


def _env(instance: Path) -> dict[str, str]:
    return os.environ | {
        "MATCHMAKER_INSTANCE_DIR": str(instance),
        "MATCHMAKER_SECRET_KEY": "benchmark-only",
        "MATCHMAKER_API_RATE_LIMIT": "10000000 per minute",
        "FLASK_APP": "app",
        "HF_HUB_OFFLINE": "1",
    }


def _flask(instance: Path, *command: str) -> str:
    flask = str(Path(sys.executable).parent / "flask")
    result = subprocess.run(
        [flask, *command], cwd=ROOT, env=_env(instance), check=True, capture_output=True, text=True
    )
    return result.stdout


def _prepare(instance: Path, size: int, model: str) -> list[int]:
    """The registry database (built once) and the ids of its approved firms."""
    marker = instance / "ready.json"
    if marker.exists():
        return json.loads(marker.read_text())
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    _flask(instance, "db", "upgrade")
    os.environ.update(_env(instance))
    ids = _load_registry_into_database(size, model)
    marker.write_text(json.dumps(ids))
    return ids


def _load_registry_into_database(size: int, model: str) -> list[int]:
    """Store the synthetic firms through the profile service with their cached vectors."""
    from matchmaker.extensions import db, matching
    from matchmaker.factory import create_app
    from matchmaker.services.documents import load_companies
    from matchmaker.services.profiles import create_companies

    registry = load_registry(size, model=model)
    app = create_app()
    approved: list[int] = []
    with app.app_context():
        service = matching.service
        model, dim = service.embedder.model_name, service.embedder.dimension
        for start in range(0, size, 1000):
            chunk = registry.profiles[start : start + 1000]
            # The vectors come from the registry file below, not from the model.
            companies = create_companies(
                db.session,
                load_companies([_payload(p) for p in chunk]),
                actor="bench",
                on_change=_stored_below,
            )
            for offset, company in enumerate(companies):
                row = start + offset
                db.session.add_all(_stored_vectors(registry, row, company.id, model, dim))
                if company.status == "approved":
                    approved.append(company.id)
            db.session.commit()
            print(f"stored {start + len(chunk)} / {size} firms", flush=True)
        status = service.rebuild(db.session)
        print(f"index persisted: {status.indexed} firms, {status.unindexed} without vectors")
    return approved


def _stored_below(session: Any, companies: list[Any]) -> None:
    """The write hook of the bulk load: vectors are added from the registry file afterwards."""


def _stored_vectors(registry: Any, row: int, company_id: int, model: str, dim: int) -> list[Any]:
    """CompanyEmbedding rows from the cache, hashed as the service would hash their texts."""
    import numpy as np

    from matchmaker.domain.embedding import offer_text, seek_text, text_hash
    from matchmaker.models import CompanyEmbedding

    profile = registry.profiles[row]
    texts = {"offer": offer_text(profile), "seek": seek_text(profile)}
    vectors = {"offer": registry.offer[row], "seek": registry.seek[row]}
    return [
        CompanyEmbedding(
            company_id=company_id,
            kind=kind,
            model=model,
            dimension=dim,
            text_hash=text_hash(texts[kind], model),
            vector=np.ascontiguousarray(vectors[kind], dtype=np.float32).tobytes(),
        )
        for kind in ("offer", "seek")
    ]


def _payload(profile: CompanyProfile) -> dict[str, Any]:
    """A synthetic profile in the API's company format, with a unique valid legal id."""
    n = profile.id
    legal_id = f"{n:07d}" if profile.country == "UA" else f"REG{n:08d}"
    if profile.country == "UA":
        legal_id += str(edrpou_check_digit(legal_id + "0"))
    data = profile_to_dict(profile)
    del data["id"], data["side"]  # assigned by the service / derived from the country
    fields = ("scheme", "identifier", "issuer", "valid_until")
    data["certifications"] = [dict(zip(fields, row, strict=True)) for row in data["certifications"]]
    data["size"] = data["size"] or "sme"
    data["legal_id"] = legal_id
    return data


def _api_key(instance: Path) -> str:
    name = f"load-test-{int(time.time())}"
    return _flask(instance, "apikey", "create", "--name", name, "--role", "office").split()[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(instance: Path, port: int) -> subprocess.Popen[bytes]:
    """The production setup (gunicorn.conf.py: gthread workers warmed before serving)."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "-c", "gunicorn.conf.py", "app:app"]
    env = _env(instance) | {
        "MATCHMAKER_BIND": f"127.0.0.1:{port}",
        "MATCHMAKER_WORKERS": str(WORKERS),
        "MATCHMAKER_LOG_LEVEL": "warning",
        "MATCHMAKER_METRICS_PORT": "0",
    }
    return subprocess.Popen(command, cwd=ROOT, env=env)


def _wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not become healthy")


def _warm_up(port: int, key: str, ids: list[int]) -> None:
    """Load the model and the persisted index in every worker before measuring."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/matches",
        method="POST",
        data=json.dumps({"side": "UA", "seeks": AD_HOC_NEEDS[0]}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    for company_id in ids[: 8 * WORKERS]:
        url = f"http://127.0.0.1:{port}/api/v1/companies/{company_id}/matches"
        urllib.request.urlopen(
            urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"}), timeout=120
        ).read()
        urllib.request.urlopen(request, timeout=120).read()


def _company_script(key: str, ids: list[int]) -> str:
    sample = random.Random(7).sample(ids, min(len(ids), 2000))
    return f"""
local ids = {{{",".join(map(str, sample))}}}
wrk.headers["Authorization"] = "Bearer {key}"
request = function()
  return wrk.format("GET", "/api/v1/companies/" .. ids[math.random(#ids)] .. "/matches?limit=10")
end
"""


def _ad_hoc_script(key: str, distinct: bool = False) -> str:
    """wrk script posting the ad-hoc needs; `distinct`: a random reference number in each
    need, so no request's text was seen before and every one is embedded."""
    needs = ",".join(json.dumps(need) for need in AD_HOC_NEEDS)
    suffix = '" (ref " .. math.random(1000000000) .. ")"' if distinct else '""'
    return f"""
local needs = {{{needs}}}
local sides = {{"EU", "UA"}}
wrk.headers["Authorization"] = "Bearer {key}"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local need = needs[math.random(#needs)] .. {suffix}
  local body = string.format('{{"side": "%s", "seeks": "%s", "limit": 10}}',
    sides[math.random(2)], need)
  return wrk.format("POST", "/api/v1/matches", nil, body)
end
"""


def _wrk(port: int, script: str, args: argparse.Namespace) -> str:
    path = CACHE / "wrk-script.lua"
    path.write_text(script)
    command = [
        "wrk",
        "-t2",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(path),
        f"http://127.0.0.1:{port}",
    ]
    return subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=args.duration + 60
    ).stdout


PATTERNS = {
    "requests/s": r"Requests/sec:\s+([\d.]+)",
    "requests": r"(\d+) requests in",
    "latency p50": r"(?m)^\s+50%\s+(\S+)",
    "latency p90": r"(?m)^\s+90%\s+(\S+)",
    "latency p99": r"(?m)^\s+99%\s+(\S+)",
    "non-2xx": r"Non-2xx or 3xx responses: (\d+)",
    "socket errors": r"Socket errors: (.*)",
}
ABSENT_MEANS = {"non-2xx": "0", "socket errors": "none"}


def _report(output: str) -> str:
    lines = []
    for label, pattern in PATTERNS.items():
        match = re.search(pattern, output)
        value = match.group(1) if match else ABSENT_MEANS.get(label, "?")
        lines.append(f"{label:<14}{value}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
