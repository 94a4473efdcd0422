"""Shared terms across the registry's two languages: a Ukrainian text and an English one
share only designations and the words the glossary translates, so their overlap is its
own component (`lexical_across`), and plain shared terms do not apply to them."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaker.domain.components.base import PairInputs
from matchmaker.domain.lexical import CYRILLIC, LATIN, text_script
from matchmaker.domain.scoring import PairScore, score_pair
from matchmaker.domain.scoring_config import ScoringConfig
from tests.domain.factories import TODAY, make_profile

CONFIG = ScoringConfig()

SHELLS_EN = "We load and assemble 155 mm artillery shells and fuzes in serial production."
SHELLS_UK = "Спорядження та складання 155-мм артилерійських снарядів і підривників серійно."
DRONES_EN = "We build FPV strike drones and thermal cameras for night flights."


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (SHELLS_EN, LATIN),
        (SHELLS_UK, CYRILLIC),
        # Latin designations inside a Ukrainian text do not make it English.
        ("Виробляємо FPV-дрони та двигуни AI-450 для БпЛА", CYRILLIC),
        ("Société française: munitions de 155 mm", LATIN),
        ("155 / 2025 — 12", None),
        ("", None),
    ],
)
def test_the_script_of_a_text_is_the_one_most_of_its_letters_are_in(
    text: str, script: str | None
) -> None:
    assert text_script(text) == script


DRONES_UK = "Виробляємо ударні FPV-дрони та тепловізійні камери для нічних польотів."


def _pair(a_text: str, b_text: str) -> PairScore:
    """B scored for A, B's side holding B and firms of every text here."""
    a = make_profile(id=1, name="Asker", country="DE", offers=a_text)
    b = make_profile(id=2, name="Cand", country="UA", offers=b_text)
    others = [
        make_profile(id=10 + n, name=f"Other {n}", country="UA", offers=text)
        for n, text in enumerate((SHELLS_EN, SHELLS_UK, DRONES_EN, DRONES_UK))
    ]
    return score_pair(a, b, PairInputs(TODAY), CONFIG, side=[b, *others])


def _lexical(a_text: str, b_text: str) -> tuple[float | None, list[str]]:
    """The shared-terms value of B for A, and the codes of the pair's warnings."""
    pair = _pair(a_text, b_text)
    return pair.components["lexical"], [w.code for w in pair.warnings]


def test_across_languages_the_glossary_finds_the_same_product() -> None:
    shells, drones = _pair(SHELLS_EN, SHELLS_UK), _pair(SHELLS_EN, DRONES_UK)
    assert shells.components["lexical"] is None  # plain shared terms: within a script only
    assert shells.components["lexical_across"] > drones.components["lexical_across"]
    assert (
        _pair(DRONES_EN, DRONES_UK).components["lexical_across"]
        > (_pair(DRONES_EN, SHELLS_UK).components["lexical_across"])
    )
    (reason,) = [r for r in shells.reasons if r.code == "shared_terms_across"]
    # each term as the asker wrote it, then as the candidate did
    assert "fuzes (підривників)" in reason.params["terms"]
    assert "artillery (артилерійських)" in reason.params["terms"]
    assert "languages_differ" in [w.code for w in shells.warnings]


def test_within_one_language_only_plain_shared_terms_apply() -> None:
    pair = _pair(SHELLS_EN, DRONES_EN)
    assert pair.components["lexical_across"] is None
    assert pair.components["lexical"] is not None
    assert not [r for r in pair.reasons if r.code == "shared_terms_across"]


def test_a_firm_writing_in_the_other_language_is_not_scored_on_plain_shared_words() -> None:
    value, warnings = _lexical(SHELLS_EN, SHELLS_UK)
    assert value is None  # does not apply: the weights of the other components decide
    assert "languages_differ" in warnings


def test_firms_writing_in_the_same_language_are_still_compared_word_by_word() -> None:
    alike, alike_warnings = _lexical(SHELLS_EN, SHELLS_EN.replace("We load", "Our plant loads"))
    unlike, _ = _lexical(SHELLS_EN, DRONES_EN)
    assert alike is not None and unlike is not None and alike > unlike
    assert "languages_differ" not in alike_warnings
    both_uk, _ = _lexical(SHELLS_UK, SHELLS_UK)
    assert both_uk is not None and both_uk > 0


def test_the_blend_ignores_the_missing_overlap_instead_of_counting_it_as_zero() -> None:
    a = make_profile(id=1, name="Asker", country="DE", offers=SHELLS_EN)
    b = make_profile(id=2, name="Cand", country="UA", offers=SHELLS_UK)
    pair = score_pair(a, b, PairInputs(TODAY), CONFIG)
    applying = {n: v for n, v in pair.components.items() if v is not None}
    expected = sum(CONFIG.weights[n] * v for n, v in applying.items()) / sum(
        CONFIG.weights[n] for n in applying
    )
    assert "lexical" not in applying
    assert math.isclose(pair.score, expected, abs_tol=1e-4)


def test_a_text_the_model_cannot_read_is_flagged_only_for_models_that_cannot_read_it() -> None:
    a = make_profile(id=1, name="Asker", country="DE", offers=SHELLS_EN)
    b = make_profile(id=2, name="Cand", country="UA", offers=SHELLS_UK)
    minilm = ScoringConfig.for_model("all-MiniLM-L6-v2")
    e5 = ScoringConfig.for_model("multilingual-e5-small")
    flagged = score_pair(a, b, PairInputs(TODAY, offer_offer=0.5), minilm).warnings
    assert [w.params for w in flagged if w.code == "model_language"] == [{"firm": "Cand"}]
    unflagged = score_pair(a, b, PairInputs(TODAY, offer_offer=0.9), e5).warnings
    assert not [w for w in unflagged if w.code == "model_language"]
    english = make_profile(id=3, name="Other", country="UA", offers=DRONES_EN)
    assert not [
        w
        for w in score_pair(a, english, PairInputs(TODAY, offer_offer=0.5), minilm).warnings
        if w.code == "model_language"
    ]


NAMED_TERMS = """
import json, sys
from matchmaker.domain.components.lexical import VOCABULARY
from matchmaker.domain.lexical import tokenize
from tests.domain.test_languages import SHELLS_EN, SHELLS_UK, DRONES_UK, _pair
if sys.argv[1] == "reversed":  # this process saw the terms first in the other order
    seen = tokenize(" ".join((SHELLS_EN, SHELLS_UK, DRONES_UK)))
    VOCABULARY.ids(list(reversed(seen)), grow=True)
pair = _pair(SHELLS_EN, SHELLS_UK)
print(json.dumps([r.params["terms"] for r in pair.reasons if r.code == "shared_terms_across"]))
"""


def test_the_terms_a_reason_names_do_not_depend_on_the_order_a_process_saw_them() -> None:
    """Term ids follow the order a process first meets each term; two workers with
    different histories must still name the same terms for the same pair."""
    named = [
        subprocess.run(
            [sys.executable, "-c", NAMED_TERMS, order],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        ).stdout
        for order in ("first", "reversed")
    ]
    assert json.loads(named[0]) and named[0] == named[1]
