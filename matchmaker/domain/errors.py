"""Exceptions the matching domain raises; each message tells the caller how to fix it.

They live here (not in `matchmaker/errors.py`) because the domain may not import
Flask; the web layer maps these classes to HTTP answers.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error raised by `matchmaker.domain`."""


class EmbeddingModelError(DomainError):
    """The sentence-embedding model could not be loaded or used."""


class ModelMismatchError(DomainError, ValueError):
    """Vectors or a saved index do not fit the configured embedding model."""


class UnknownCompanyError(DomainError, LookupError):
    """A company id is not held by the matcher."""


class InvalidQueryError(DomainError, ValueError):
    """A match request cannot be answered as asked (empty, out of range...)."""


class IndexFileError(DomainError):
    """A saved index file is missing, truncated or of an unknown format."""
