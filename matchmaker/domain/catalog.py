"""Inverted indexes over one side's suggestible companies, for structured filters.

Filters are applied *before* the vector search (as an allowed-id set), so a
narrow filter still returns its best matches instead of whatever survives from
an unfiltered top-N.

Filter semantics (each given criterion narrows; values within one criterion are
alternatives):
- countries: B is established in one of them;
- capabilities: B offers the code, or something inside it when the code is an
  area, or the whole area when the code is a sub-capability;
- pathways: B wants one of them;
- schemes: B holds one of the certification schemes (valid or not: the
  certification rule then scores validity and warns about expiry).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import capability_area


class SideCatalog:
    """Company ids by country, capability, area, pathway and certificate scheme."""

    def __init__(self) -> None:
        self._country: defaultdict[str, set[int]] = defaultdict(set)
        self._capability: defaultdict[str, set[int]] = defaultdict(set)  # exact code
        self._area: defaultdict[str, set[int]] = defaultdict(set)  # any code in the area
        self._pathway: defaultdict[str, set[int]] = defaultdict(set)
        self._scheme: defaultdict[str, set[int]] = defaultdict(set)

    def _entries(self, p: CompanyProfile) -> Iterable[tuple[defaultdict[str, set[int]], str]]:
        yield self._country, p.country
        for code in p.capabilities:
            yield self._capability, code
            yield self._area, capability_area(code)
        for pathway in p.pathways:
            yield self._pathway, pathway
        for certificate in p.certifications:
            yield self._scheme, certificate.scheme

    def add(self, profile: CompanyProfile) -> None:
        for table, key in self._entries(profile):
            table[key].add(profile.id)

    def discard(self, profile: CompanyProfile) -> None:
        for table, key in self._entries(profile):
            ids = table.get(key)
            if ids is not None:
                ids.discard(profile.id)
                if not ids:
                    del table[key]

    def select(
        self,
        *,
        countries: Iterable[str] = (),
        capabilities: Iterable[str] = (),
        pathways: Iterable[str] = (),
        schemes: Iterable[str] = (),
    ) -> set[int] | None:
        """Ids meeting every given criterion; None when no criterion is given."""
        groups = [
            self._union(self._country, countries),
            self._capabilities(capabilities),
            self._union(self._pathway, pathways),
            self._union(self._scheme, schemes),
        ]
        given = sorted((g for g in groups if g is not None), key=len)
        if not given:
            return None
        return set(given[0]).intersection(*given[1:])

    @staticmethod
    def _union(table: defaultdict[str, set[int]], keys: Iterable[str]) -> set[int] | None:
        keys = list(keys)
        if not keys:
            return None
        return set().union(*(table.get(key, ()) for key in keys))

    def _capabilities(self, codes: Iterable[str]) -> set[int] | None:
        codes = list(codes)
        if not codes:
            return None
        found: set[int] = set()
        for code in codes:
            area = capability_area(code)
            if code == area:
                found |= self._area.get(code, set())
            else:
                found |= self._capability.get(code, set()) | self._capability.get(area, set())
        return found
