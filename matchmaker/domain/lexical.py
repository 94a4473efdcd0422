"""Words of a profile: the whole-profile text and a tokeniser for English and Ukrainian.

`profile_text` is everything a firm says about itself (description, offers, seeks and
the labels of the capabilities it ticked, offered and sought), name-free. `tokenize`
turns any text into search terms the same way for both languages of the registry:
Unicode words (Latin and Cyrillic letters, digits), lower-cased, apostrophes inside
Ukrainian words dropped, stop words removed, and a light suffix stemmer per script
("drones" and "drone" meet, as do "дронів", "дрони" and "дронами"). Designations are
kept whole and in parts, and digits glued to letters are split, so every spelling of
one meets the others: "AI-450" gives "ai-450", "ai", "450"; "155mm", "155 mm" and
"155-mm" all give "155" and "mm" (the first and last also "155-mm").

`text_script` tells which of the registry's two scripts a text is mostly written in:
two firms that write in different scripts share no words but designations and
numbers, so their word overlap says nothing about their fit.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from matchmaker.domain import glossary
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import CAPABILITY_CODES, capability_label

_WORD = re.compile(r"[^\W_]+(?:['ʼ’`][^\W_]+)*")
# Starts only where a word starts: tried inside a word, the pattern re-read the rest of
# it at every letter (4x slower, and any match found there was found from the start).
_COMPOUND = re.compile(r"(?<![^\W_])[^\W_]+(?:[-/.][^\W_]+)+")
_DIGITS = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")
_APOSTROPHES = re.compile(r"['ʼ’`]")
# Letters only, so "155мм" still shows its "мм" to the glossary (`glossed`).
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:['ʼ’`][^\W\d_]+)*")
# Runs, not single letters: counting letters by the run is 4x faster than one match each.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")

LATIN, CYRILLIC = "latin", "cyrillic"

# Raise on any change to the rules below that changes the terms of some text; saved
# term postings (matcher snapshots) are only valid under the rules that wrote them.
TOKENISER_RULES = 1

ENGLISH_STOPWORDS = frozenset(
    """a an and are as at be been by can for from has have in into is it its of on or our
    such than that the their them they this to up was we were which while who will with
    also more most other over per some these those via within without about after all
    any both each few own same so only not no""".split()  # noqa: SIM905
)
UKRAINIAN_STOPWORDS = frozenset(
    """і й та а але або в у з із зі на до для від по під над при про за через між як що це
    цей ця ці його її їх їхній які який яка яке також ще вже не ні ми ви вони він вона
    воно наш наша наше наші свій своя своє свої себе так таких такий тощо зокрема понад
    близько""".split()  # noqa: SIM905
)
STOPWORDS = ENGLISH_STOPWORDS | UKRAINIAN_STOPWORDS

# Inflectional endings, longest first; a stem keeps at least MIN_STEM letters.
_UKRAINIAN_ENDINGS = tuple(
    sorted(
        """ями ами ові еві ого ому ими іми ість ості ться ують юють ати яти ити іти ння ої
        ою ею ій ий их іх ім ам ям ах ях ом ем ів їв ов ую юю ая яя ти ть ся ує ює и і ї
        а я о е є у ю ь й""".split(),  # noqa: SIM905
        key=len,
        reverse=True,
    )
)
MIN_STEM = 3


def profile_text(profile: CompanyProfile) -> str:
    """Description, offers, seeks and the labels of every capability ticked (offered or
    sought), in that order; the firm's name is not part of it."""
    codes = sorted(
        c for c in profile.capabilities | profile.seeking_capabilities if c in CAPABILITY_CODES
    )
    labels = "; ".join(capability_label(c) for c in codes)
    parts = (profile.description, profile.offers, profile.seeks, labels)
    return " ".join(" ".join(part.split()) for part in parts if part and part.strip())


@lru_cache(maxsize=1)
def tokeniser_fingerprint() -> str:
    """What decides the terms `tokenize` gives: the rules' version and the glossary's
    content. A snapshot saved under another fingerprint holds other terms for the same
    texts (a glossary edit turns "дронів" from a stem into "drone"), so it is rebuilt."""
    digest = hashlib.sha256(glossary.GLOSSARY_FILE.read_bytes()).hexdigest()[:16]
    return f"{TOKENISER_RULES}:{digest}"


