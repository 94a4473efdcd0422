"""The English for Ukrainian words of the field, from `glossary_uk_en.tsv`.

Two firms writing in different languages share no words, so shared terms (BM25) could
not compare a Ukrainian maker's profile with a European firm's. A sentence model relates
the two languages only loosely (docs/evaluation.md), and word-by-word translation by
nearest embedding maps words onto look-alikes ("несе" to "sensor"). A curated glossary
of the field's vocabulary is exact: "снарядів" is "shell", "бронетехніки" is "armoured
vehicle". Its keys are written as prefixes of inflected forms, since Ukrainian inflects
every noun and adjective (see the file's header for the format).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("glossary_uk_en.tsv")
MIN_PREFIX = 3  # a shorter key matches its own word only


class GlossaryError(ValueError):
    """A line of the glossary file cannot be read."""


@dataclass(frozen=True)
class Glossary:
    exact: dict[str, str]  # word -> English
    prefixes: dict[str, str]  # start of a word -> English
    longest: int  # length of the longest prefix

    def english_for(self, word: str) -> str | None:
        """The English of a lower-cased word: its own entry, else the longest prefix of
        it that is a key; None if the glossary does not know it."""
        found = self.exact.get(word)
        if found is not None:
            return found
        for end in range(min(len(word), self.longest), MIN_PREFIX - 1, -1):
            found = self.prefixes.get(word[:end])
            if found is not None:
                return found
        return None


def parse(text: str) -> Glossary:
    """A glossary from the file's text; refuses malformed lines, repeated keys and keys
    that are not lower case."""
    exact: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        key, tab, english = line.partition("\t")
        word = key.removesuffix("*")
        if not tab or not english.strip() or not word or word != word.lower().strip():
            raise GlossaryError(f"line {number}: expected '<lower-case key>\\t<English>'")
        into = prefixes if key.endswith("*") else exact
        if key.endswith("*") and len(word) < MIN_PREFIX:
            raise GlossaryError(f"line {number}: a prefix needs {MIN_PREFIX} letters or more")
        if word in into:
            raise GlossaryError(f"line {number}: {key!r} is listed twice")
        into[word] = english.strip()
    return Glossary(exact, prefixes, max(map(len, prefixes), default=0))


@lru_cache(maxsize=1)
def bundled() -> Glossary:
    return parse(GLOSSARY_FILE.read_text(encoding="utf-8"))


def english_for(word: str) -> str | None:
    """`Glossary.english_for` of the bundled glossary."""
    return bundled().english_for(word)
