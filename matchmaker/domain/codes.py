"""Code vocabularies (capabilities, pathways, certification schemes) as bits of 64-bit masks.

Scoring tests set membership over every firm of a side at once; a mask per firm and
a bitwise AND per request is the cheapest form of that test in numpy.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from matchmaker.domain.taxonomy import (
    CAPABILITY_AREAS,
    CAPABILITY_CODES,
    CERTIFICATION_SCHEMES,
    PATHWAYS,
    capability_area,
)


class CodeBits:
    """Codes of one vocabulary (capabilities, pathways) to bits of a 64-bit mask.

    Preloaded with the taxonomy; a code from outside it (a retired code still in
    old data) gets the next free bit, so scoring stays exact for it too.
    """

    def __init__(self, vocabulary: str, codes: Iterable[str]) -> None:
        self._vocabulary = vocabulary
        self._bits: dict[str, int] = {}
        self._lock = threading.Lock()
        for code in codes:
            self.bit(code)

    def codes(self) -> list[str]:
        """Every registered code, in bit order."""
        return list(self._bits)

    def position(self, code: str) -> int:
        """The bit number of one code, registering it when new."""
        return self.bit(code).bit_length() - 1

    def bit(self, code: str) -> int:
        """The mask of one code, registering it when new."""
        position = self._bits.get(code)
        if position is None:
            with self._lock:
                position = self._bits.setdefault(code, len(self._bits))
            if position >= 64:
                raise ValueError(
                    f"More than 64 distinct {self._vocabulary} codes (at {code!r}); "
                    "widen the masks in codes.py."
                )
        return 1 << position

    def mask(self, codes: Iterable[str]) -> int:
        """Mask of `codes`, registering new ones (for stored firms)."""
        value = 0
        for code in codes:
            value |= self.bit(code)
        return value

    def adopt(self, codes: list[str]) -> bool:
        """Register `codes` (a saved `codes()`) in their order; whether each now has the
        bit it had where it was saved. False means masks saved there mean something else
        here (this process registered other codes first)."""
        for code in codes:
            self.bit(code)
        return self._bits.keys() >= set(codes) and all(
            self._bits[code] == position for position, code in enumerate(codes)
        )

    def known_mask(self, codes: Iterable[str]) -> int:
        """Mask of the registered codes among `codes` (a filter on an unheard-of
        code matches nobody rather than growing the vocabulary)."""
        return sum(1 << self._bits[code] for code in set(codes) if code in self._bits)


# Sorted: a frozenset of strings iterates in an order that changes with every process's
# string hashing, and the masks are saved in snapshots that other processes read.
CAPABILITY_BITS = CodeBits("capability", [*CAPABILITY_AREAS, *sorted(CAPABILITY_CODES)])
PATHWAY_BITS = CodeBits("pathway", PATHWAYS)
SCHEME_BITS = CodeBits("certification scheme", CERTIFICATION_SCHEMES)
# What a snapshot's masks are written in: saved with it, checked on load.
CODE_VOCABULARIES = {"capability": CAPABILITY_BITS, "pathway": PATHWAY_BITS, "scheme": SCHEME_BITS}


def areas_mask(codes: Iterable[str]) -> int:
    """Mask of the areas of `codes` (an area code is its own area)."""
    return CAPABILITY_BITS.mask(capability_area(code) for code in codes)
