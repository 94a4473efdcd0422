"""Messages from validation and the services, translated where a person reads them.

Schemas and services write English (`matchmaker.domain.messages`); the page or API answer
that shows a message translates it here, in the request's language (see
`matchmaker.web.i18n` for how that is chosen).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from matchmaker.domain.messages import Message


def localize(message: object) -> str:
    """A message from validation or a service, in the reader's language (English text
    without a translation stays as it is)."""
    if isinstance(message, Message):
        values = {
            name: localize(value) if isinstance(value, Message) else value
            for name, value in message.values.items()
        }
        return gettext(message.template, **values)
    return gettext(str(message)) if message else ""


def localize_errors(errors: Any) -> Any:
    """A tree of error messages (schema errors keyed by field and index), translated;
    the keys stay as they are, since clients read them."""
    if isinstance(errors, dict):
        return {key: localize_errors(value) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [localize_errors(value) for value in errors]
    return localize(errors) if isinstance(errors, str) else errors
