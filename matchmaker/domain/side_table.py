"""Scoring facts of one side's suggestible firms as columns, one row per firm.

The matcher scores every firm of a side at once with numpy (`batch_scoring`), so
what the rules need from a candidate B is stored here column-wise, in the forms
that make a request a handful of array operations: capability codes and
pathways as 64-bit masks, the A-independent part of the regulatory score, a
combined clearance code for a lookup, and per certification scheme the latest
expiry day (turned into validity bits and a credibility score once per day).

Rows follow the side's exact (flat) FAISS indexes: both append on add and both
close gaps in order on removal (FAISS `remove_ids` keeps the order of the rows
it keeps), so row i here is row i of the offer and seek indexes and the
inner products FAISS computes over its storage line up with these columns
without a lookup. `SideIndexes` checks that alignment after every change.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from matchmaker.domain.embedding import has_offer_text, has_seek_text
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.regulatory import candidate_penalty, clearance_rank, safe_eligibility
from matchmaker.domain.scoring import ScoringConfig
from matchmaker.domain.taxonomy import (
    CAPABILITY_AREAS,
    CAPABILITY_CODES,
    CERTIFICATION_SCHEMES,
    PATHWAYS,
    SECURITY_CLEARANCE_LEVELS,
    capability_area,
)

NOT_HELD = 0  # expiry column value of a scheme the firm holds no certificate of
NEVER_EXPIRES = date.max.toordinal()
CLEARANCE_LEVELS = len(SECURITY_CLEARANCE_LEVELS)


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
SCHEME_BITS = CodeBits("certification scheme", CERTIFICATION_SCHEMES)


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


# Flags and counts are stored as floats: the scoring arithmetic then needs no boolean
# indexing or np.where, each several times slower than a float operation at these sizes.
_COLUMNS: dict[str, type] = {
    "ids": np.int64,
    "offered": np.uint64,  # capability mask
    "areas": np.uint64,  # mask of the offered codes' areas
    "sought": np.uint64,
    "sought_inverse": np.float32,  # 1 / number of sought codes (0 when none)
    "seeks_nothing": np.float32,  # 1.0 when no capability is sought
    "pathways": np.uint64,
    "no_pathways": np.float32,  # 1.0 when no pathway is named
    # Clearance held and required, as one lookup index: held * CLEARANCE_LEVELS + required.
    "clearance": np.int64,
    # The regulatory score without the pathway term and the clearance gaps (A-independent):
    # (1 - pathway_weight) * SAFE eligibility - export-licence and ITAR penalties.
    "regulatory_base": np.float32,
    "has_offer": np.float32,  # 1.0 when the offer text says something
    "has_seek": np.float32,
    "country": np.int32,
}


class SideTable:
    """Columns of scoring facts, one row per firm, in the side's index order."""

    def __init__(self, config: ScoringConfig) -> None:
        self._config = config
        self._size = 0
        self._version = 0  # bumped by every change; keys the per-day certificate cache
        self._data: dict[str, np.ndarray] = {
            name: np.zeros(0, dtype=kind) for name, kind in _COLUMNS.items()
        }
        self._expiry: dict[str, np.ndarray] = {}  # scheme -> latest expiry ordinal per row
        self._countries: dict[str, int] = {}
        self._certified: tuple[int, int, np.ndarray, np.ndarray] | None = None

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

    def certified(self, today: date) -> tuple[np.ndarray, np.ndarray]:
        """(bits of the schemes each row holds valid on `today` (`SCHEME_BITS`), each row's
        credibility score): computed once per day and change, not once per request."""
        day = today.toordinal()
        cached = self._certified
        if cached is None or cached[:2] != (day, self._version):
            cfg = self._config.certification
            valid = np.zeros(self._size, dtype=np.uint64)
            points = np.zeros(self._size, dtype=np.float32)
            for scheme in self.schemes():  # sorted, as certification_score adds them
                held: np.ndarray = self._expiry[scheme][: self._size] >= day
                valid |= held.astype(np.uint64) << np.uint64(SCHEME_BITS.position(scheme))
                points += cfg.credibility_points.get(scheme, 0.0) * held
            credibility = np.minimum(1.0, cfg.credibility_base + points)
            cached = self._certified = (day, self._version, valid, credibility)
        return cached[2], cached[3]

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
                SCHEME_BITS.bit(scheme)
                self._expiry_column(scheme)[start + offset] = day
        self._size = end
        self._version += 1

    def _facts(self, p: CompanyProfile) -> tuple[object, ...]:
        compliance, cfg = p.compliance, self._config.regulatory
        safe = safe_eligibility(p, cfg).score
        sought = len(p.seeking_capabilities)
        return (
            p.id,
            CAPABILITY_BITS.mask(p.capabilities),
            areas_mask(p.capabilities),
            CAPABILITY_BITS.mask(p.seeking_capabilities),
            1 / sought if sought else 0.0,
            float(not sought),
            PATHWAY_BITS.mask(p.pathways),
            float(not p.pathways),
            clearance_rank(compliance.security_clearance) * CLEARANCE_LEVELS
            + clearance_rank(compliance.required_clearance),
            (1 - cfg.pathway_weight) * safe - candidate_penalty(p, cfg),
            float(has_offer_text(p)),
            float(has_seek_text(p)),
            self._countries.setdefault(p.country, len(self._countries)),
        )

    def overwrite(self, row: int, profile: CompanyProfile) -> None:
        """Replace the facts of one row (same firm, e.g. after an edit) in place."""
        if self._data["ids"][row] != profile.id or row >= self._size:
            raise KeyError(f"Row {row} does not hold company {profile.id}.")
        for name, value in zip(_COLUMNS, self._facts(profile), strict=True):
            self._data[name][row] = value
        for column in self._expiry.values():
            column[row] = NOT_HELD
        for scheme, day in _latest_expiry(profile).items():
            SCHEME_BITS.bit(scheme)
            self._expiry_column(scheme)[row] = day
        self._version += 1

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
        self._version += 1

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
        if len(wanted) > 8:  # np.isin sorts; a few equality scans are cheaper
            return np.flatnonzero(np.isin(self.ids, wanted))
        hits = [np.flatnonzero(self.ids == company_id) for company_id in wanted.tolist()]
        return np.unique(np.concatenate(hits))

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
