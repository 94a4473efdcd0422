"""A real threaded HTTP server over the test app, and many clients hitting it at once.

Races need real concurrency: the test client runs one request at a time.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.serving import make_server


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """The app served on a free port by a threaded server; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()


def call(method: str, url: str, *, key: str, body: Any = None, **headers: str) -> Answer:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, raw, got = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, got = error.code, error.read(), dict(error.headers)
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Answer(status, parsed, got)


def at_once(count: int, send: Any) -> list[Answer]:
    """Call `send(i)` for i in range(count) from `count` threads released together."""
    barrier = threading.Barrier(count)

    def one(index: int) -> Answer:
        barrier.wait()
        answer: Answer = send(index)
        return answer

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))
