"""One guard in front of every view: input no database or page can hold is refused at the door.

PostgreSQL refuses NUL in text, a UTF-8 encoder refuses lone surrogates (JSON may spell
them as \\ud800), Python's JSON parser overflows its stack on deeply nested arrays, and a
line break in a redirect target breaks the response header. Each of these used to fail
deep inside a view, as a 500, sometimes after the write had been committed. Checking the
path, query, form and JSON body here, before any view runs, answers 400 naming the
field, and nothing is written. Ids in paths are bounded by the `id` URL converter, so an
id the database cannot represent is simply not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from matchmaker.errors import MatchmakerError
from matchmaker.schemas import MAX_ID

MAX_JSON_DEPTH = 32  # the deepest real body (a profile) nests three levels
# Fields that end up in a response header (a redirect target) must be one line.
SINGLE_LINE_FIELDS = frozenset({"next"})

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


class HostileInputError(MatchmakerError):
    """The request holds text that cannot be stored or sent back; nothing was written."""

    status = 400


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive integer that fits the database's id column; others are 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def init_input_guard(app: Flask) -> None:
    """Register the `id` converter (before any route uses it) and the request guard."""
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_hostile_input)


def refuse_hostile_input() -> None:
    """Raise HostileInputError naming every field whose text cannot be handled."""
    errors: dict[str, list[str]] = {}
    strings = [
        *_pairs((request.view_args or {}).items()),
        *_pairs(request.args.items(multi=True)),
        *_pairs(request.form.items(multi=True)),
    ]
    if request.is_json:
        strings.extend(_json_strings(errors))
    for name, text in strings:
        if problem := text_problem(text, single_line=name in SINGLE_LINE_FIELDS):
            errors.setdefault(_printable(name), []).append(problem)
    if errors:
        fields = ", ".join(sorted(errors))
        raise HostileInputError(f"Invalid characters or structure in: {fields}.", errors)


def text_problem(text: str, *, single_line: bool = False) -> str | None:
    """Why `text` cannot be accepted, or None."""
    found = (_CONTROL if single_line else _UNSTORABLE).search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "Contains a NUL character, which cannot be stored."
    if "\ud800" <= char <= "\udfff":
        return "Contains an unpaired surrogate, which is not valid Unicode text."
    return "Must be a single line without control characters."


def _pairs(items: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, str]]:
    for name, value in items:
        yield name, name  # a field name is input too
        if isinstance(value, str):
            yield name, value


def _json_strings(errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        errors["body"] = [f"Nested more than {MAX_JSON_DEPTH} levels deep."]
        return []
    strings: list[tuple[str, str]] = []
    # Iterative, so a body nested just under the parser's limit cannot overflow us either.
    stack: list[tuple[str, Any, int]] = [("body", body, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            errors["body"] = [f"Nested more than {MAX_JSON_DEPTH} levels deep."]
            return []
        if isinstance(value, str):
            strings.append((path, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                child = key if path == "body" else f"{path}.{key}"
                strings.append((child, key))
                stack.append((child, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}", item, depth + 1) for i, item in enumerate(value))
    return strings


def _printable(name: str) -> str:
    """A field name safe to echo in a message (it may itself be the hostile part)."""
    return name.encode("unicode_escape").decode("ascii")
