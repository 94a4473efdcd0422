"""Keep firms' private edit tokens out of access logs.

The app already drops the token from the URL on first use (it redirects to a tokenless
page, see `web.pages`), so a token reaches one request line at most. That one line is
redacted here, for any server:

- `RedactEditTokens`, a logging filter for any logger whose records carry request lines;
  `install_log_filters` (called by the app factory) puts it on Werkzeug's development
  server log and on `gunicorn.access`, so gunicorn's log is redacted whatever its config;
- `RedactingGunicornLogger`, a gunicorn logger class: `logger_class =
  "matchmaker.access_log.RedactingGunicornLogger"` in gunicorn.conf.py redacts every atom
  of the access log (request line, path, query, referer) even before the app is loaded.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

REDACTED = "[redacted]"
# The token is the one path segment after /profile/edit/ or /profile/submitted/.
_TOKEN_PATH = re.compile(r"(/profile/(?:edit|submitted)/)[^/?#\s\"]+")


def redact(text: str) -> str:
    """`text` with every edit token in a profile link replaced by [redacted]."""
    return _TOKEN_PATH.sub(rf"\g<1>{REDACTED}", text)


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactEditTokens(logging.Filter):
    """Rewrites a record's message and arguments so no edit token is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            # In place: gunicorn passes a dict subclass whose lookups must keep working.
            for key, value in list(record.args.items()):
                record.args[key] = _redact_value(value)
        elif isinstance(record.args, Mapping):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_value(value) for value in record.args)
        return True


ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def install_log_filters() -> None:
    """Redact the request logs of Werkzeug and gunicorn (idempotent: once per logger)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactEditTokens) for f in logger.filters):
            logger.addFilter(RedactEditTokens())


class RedactingGunicornLogger(GunicornLogger):  # type: ignore[misc]
    """gunicorn's logger, with edit tokens redacted from every access-log atom."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: _redact_value(value) for key, value in atoms.items()}
