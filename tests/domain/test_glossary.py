"""The Ukrainian -> English glossary behind shared terms across languages: its file
format is checked, the longest prefix wins, short keys match their own word only, and
the bundled file parses with every entry giving English terms."""

from __future__ import annotations

import pytest

from matchmaker.domain import glossary
from matchmaker.domain.glossary import GlossaryError, parse
from matchmaker.domain.lexical import (
    CYRILLIC,
    glossary_gaps,
    glossed,
    stem,
    text_script,
    tokenize,
)

SAMPLE = "# comment\n\nснаряд*\tshell\nснарядж*\tfilling\nмм\tmm\nмін\tmine\n"


def test_the_longest_matching_prefix_wins_and_short_keys_match_only_themselves() -> None:
    words = parse(SAMPLE)
    assert words.english_for("снарядів") == "shell"
    assert words.english_for("снаряджання") == "filling"  # not "shell": longer key
    assert words.english_for("мм") == "mm"
    assert words.english_for("мін") == "mine"
    assert words.english_for("міністерство") is None  # "мін" is not a prefix key
    assert words.english_for("снар") is None  # shorter than every prefix


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("снаряд* shell\n", "expected"),  # no tab
        ("снаряд*\t\n", "expected"),  # no English
        ("Снаряд*\tshell\n", "expected"),  # not lower case
        ("сн*\tshell\n", "3 letters"),
        ("снаряд*\tshell\nснаряд*\tround\n", "listed twice"),
    ],
)
def test_a_malformed_line_is_refused_with_its_number(text: str, problem: str) -> None:
    with pytest.raises(GlossaryError, match=problem) as raised:
        parse(text)
    assert "line " in str(raised.value)


def test_the_bundled_glossary_parses_and_every_entry_gives_english_terms() -> None:
    words = glossary.bundled()
    entries = {**words.exact, **words.prefixes}
    assert len(entries) > 300
    for key, english in entries.items():
        assert text_script(key) == CYRILLIC, key
        assert tokenize(english, bilingual=False), key  # not only stop words


def test_ukrainian_and_english_descriptions_of_one_product_share_terms() -> None:
    english = set(tokenize("Repair of armoured vehicles and 155 mm howitzer barrels"))
    ukrainian = set(tokenize("Ремонт бронетехніки та стволів 155-мм гаубиць"))
    assert {"repair", "armoured", "vehicle", "howitzer", "barrel", "155", "mm"} <= (
        english & ukrainian
    )
    plain = set(tokenize("Ремонт бронетехніки та стволів 155-мм гаубиць", bilingual=False))
    assert english & plain == {"155"}  # without the glossary, only the number meets


def test_glossed_text_keeps_every_word_and_adds_the_english_of_known_ones() -> None:
    """What an English-only text model reads of a Ukrainian text: the original words in
    their order, each known one followed by its English; unknown words, Latin
    designations, numbers and punctuation as written."""
    text = "Ремонт бронетехніки та FPV-дрони, 155-мм снарядів; Стугна-П."
    assert glossed(text) == (
        "Ремонт repair бронетехніки armoured vehicle та FPV-дрони drone, "
        "155-мм mm снарядів shell; Стугна-П."  # "та" is a stopword, "Стугна" a name
    )


def test_glossing_leaves_a_text_without_cyrillic_untouched() -> None:
    text = "We repair armoured vehicles; 155 mm shells (ref. 12/2026)."
    assert glossed(text) is text


def test_glossing_reads_a_word_with_an_apostrophe_as_the_file_writes_its_key() -> None:
    """Keys are written without apostrophes ("звязок"), texts with them ("зв’язок")."""
    for written in ("зв'язок", "зв’язок", "звʼязку"):
        assert glossed(written) == f"{written} communications"


def test_glossary_gaps_are_the_unknown_ukrainian_words_most_widespread_first() -> None:
    """Inflected forms count under one stem; known words, stop words, English words and
    designations are left out; a word in more texts ranks above a word repeated in one."""
    texts = [
        "Кування та поковки для снарядів; поковки, поковки й ще раз поковки.",
        "Кування валів для FPV-дронів.",
        "Кування стволів, багато кування.",
    ]
    assert glossary.english_for("снарядів") and glossary.english_for("дронів")
    gaps = glossary_gaps(texts, top=10)
    assert not any(g.stem in (stem("снарядів"), stem("дронів"), "fpv", "та", "для") for g in gaps)
    first, second = gaps[0], gaps[1]
    assert (first.written, first.texts, first.occurrences) == ("кування", 3, 4)
    assert (second.written, second.texts, second.occurrences) == ("поковки", 1, 4)
    assert glossary_gaps(texts, top=1) == [first]
    assert glossary_gaps(["Only English words, 155 mm."]) == []