def text_script(text: str) -> str | None:
    """LATIN or CYRILLIC, whichever has more letters in `text`; None without letters of
    either (a text of numbers, or none). Designations in Latin letters inside a Ukrainian
    text ("FPV", "AI-450") do not outweigh its Cyrillic words."""
    cyrillic = sum(map(len, _CYRILLIC.findall(text)))
    latin = sum(map(len, _LATIN.findall(text)))
    if not cyrillic and not latin:
        return None
    return CYRILLIC if cyrillic > latin else LATIN


def tokenize(text: str, *, bilingual: bool = True) -> list[str]:
    """Search terms of `text` (see the module docstring); the same rules for any language.
    `bilingual`: Ukrainian words the glossary knows become its English terms."""
    normalized = _prepared(text).lower()
    if bilingual and _CYRILLIC.search(normalized) is not None:
        terms = [english_compound(_compound(c)) for c in _COMPOUND.findall(normalized)]
        for word in _WORD.findall(normalized):
            if word not in STOPWORDS:
                terms.extend(word_terms(word))
        return terms
    terms = [_compound(c) for c in _COMPOUND.findall(normalized)]
    for word in _WORD.findall(normalized):
        if word not in STOPWORDS:
            terms.append(stem(word))
    return terms


@lru_cache(maxsize=1 << 16)  # a registry's vocabulary is small; most words repeat
def word_terms(word: str) -> tuple[str, ...]:
    """The terms of one lower-cased word: for a Ukrainian word the glossary knows, its
    English terms (so "снарядів" meets "shells"), else the word's stem."""
    if _CYRILLIC.search(word) is not None:
        english = glossary.english_for(word)
        # Words only: a word's terms never hold a hyphen (compounds are the text's own,
        # `first_forms` relies on it), so "air-defence" gives "air" and "defence".
        terms = tuple(t for t in tokenize(english or "", bilingual=False) if "-" not in t)
        if terms:
            return terms
    return (stem(word),)


def english_compound(compound: str) -> str:
    """A compound with each Ukrainian part the glossary knows as its first English term
    ("155-мм" -> "155-mm"), so a calibre written in either language is one term."""
    if _CYRILLIC.search(compound) is None:
        return compound
    return "-".join(word_terms(part)[0] if part else part for part in compound.split("-"))


def _prepared(text: str) -> str:
    """NFKC, apostrophes inside words dropped, digits split from letters ("155mm" -> "155-mm")."""
    return split_glued(_APOSTROPHES.sub("", unicodedata.normalize("NFKC", text)))


def split_glued(text: str) -> str:
    """A hyphen wherever a letter and a digit meet ("155mm" -> "155-mm", "AI450" ->
    "AI-450"): at the ends of digit runs, which a search finds far faster than a
    zero-width pattern tried at every character."""
    cuts = []
    for run in _DIGITS.finditer(text):
        start, end = run.span()
        if start and _LETTER.match(text, start - 1):
            cuts.append(start)
        if end < len(text) and _LETTER.match(text, end):
            cuts.append(end)
    if not cuts:
        return text
    bounds = [0, *cuts, len(text)]
    return "-".join(text[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True))


def _compound(word: str) -> str:
    return word.replace("/", "-").replace(".", "-")


def surface_forms(text: str) -> dict[str, str]:
    """Each term of `text` and the first word it came from, as written ("FPV" for "fpv",
    "155-mm" for itself, "снарядів" for "shell"), to show terms to people."""
    written = _prepared(text)
    forms: dict[str, str] = {}
    for compound in _COMPOUND.findall(written):
        forms.setdefault(_compound_term(compound), compound)
    for word in _WORD.findall(written):
        for term in word_terms(word.lower()):
            forms.setdefault(term, word)
    return forms


def first_forms(text: str, terms: Collection[str]) -> dict[str, str]:
    """`surface_forms(text)` for `terms` only (those found), reading the text only until
    each is found: a compound's term always holds a hyphen and a word's never does, so
    each kind is looked for among its own matches, in the order written."""
    written = _prepared(text)
    forms: dict[str, str] = {}
    compounds = {t for t in terms if "-" in t}
    words = {t for t in terms if "-" not in t}
    _read_until_found(_COMPOUND, lambda w: (_compound_term(w),), written, compounds, forms)
    # The search by stem finds Latin words only: in a text with Ukrainian words the
    # glossary may give the same term earlier, so such a text is read word by word.
    for term in list(words) if _CYRILLIC.search(written) is None else ():
        form = _first_word(written, term)
        if form is not None:
            forms[term] = form
            words.discard(term)
    _read_until_found(_WORD, lambda w: word_terms(w.lower()), written, words, forms)
    return forms


