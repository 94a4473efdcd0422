"""gunicorn settings for `make run`, the Docker image and the serving tests.

    gunicorn -c gunicorn.conf.py app:app

Threaded workers (gthread): a connection occupies a worker thread only once its
first bytes have arrived, and each worker has `threads` of them, so a few clients
that send slowly no longer stall /healthz (with sync workers two such clients
blocked both workers for 20 s). A slow-loris flood larger than workers x threads
still needs a buffering proxy in front (docs/reliability.md).

Every setting can be changed through the environment, see `_env` below.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


bind = [_env("MATCHMAKER_BIND", "127.0.0.1:5000")]
workers = int(_env("MATCHMAKER_WORKERS", "2"))
# MATCHMAKER_WORKER_CLASS=sync (with MATCHMAKER_THREADS=1) only reproduces the old setup.
worker_class = _env("MATCHMAKER_WORKER_CLASS", "gthread")
threads = int(_env("MATCHMAKER_THREADS", "8"))
# A request running longer than this (a huge import) has its worker restarted.
timeout = int(_env("MATCHMAKER_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# The app (config, routes) is imported once in the master, which also loads the model
# (when_ready) without encoding anything, so no torch thread pool exists at the fork
# and the workers share the weights. Each worker loads the matcher itself in
# post_worker_init, after the fork: it reads the database, whose connections must
# not cross a fork.
preload_app = True
# MATCHMAKER_MODEL_IN_MASTER=0: every worker loads its own model (a copy each).
MODEL_IN_MASTER = _env("MATCHMAKER_MODEL_IN_MASTER", "1") == "1"
# Requests are logged by the app (JSON with request id); gunicorn's access log would
# say the same again without the id.
accesslog = None
# gunicorn's control socket sits at one path per user: several servers on one machine
# (tests, benchmarks) would fight over it, and nothing here uses it.
control_socket_disable = True
loglevel = _env("MATCHMAKER_LOG_LEVEL", "info").lower()

# Metrics: every worker writes to this directory; the master sums them on a separate
# port. Set before the app (and prometheus_client) is imported, which preload does next.
METRICS_PORT = int(_env("MATCHMAKER_METRICS_PORT", "9200"))
METRICS_HOST = _env("MATCHMAKER_METRICS_HOST", "127.0.0.1")
if METRICS_PORT:
    _metrics_dir = Path(
        _env("PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), "matchmaker-metrics"))
    )
    # Files of an earlier run would be summed with this run's.
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)

if _env("MATCHMAKER_LOG_FORMAT", "json") == "json":
    from matchmaker.observability import logging_config

    logconfig_dict = logging_config(loglevel.upper())


def when_ready(server: Any) -> None:
    # Runs in the master before the first fork. With the model loaded here, every worker,
    # and every replacement of a killed one, starts with the model in memory and shares
    # its pages. Without, the embedding stack is at least imported once (seconds saved
    # per boot).
    if MODEL_IN_MASTER:
        from matchmaker.serving import load_model_before_fork

        load_model_before_fork(server.app.wsgi())
    else:
        import sentence_transformers  # noqa: F401

    if not METRICS_PORT:
        return
    from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics

    try:
        GunicornPrometheusMetrics.start_http_server_when_ready(METRICS_PORT, METRICS_HOST)
    except OSError as error:
        # Serving matters more than metrics: say so loudly and go on.
        server.log.error("Metrics port %s:%s unavailable: %s", METRICS_HOST, METRICS_PORT, error)
    else:
        server.log.info("Metrics on http://%s:%s/metrics", METRICS_HOST, METRICS_PORT)


def post_worker_init(worker: Any) -> None:
    """Load the model and matcher before this worker accepts its first connection."""
    from matchmaker.serving import warm_up

    warm_up(worker.wsgi)


def child_exit(server: Any, worker: Any) -> None:
    if METRICS_PORT:
        from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics

        GunicornPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)
