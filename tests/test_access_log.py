"""Edit tokens never reach an access log: gunicorn's, or the development server's."""

from __future__ import annotations

import datetime
import logging
import threading
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from gunicorn.config import Config as GunicornConfig
from gunicorn.glogging import Logger as GunicornLogger
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from matchmaker.access_log import RedactEditTokens, RedactingGunicornLogger, redact
from matchmaker.services import edit_links
from tests.factories import loaded_company, no_embedding

TOKEN = "eyJjIjoxLCJmIjoiYWJjIiwidiI6MX0.aw-yPQ.wNrqAHrwK0oBJWDEZNny46b19Ss"


def test_redact_replaces_the_token_and_keeps_the_route() -> None:
    line = f'"GET /profile/edit/{TOKEN}?x=1 HTTP/1.1" 302 -'
    assert redact(line) == '"GET /profile/edit/[redacted]?x=1 HTTP/1.1" 302 -'
    assert TOKEN not in redact(f"/profile/submitted/{TOKEN}")
    assert redact("/profile/edit") == "/profile/edit"
    assert redact("/admin/companies/3/edit") == "/admin/companies/3/edit"


@pytest.mark.parametrize("logger_class", [RedactingGunicornLogger, GunicornLogger])
def test_gunicorn_access_logs_are_redacted(
    app: Flask,
    tmp_path: Path,
    logger_class: type[GunicornLogger],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real gunicorn access logger writing its format (plus path, referer and a missing
    header atom) to a file: redacted with logger_class = RedactingGunicornLogger in
    gunicorn.conf.py, and with gunicorn's own logger too (the app's filter)."""
    # The migrations' logging.config.fileConfig disables loggers that existed before it.
    monkeypatch.setattr(logging.getLogger("gunicorn.access"), "disabled", False)
    log_file = tmp_path / "access.log"
    config = GunicornConfig()
    config.set("accesslog", str(log_file))
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s path=%(U)s ref=%(f)s %({x-missing}i)s')
    logger = logger_class(config)
    path = f"/profile/edit/{TOKEN}"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://mail.example/?u=/profile/submitted/{TOKEN}",
    }
    response = SimpleNamespace(status="302 FOUND", sent=0, headers=[("Location", "/profile/edit")])
    request = SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=3))
    for handler in list(logger.access_log.handlers):
        handler.close()
        logger.access_log.removeHandler(handler)
    written = log_file.read_text()
    assert "/profile/edit/[redacted]" in written
    assert "path=/profile/edit/[redacted]" in written
    assert TOKEN not in written
    assert written.rstrip().endswith(" -")  # gunicorn's atoms still answer '-' when missing


def test_the_development_server_log_is_redacted(
    app: Flask,
    session: Session,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A real request through Werkzeug's server: its request line is logged redacted."""
    # The migrations' logging.config.fileConfig disables loggers that existed before it.
    monkeypatch.setattr(logging.getLogger("werkzeug"), "disabled", False)
    company = edit_links.submit_profile(session, loaded_company(), on_change=no_embedding)
    token = edit_links.edit_token(company, app.secret_key)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    opener = urllib.request.build_opener(NoRedirect)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        try:
            with pytest.raises(urllib.error.HTTPError) as answer:
                opener.open(f"http://127.0.0.1:{server.server_port}/profile/edit/{token}")
        finally:
            server.shutdown()
            server.server_close()  # joins the request thread, which logs after answering
            thread.join(timeout=10)
    answer.value.close()
    assert answer.value.code == 302
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/profile/edit/[redacted]" in line for line in lines), lines
    assert not any(token in line for line in lines)


def test_the_filter_also_redacts_dict_arguments() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%(r)s", None, None)
    record.args = {"r": f"GET /profile/edit/{TOKEN} HTTP/1.1"}
    RedactEditTokens().filter(record)
    assert TOKEN not in record.getMessage()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
