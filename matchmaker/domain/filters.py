"""Request filters over a side table: which rows a request may suggest at all."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from matchmaker.domain.codes import CAPABILITY_BITS, PATHWAY_BITS
from matchmaker.domain.components.base import Rows
from matchmaker.domain.components.capability import AREAS, OFFERED
from matchmaker.domain.components.certification import holders
from matchmaker.domain.components.regulatory import PATHWAYS
from matchmaker.domain.side_table import COUNTRY, SideTable
from matchmaker.domain.taxonomy import capability_area


def filter_mask(
    table: SideTable,
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
    - schemes: B holds a certificate of one (valid or not: the certification
      component then scores validity and warns about expiry).
    """
    rows = Rows(table, None)
    masks = []
    countries, capabilities = list(countries), list(capabilities)
    pathways, schemes = list(pathways), list(schemes)
    if countries:
        codes = [code for c in countries if (code := table.country_code(c)) is not None]
        masks.append(np.isin(rows[COUNTRY], codes))
    if capabilities:
        masks.append(_offers_any(rows, capabilities))
    if pathways:
        wanted = np.uint64(PATHWAY_BITS.known_mask(pathways))
        masks.append((rows[PATHWAYS] & wanted) != 0)
    if schemes:
        masks.append(holders(rows, schemes))
    if not masks:
        return None
    result = masks[0]
    for mask in masks[1:]:
        result = result & mask
    return result


def _offers_any(rows: Rows, codes: list[str]) -> np.ndarray:
    exact, areas = 0, 0
    for code in codes:
        area = capability_area(code)
        if code == area:
            areas |= CAPABILITY_BITS.known_mask([code])
        else:
            exact |= CAPABILITY_BITS.known_mask([code, area])
    offered = (rows[OFFERED] & np.uint64(exact)) != 0
    return offered | ((rows[AREAS] & np.uint64(areas)) != 0)