def _compound_term(written: str) -> str:
    return english_compound(_compound(written.lower()))


def _read_until_found(
    pattern: re.Pattern[str],
    terms_of: Callable[[str], tuple[str, ...]],
    written: str,
    wanted: set[str],
    forms: dict[str, str],
) -> None:
    """Add to `forms` the first match of `pattern` giving each of `wanted` among its
    terms, reading matches in order until none is wanted any more."""
    for match in pattern.finditer(written) if wanted else ():
        for term in terms_of(match.group()):
            if term in wanted:
                forms[term] = match.group()
                wanted.discard(term)
        if not wanted:
            break


def _first_word(written: str, term: str) -> str | None:
    """The first word of `written` whose stem is `term`, found by searching for the text
    every such word starts with (the stem, or for "-ies" plurals the stem less its "y");
    None if the search finds none (the caller then reads every word)."""
    start = 0
    pattern = _stem_start(term)
    while (found := pattern.search(written, start)) is not None:
        word = _WORD.match(written, found.start())
        if word is not None and stem(word.group().lower()) == term:
            return word.group()
        start = found.start() + 1
    return None


@lru_cache(maxsize=4096)
def _stem_start(term: str) -> re.Pattern[str]:
    prefix = term[:-1] if term.endswith("y") else term
    return re.compile(r"(?<![^\W_])" + re.escape(prefix), re.IGNORECASE)


@lru_cache(maxsize=1 << 16)  # a registry's vocabulary is small; most words repeat
def stem(word: str) -> str:
    """A light, deterministic suffix stemmer: Ukrainian endings for Cyrillic words, plural
    endings for Latin ones; numbers and short words stay as they are."""
    if word.isdigit() or len(word) <= MIN_STEM:
        return word
    if _CYRILLIC.search(word):
        for ending in _UKRAINIAN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class GlossaryGap:
    """A Ukrainian word (its stem) the glossary does not know: how often, in how many
    texts, and its most frequent written form."""

    stem: str
    written: str
    occurrences: int
    texts: int


def glossary_gaps(texts: Iterable[str], top: int = 30) -> list[GlossaryGap]:
    """The `top` Ukrainian words of `texts` the glossary gives no English for, stop words
    left out, inflected forms counted under one stem; most widespread first (by the
    number of texts, then occurrences, then the stem). These words meet no English text:
    neither in shared terms across languages nor in what an English-only text model reads,
    so they are where a curator extends `glossary_uk_en.tsv` first."""
    occurrences: Counter[str] = Counter()
    in_texts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        seen: set[str] = set()
        # Letter runs, as `glossed` and the tokeniser look words up ("155мм" shows "мм").
        for word in _LETTER_WORD.findall(_APOSTROPHES.sub("", unicodedata.normalize("NFKC", text))):
            lower = word.lower()
            if len(lower) < 2 or lower in STOPWORDS or _CYRILLIC.fullmatch(lower) is None:
                continue
            if glossary.english_for(lower) is not None:
                continue
            root = stem(lower)
            occurrences[root] += 1
            forms.setdefault(root, Counter())[lower] += 1
            seen.add(root)
        in_texts.update(seen)
    ranked = sorted(occurrences, key=lambda r: (-in_texts[r], -occurrences[r], r))[:top]
    return [
        GlossaryGap(r, forms[r].most_common(1)[0][0], occurrences[r], in_texts[r]) for r in ranked
    ]


def glossed(text: str) -> str:
    """`text` with the glossary's English after every Cyrillic word it knows, for a text
    model trained on English only: "ремонт бронетехніки" reads "ремонт repair
    бронетехніки armoured vehicle". The Ukrainian words stay, so names and designations
    the model can still relate are not lost; a text without Cyrillic is returned as is.
    Keys are written without apostrophes, so a word is looked up without them."""
    if _CYRILLIC.search(text) is None:
        return text

    def with_english(word: re.Match[str]) -> str:
        written = word.group(0)
        english = (
            glossary.english_for(_APOSTROPHES.sub("", written.lower()))
            if _CYRILLIC.search(written)
            else None
        )
        return f"{written} {english}" if english else written

    return _LETTER_WORD.sub(with_english, text)
