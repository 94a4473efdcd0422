"""`first_forms` finds each term's first written form without reading every word, and
gives exactly what `surface_forms` of the whole text gives, on texts mixing cases,
plurals, Ukrainian inflections, designations and glued calibres."""

from __future__ import annotations

import random
import re

import pytest

from matchmaker.domain.lexical import first_forms, split_glued, surface_forms

PIECES = """Batteries battery BATTERY Drones drone's FPV fpv-drones 155mm 155-mm 155 mm AI-450
    AI/450 ai.450 Bohdana bohdana's radars Radar classes glasses Дронів дрони ДРОНАМИ
    снаряди снарядів Снаряд оптика оптики «Богдана» naïve Naïve İstanbul istanbul
    ſtraße STRASSE x-ray X-Rays""".split()  # noqa: SIM905


@pytest.mark.parametrize("seed", range(40))
def test_first_forms_equal_the_surface_forms_of_the_whole_text(seed: int) -> None:
    rng = random.Random(seed)
    text = " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))
    everything = surface_forms(text)
    terms = rng.sample(sorted(everything), min(len(everything), rng.randint(1, 6)))
    terms.append("nothing-such")
    assert first_forms(text, terms) == {t: everything[t] for t in terms if t in everything}


@pytest.mark.parametrize("seed", range(20))
def test_letters_and_digits_are_split_wherever_they_meet(seed: int) -> None:
    """`split_glued` inserts a hyphen exactly where a zero-width letter/digit boundary
    pattern would (the definition), on random strings of letters, digits and marks."""
    glued = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
    rng = random.Random(seed)
    alphabet = "aZ9_ -/.мМ٣²ſ'\u0301"  # Latin, Cyrillic, Arabic-Indic digit, superscript, mark
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
    assert split_glued(text) == glued.sub("-", text)
