"""Scoring facts of one side's suggestible firms as columns, one row per firm.

The matcher scores every firm of a side at once with numpy (`batch_scoring`), so
what the rules need from a candidate B is stored here column-wise: taxonomy
codes and pathways as 64-bit masks, SAFE eligibility and B-only penalties as
floats, clearance ranks, and per certification scheme the latest expiry day.

Rows follow the side's exact (flat) FAISS indexes: both append on add and both
close gaps in order on removal (FAISS `remove_ids` keeps the order of the rows
it keeps), so row i here is row i of the offer and seek indexes and the
inner products FAISS computes over its storage line up with these columns
without a lookup. `Matcher` checks that alignment after every change.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

import numpy as np

from matchmaker.domain.embedding import has_offer_text, has_seek_text
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.regulatory import (
    RegulatoryConfig,
    candidate_penalty,
    clearance_rank,
    safe_eligibility,
)
from matchmaker.domain.taxonomy import (
    CAPABILITY_AREAS,
    CAPABILITY_CODES,
    PATHWAYS,
    capability_area,
    complementary_to,
)

NOT_HELD = 0  # expiry column value of a scheme the firm holds no certificate of
NEVER_EXPIRES = date.max.toordinal()


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

    def bit(self, code: str) -> int:
        """The mask of one code, registering it when new."""
        position = self._bits.get(code)
        if position is None:
            with self._lock:
                position = self._bits.setdefault(code, len(self._bits))
            if position >= 64:
                raise ValueError(
                    f"More than 64 distinct {self._vocabulary} codes (at {code!r}); "
                    "widen the masks in side_table.py."
                )
        return 1 << position

    def mask(self, codes: Iterable[str]) -> int:
        """Mask of `codes`, registering new ones (for stored firms)."""
        value = 0
        for code in codes:
            value |= self.bit(code)
        return value

    def known_mask(self, codes: Iterable[str]) -> int:
        """Mask of the registered codes among `codes` (a filter on an unheard-of
        code matches nobody rather than growing the vocabulary)."""
        return sum(1 << self._bits[code] for code in set(codes) if code in self._bits)


CAPABILITY_BITS = CodeBits("capability", [*CAPABILITY_AREAS, *CAPABILITY_CODES])
PATHWAY_BITS = CodeBits("pathway", PATHWAYS)


@lru_cache(maxsize=1024)
def complement_mask(code: str) -> int:
    """Mask of the codes that the taxonomy pairs with `code` as complementary."""
    return CAPABILITY_BITS.mask(complementary_to(code))


def areas_mask(codes: Iterable[str]) -> int:
    """Mask of the areas of `codes` (an area code is its own area)."""
    return CAPABILITY_BITS.mask(capability_area(code) for code in codes)


def _latest_expiry(profile: CompanyProfile) -> dict[str, int]:
    latest: dict[str, int] = {}
    for certificate in profile.certifications:
        until = certificate.valid_until
        day = NEVER_EXPIRES if until is None else until.toordinal()
        latest[certificate.scheme] = max(day, latest.get(certificate.scheme, NOT_HELD))
    return latest


_COLUMNS: dict[str, type] = {
    "ids": np.int64,
    "offered": np.uint64,
    "areas": np.uint64,
    "sought": np.uint64,
    "sought_count": np.int64,
    "pathways": np.uint64,
    "holds": np.int8,
    "requires": np.int8,
    "safe": np.float64,
    "penalty": np.float64,
    "has_offer": np.bool_,
    "has_seek": np.bool_,
    "country": np.int32,
}


class SideTable:
    """Columns of scoring facts, one row per firm, in the side's index order."""

    def __init__(self, regulatory: RegulatoryConfig) -> None:
        self._regulatory = regulatory
        self._size = 0
        self._data: dict[str, np.ndarray] = {
            name: np.zeros(0, dtype=kind) for name, kind in _COLUMNS.items()
        }
        self._expiry: dict[str, np.ndarray] = {}  # scheme -> latest expiry ordinal per row
        self._countries: dict[str, int] = {}

    def __len__(self) -> int:
        return self._size

    def column(self, name: str) -> np.ndarray:
        """A view of one column over the live rows (see `_COLUMNS`)."""
        return self._data[name][: self._size]

    @property
    def ids(self) -> np.ndarray:
        return self.column("ids")

    def schemes(self) -> list[str]:
        """Certification schemes some row holds (or held) a certificate of."""
        return sorted(self._expiry)

    def expiry(self, scheme: str) -> np.ndarray | None:
        """Latest expiry ordinal of `scheme` per row (0: not held), None if nobody holds it."""
        column = self._expiry.get(scheme)
        return None if column is None else column[: self._size]

    # --- changes (mirroring the flat FAISS index: append, ordered removal) ----------

    def append(self, profiles: Sequence[CompanyProfile]) -> None:
        """Add rows for `profiles` at the end, in order."""
        if not profiles:
            return
        start, end = self._size, self._size + len(profiles)
        self._reserve(end)
        rows = [self._facts(p) for p in profiles]
        for position, name in enumerate(_COLUMNS):
            self._data[name][start:end] = [row[position] for row in rows]
        for offset, profile in enumerate(profiles):
            for scheme, day in _latest_expiry(profile).items():
                self._expiry_column(scheme)[start + offset] = day
        self._size = end

    def _facts(self, p: CompanyProfile) -> tuple[object, ...]:
        compliance = p.compliance
        return (
            p.id,
            CAPABILITY_BITS.mask(p.capabilities),
            areas_mask(p.capabilities),
            CAPABILITY_BITS.mask(p.seeking_capabilities),
            len(p.seeking_capabilities),
            PATHWAY_BITS.mask(p.pathways),
            clearance_rank(compliance.security_clearance),
            clearance_rank(compliance.required_clearance),
            safe_eligibility(p, self._regulatory).score,
            candidate_penalty(p, self._regulatory),
            has_offer_text(p),
            has_seek_text(p),
            self._countries.setdefault(p.country, len(self._countries)),
        )

    def remove(self, ids: Iterable[int]) -> int:
        """Drop the rows of `ids`, keeping the others in order; returns how many went."""
        doomed = self.rows_of(ids)
        if not len(doomed):
            return 0
        keep = np.ones(self._size, dtype=bool)
        keep[doomed] = False
        self._select(np.flatnonzero(keep))
        return len(doomed)

    def reorder(self, ids: np.ndarray) -> None:
        """Put the rows in the order of `ids` (each held exactly once)."""
        rows = self.rows_of_ordered(ids)
        if len(rows) != self._size:
            raise ValueError("reorder needs every held id exactly once.")
        self._select(rows)

    def _select(self, rows: np.ndarray) -> None:
        for data in (*self._data.values(), *self._expiry.values()):
            data[: len(rows)] = data[: self._size][rows]
            data[len(rows) : self._size] = 0
        self._size = len(rows)

    def _reserve(self, rows: int) -> None:
        capacity = len(self._data["ids"])
        if rows <= capacity:
            return
        grown = max(rows, 2 * capacity, 64)
        for table in (self._data, self._expiry):
            for name, data in table.items():
                bigger = np.zeros(grown, dtype=data.dtype)
                bigger[: self._size] = data[: self._size]
                table[name] = bigger

    def _expiry_column(self, scheme: str) -> np.ndarray:
        column = self._expiry.get(scheme)
        if column is None:
            column = self._expiry[scheme] = np.zeros(len(self._data["ids"]), dtype=np.int32)
        return column

    # --- look-ups --------------------------------------------------------------------

    def rows_of(self, ids: Iterable[int]) -> np.ndarray:
        """Rows holding any of `ids` (ascending; unknown ids ignored)."""
        wanted = np.fromiter(ids, dtype=np.int64)
        if not len(wanted) or not self._size:
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(np.isin(self.ids, wanted))

    def rows_of_ordered(self, ids: np.ndarray) -> np.ndarray:
        """Row of each of `ids`, in that order (unknown ids dropped)."""
        order = np.argsort(self.ids, kind="stable")
        sorted_ids = self.ids[order]
        found = np.searchsorted(sorted_ids, ids)
        found = np.minimum(found, max(self._size - 1, 0))
        hit = (sorted_ids[found] == ids) if self._size else np.zeros(len(ids), dtype=bool)
        return order[found[hit]]

    def filter_mask(
        self,
        *,
        countries: Iterable[str] = (),
        capabilities: Iterable[str] = (),
        pathways: Iterable[str] = (),
        schemes: Iterable[str] = (),
    ) -> np.ndarray | None:
        """Rows meeting every given criterion (values within one are alternatives);
        None when no criterion is given.

        - countries: B is established in one of them;
        - capabilities: B offers the code, or something inside it when the code is an
          area, or the whole area when the code is a sub-capability;
        - pathways: B wants one of them;
        - schemes: B holds a certificate of one (valid or not: the certification rule
          then scores validity and warns about expiry).
        """
        masks = []
        countries, capabilities = list(countries), list(capabilities)
        pathways, schemes = list(pathways), list(schemes)
        if countries:
            codes = [self._countries[c] for c in countries if c in self._countries]
            masks.append(np.isin(self.column("country"), codes))
        if capabilities:
            masks.append(self._offers_any(capabilities))
        if pathways:
            wanted = np.uint64(PATHWAY_BITS.known_mask(pathways))
            masks.append((self.column("pathways") & wanted) != 0)
        if schemes:
            held = np.zeros(self._size, dtype=bool)
            for scheme in schemes:
                column = self.expiry(scheme)
                if column is not None:
                    held |= column != NOT_HELD
            masks.append(held)
        if not masks:
            return None
        result = masks[0]
        for mask in masks[1:]:
            result = result & mask
        return result

    def _offers_any(self, codes: list[str]) -> np.ndarray:
        exact, areas = 0, 0
        for code in codes:
            area = capability_area(code)
            if code == area:
                areas |= CAPABILITY_BITS.known_mask([code])
            else:
                exact |= CAPABILITY_BITS.known_mask([code, area])
        offered = (self.column("offered") & np.uint64(exact)) != 0
        return offered | ((self.column("areas") & np.uint64(areas)) != 0)
