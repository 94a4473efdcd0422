"""Search keys: one spelling of a text, so a search finds it however either was typed.

SQLite's LIKE and lower() fold ASCII letters only, and PostgreSQL's follow the
database's locale, so "крук" did not find "Крук" on SQLite and might not on a
PostgreSQL created with the C locale. The registry stores a key folded here, in
Python, next to the texts, and a search folds its query the same way: the
comparison is then a plain LIKE that behaves alike on both databases.
"""

from __future__ import annotations

import re
import unicodedata

# Ukrainian names are written with any of these for the apostrophe (Мар'янівка).
_APOSTROPHES = str.maketrans(dict.fromkeys("’ʼ‘`´", "'"))
_WHITESPACE = re.compile(r"\s+")
# Folding turns every whitespace run into one space, so no key holds a newline and a
# query can never match across the boundary of two fields.
FIELD_SEPARATOR = "\n"


def search_key(text: str) -> str:
    """`text` case-folded (Unicode, not just ASCII), compatibility-normalized, with one
    apostrophe and single spaces."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _WHITESPACE.sub(" ", folded.translate(_APOSTROPHES)).strip()


def record_search_key(*texts: str | None) -> str:
    """The stored key of a record: each searchable text folded, one per line."""
    return FIELD_SEPARATOR.join(search_key(text or "") for text in texts)
