"""Messages for people, written in English where they arise and translated where they are shown.

Validation and services run without knowing who reads the answer (the form in Ukrainian,
the API in English, the CLI without a request), so they produce English text and the web
layer translates it at render time (`matchmaker.web.i18n.localize`). `N_` marks a fixed
text for `pybabel extract` (one of Babel's default keywords); `Message` is English text
with values in it that keeps its template, so the translation can be looked up and filled
with the same values.
"""

from __future__ import annotations

from typing import Any


def N_(text: str) -> str:  # noqa: N802 - the name Babel's extractor knows
    """Mark `text` for translation without translating it (that happens when it is shown)."""
    return text


class Message(str):
    """English text made from `template % values`, remembering both for translation.

    It is a str, so JSON, logs and code comparing with English see the English text.
    A value that is itself a Message (a country's name) is translated along with it.
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Message:
        message = super().__new__(cls, template % values if values else template)
        message.template = template
        message.values = values
        return message

    def format(self, *args: object, **kwargs: object) -> str:
        """Marshmallow fills `{input}`-style fields of validator errors with `format`; a
        Message has its values already, and must stay a Message to be translated."""
        return self
