"""The last line of defence: the firms a search returns are re-checked in the database.

Whatever state the in-memory matcher is in (a snapshot of another history, a row
changed by SQL outside the app, a bug), no archived, unapproved or sanctioned firm
may reach a caller. One query by the ids of the page returned. When it finds one,
the search is run again (a write that raced the search is caught up then); if the
firm is still there the matcher is not the database's state, so it is reloaded
whole and the search run once more, and anything still refused is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from matchmaker.domain.queries import Suggestion
from matchmaker.services.index_integrity import unsuggestible
from matchmaker.services.matching import MatchingService

log = logging.getLogger(__name__)


def rechecked(
    session: Session, service: MatchingService, search: Callable[[], list[Suggestion]]
) -> list[Suggestion]:
    """`search()`'s suggestions, none of which the database says must not be suggested."""
    found = search()
    refused = unsuggestible(session, (s.company.id for s in found))
    if not refused:
        return found
    # Most likely a write committed between the search and the check: the next
    # search catches it up cheaply, so only reload whole if that does not help.
    found = search()
    refused = unsuggestible(session, (s.company.id for s in found))
    if refused:
        log.error(
            "The matcher suggested firms the database does not allow (ids %s); "
            "reloading it from the database.",
            sorted(refused),
        )
        service.reset()
        found = search()
        refused = unsuggestible(session, (s.company.id for s in found))
    return [s for s in found if s.company.id not in refused]
