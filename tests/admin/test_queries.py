"""The read-only queries behind the admin pages: counts, pages, search."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matchmaker.admin import queries
from matchmaker.services.introductions import record_introduction
from tests.factories import make_company


def test_dashboard_counts(session: Session) -> None:
    """Side x status, approved firms per country and area, introductions per outcome."""
    de = make_company(session, capabilities=["ammunition_missiles.shells", "mro.spare_parts"])
    ua = make_company(session, country="UA", capabilities=["ammunition_missiles.propellants"])
    make_company(session, country="UA", status="pending")
    record_introduction(session, {"company_a_id": de.id, "company_b_id": ua.id}, actor="t")
    stats = queries.dashboard(session)
    assert stats.by_side_status["EU"]["approved"] == 1
    assert stats.by_side_status["UA"] == {"pending": 1, "approved": 1, "rejected": 0, "archived": 0}
    assert dict(stats.by_area)["ammunition_missiles"] == 2  # firms, not codes
    assert dict(stats.by_area)["mro"] == 1
    assert stats.by_country == [("DE", 1), ("UA", 1)]
    assert stats.introductions["proposed"] == 1


def test_company_pages(session: Session) -> None:
    """Fifty per page, newest change first, with the total count."""
    for _ in range(queries.PAGE_SIZE + 3):
        make_company(session)
    first = queries.company_page(session, queries.CompanyFilters(), 1)
    second = queries.company_page(session, queries.CompanyFilters(), 2)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (53, 2, 50, 3)
    assert not {c.id for c in first.items} & {c.id for c in second.items}


def test_search_by_id_and_legal_id(session: Session) -> None:
    """A number finds the firm with that id or with it in its legal identifier."""
    company = make_company(session, legal_id="DE987654321")
    assert queries.search_companies(session, str(company.id)) == [company]
    assert queries.search_companies(session, "987654") == [company]
    assert queries.search_companies(session, "  ") == []
