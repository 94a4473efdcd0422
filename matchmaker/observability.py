"""Request ids, JSON logs and Prometheus metrics.

Metrics are collected in every process. Under gunicorn (`gunicorn.conf.py`) they are
written to PROMETHEUS_MULTIPROC_DIR and served, summed over the workers, by the master
on a separate port (MATCHMAKER_METRICS_PORT, loopback by default): the public port
never answers /metrics, so it cannot be exposed to the internet by a proxy rule.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_flask_exporter import PrometheusMetrics

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is echoed only if it is short and plain: it ends up in logs and headers.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
request_log = logging.getLogger("matchmaker.request")
log = logging.getLogger(__name__)

MATCH_SECONDS = Histogram(
    "matchmaker_match_seconds",
    "Time to rank and explain partners, by kind of query (company or ad-hoc text).",
    ["kind"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
INDEX_GENERATION = Gauge(
    "matchmaker_index_generation",
    "The database index generation the worker's matcher has caught up to.",
    multiprocess_mode="livemax",
)
INDEX_SIZE = Gauge(
    "matchmaker_index_companies",
    "Companies held by the worker's matcher.",
    multiprocess_mode="livemax",
)
EMBEDDING_BACKLOG = Gauge(
    "matchmaker_unindexed_companies",
    "Approved companies still waiting for vectors of the configured model "
    "(run `flask index rebuild` if this stays above zero).",
    multiprocess_mode="livemax",
)
WORKER_READY = Gauge(
    "matchmaker_worker_ready",
    "1 per worker whose model and matcher are loaded.",
    multiprocess_mode="livesum",
)
ERRORS = Counter(
    "matchmaker_unhandled_errors",
    "Requests that raised an exception no error handler turned into a 4xx.",
    ["exception"],
)


def init_app(app: Flask) -> None:
    """Request ids and request logs, HTTP metrics per endpoint, match timing."""
    app.before_request(_start_request)
    app.after_request(_finish_request)
    from flask import got_request_exception

    got_request_exception.connect(_count_error, app)
    app.extensions["metrics"] = _http_metrics(app)
    _time_matches(app)


def _http_metrics(app: Flask) -> PrometheusMetrics:
    """Request latency and count per endpoint (the route, not the raw path: ids would
    make one series per firm)."""
    options: dict[str, Any] = {"group_by": "endpoint", "path": None}
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics

        return GunicornPrometheusMetrics(app, **options)
    # One registry per app: tests and benchmarks build several apps in one process.
    return PrometheusMetrics(app, registry=CollectorRegistry(), **options)


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _start_request() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    started = g.get("request_started")
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    request_log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "http": {
                "method": request.method,
                "path": request.path,
                "endpoint": request.endpoint,
                "status": response.status_code,
                "duration_ms": elapsed_ms,
                "remote": request.remote_addr,
            }
        },
    )
    return response


def _count_error(sender: Flask, exception: BaseException, **extra: Any) -> None:
    ERRORS.labels(exception=type(exception).__name__).inc()


def _time_matches(app: Flask) -> None:
    """Wrap the service's two match calls (the service stays free of metrics code) and
    refresh the index gauges after each, from the state the match itself synced to (no
    second read of the index state: it was one of a request's ten statements)."""
    service = app.extensions["matching"]
    for name, kind in (("match_company", "company"), ("match_query", "query")):
        setattr(service, name, _timed(getattr(service, name), kind, service))


def _timed(method: Callable[..., Any], kind: str, service: Any) -> Callable[..., Any]:
    @wraps(method)
    def timed(session: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = method(session, *args, **kwargs)
        MATCH_SECONDS.labels(kind=kind).observe(time.perf_counter() - started)
        try:
            status = service.synced_status()
            if status is not None:
                record_index_status(status)
        except Exception:  # noqa: BLE001 - a gauge must never fail the match it follows
            log.warning("Could not refresh the index gauges", exc_info=True)
        return result

    return timed


def record_index_status(status: Any) -> None:
    """Publish an IndexStatus (generation, indexed, unindexed) as gauges."""
    INDEX_GENERATION.set(status.generation)
    INDEX_SIZE.set(status.indexed)
    EMBEDDING_BACKLOG.set(status.unindexed)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id when logged inside a request."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if request_id := current_request_id():
            entry["request_id"] = request_id
        if http := getattr(record, "http", None):
            entry["http"] = http
        if database := getattr(record, "database", None):
            entry["database"] = database
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A dictConfig that sends the app's and gunicorn's logs to stderr as JSON."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "matchmaker.observability.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
            # The app logs every request itself, with its id; gunicorn's line would repeat it.
            "gunicorn.access": {"level": "WARNING", "handlers": ["stderr"], "propagate": False},
            # Readiness probes open a migration context; its INFO lines would flood the log.
            "alembic": {"level": "WARNING"},
            "faiss.loader": {"level": "WARNING"},
        },
    }
