"""Whose contact person a facilitation office may see.

Admins see every contact. An office sees the contact of a firm that consented to share it
with offices (`Company.contact_consent`), and of both firms of any introduction that office
itself recorded (it put them in touch, so it must be able to reach them); never the
contact of a firm another office introduced. One rule for the company views, the match
lists and the introductions, decided here once.

An office could record an introduction just to read two contacts: every introduction is
audited under the office's key, so an admin sees who did.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from matchmaker.models import Company, Introduction


def contacts_visible_to_office(
    session: Session, api_client_id: int, company_ids: Iterable[int]
) -> frozenset[int]:
    """Which of `company_ids` the office with key `api_client_id` may see the contact of."""
    wanted = set(company_ids)
    if not wanted:
        return frozenset()
    consented = select(Company.id).where(Company.id.in_(wanted), Company.contact_consent)
    own = Introduction.api_client_id == api_client_id
    side_a = select(Introduction.company_a_id).where(own, Introduction.company_a_id.in_(wanted))
    side_b = select(Introduction.company_b_id).where(own, Introduction.company_b_id.in_(wanted))
    return frozenset(session.scalars(union(consented, side_a, side_b)))
