"""A real gunicorn (gunicorn.conf.py, 2 workers) on loopback, shared by the serving tests.

It serves its own SQLite database (migrated and given an API key in-process before it
starts) and keeps its rate-limit counters in Redis when Redis answers, under a key prefix
of its own so parallel runs never share counters.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade

from matchmaker.config import TestConfig
from matchmaker.domain.embedding import Embedder
from matchmaker.extensions import db
from matchmaker.factory import create_app
from matchmaker.services.api_keys import create_api_client

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
API_LIMIT = 40  # per minute and key: small enough to cross in a test
AUTH_FAILURE_LIMIT = 10
WORKERS = 2
# Both workers load the model; on a busy 2-core machine that took 50 s.
BOOT_TIMEOUT = 300


def redis_unavailable(url: str = REDIS_URL) -> str | None:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return None
    except Exception as error:  # noqa: BLE001 - any failure means "no Redis here"
        return f"{type(error).__name__}: {error}"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    """The running gunicorn: where it listens, its key, and its JSON log."""

    process: subprocess.Popen[bytes]
    port: int
    metrics_port: int
    key: str
    log_path: Path
    redis: bool
    pids_seen: set[int] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        key: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
        form: dict[str, str] | None = None,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> Response:
        """One request on a new connection (so successive ones spread over the workers)."""
        all_headers = dict(headers or {})
        if key:
            all_headers["Authorization"] = f"Bearer {key}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers=all_headers
        )
        started = time.perf_counter()
        try:
            with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as answer:
                status, got, content = answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            status, got, content = error.code, dict(error.headers), error.read()
        return Response(status, got, content, time.perf_counter() - started)

    def log(self) -> list[dict[str, Any]]:
        entries = []
        for line in self.log_path.read_text().splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a library printing plain text
        return entries

    def worker_pids(self) -> list[int]:
        """Live workers, from the master's process tree."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def warmed_pids(self) -> set[int]:
        return {e["pid"] for e in self.log() if e["message"].startswith("Worker warmed up")}

    def wait_warm(self, pids: set[int], timeout: float = BOOT_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not pids <= self.warmed_pids():
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers {pids} not warm after {timeout} s")
            time.sleep(0.5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def gunicorn_server(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("gunicorn")
    database_url = f"sqlite:///{base / 'matchmaker.sqlite'}"
    app = create_app(TestConfig(database_url, base / "instance"), embedder=embedder)
    with app.app_context():
        upgrade()
        _, key = create_api_client(db.session, "serving tests", "office", actor="test")
        db.engine.dispose()
    redis_reason = redis_unavailable()
    if redis_reason and os.environ.get("MATCHMAKER_REQUIRE_REDIS") == "1":
        pytest.fail(
            f"Redis is required (MATCHMAKER_REQUIRE_REDIS=1) but unreachable: {redis_reason}"
        )
    port, metrics_port = free_port(), free_port()
    env = os.environ | {
        "PYTHONPATH": str(ROOT),
        # development: its session cookie is not Secure, so a plain-http client keeps it
        # (the form test needs a CSRF token bound to the session).
        "MATCHMAKER_ENV": "development",
        "MATCHMAKER_SECRET_KEY": "serving-tests-" + uuid.uuid4().hex,
        "MATCHMAKER_DATABASE_URL": database_url,
        "MATCHMAKER_INSTANCE_DIR": str(base / "instance"),
        "MATCHMAKER_BIND": f"127.0.0.1:{port}",
        "MATCHMAKER_WORKERS": str(WORKERS),
        "MATCHMAKER_METRICS_PORT": str(metrics_port),
        "PROMETHEUS_MULTIPROC_DIR": str(base / "metrics"),
        "MATCHMAKER_RATELIMIT_STORAGE_URL": "memory://" if redis_reason else REDIS_URL,
        "MATCHMAKER_RATELIMIT_KEY_PREFIX": "mm-test-" + uuid.uuid4().hex[:12],
        "MATCHMAKER_API_RATE_LIMIT": f"{API_LIMIT} per minute",
        "MATCHMAKER_API_AUTH_FAILURE_LIMIT": f"{AUTH_FAILURE_LIMIT} per minute",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    log_path = base / "gunicorn.log"
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [gunicorn, "-c", "gunicorn.conf.py", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, metrics_port, key, log_path, redis=redis_reason is None)
    try:
        deadline = time.monotonic() + 60
        while len(server.worker_pids()) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.2)
        server.wait_warm(set(server.worker_pids()))
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
