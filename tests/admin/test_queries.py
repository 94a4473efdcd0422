"""The read-only queries behind the admin pages: counts, pages, search."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matchmaker.admin import queries
from matchmaker.services.introductions import record_introduction
from matchmaker.services.profiles import update_company
from tests.factories import make_company, no_embedding


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


def test_cyrillic_search_ignores_letter_case(session: Session) -> None:
    """Lower, upper and mixed case find a Cyrillic name (SQLite's LIKE folds only ASCII),
    and so do the profile texts; the apostrophe may be typed either way."""
    kruk = make_company(
        session, name="Крук Дніпро ТОВ", country="UA", offers="Ремонт БПЛА у Мар’янівці"
    )
    make_company(session, name="Сокіл Харків ТОВ", country="UA")
    for typed in ("крук", "КРУК", "кРуК", "дніпро тов", "бпла", "мар'янівці", "МАР’ЯНІВЦІ"):
        assert queries.search_companies(session, typed) == [kruk], typed
    assert queries.search_companies(session, "ворон") == []


def test_search_key_follows_every_write(session: Session) -> None:
    """A renamed firm is found under its new name only."""
    firm = make_company(session, name="Ярило Техніка ТОВ", country="UA")
    update_company(
        session, firm.id, {"name": "Сварог Техніка ТОВ"}, actor="test", on_change=no_embedding
    )
    assert queries.search_companies(session, "СВАРОГ") == [firm]
    assert queries.search_companies(session, "ярило") == []


def test_hash_id_finds_exactly_that_firm(session: Session) -> None:
    """ "#<id>" (as the placeholder offers) is the id alone, never a legal id with those digits."""
    first = make_company(session)
    make_company(session, legal_id=f"DE{first.id:09d}")  # its digits contain the first's id
    assert queries.search_companies(session, f"#{first.id}") == [first]
    assert queries.search_companies(session, f" # {first.id} ") == [first]
    assert queries.search_companies(session, "#999999") == []


def test_legal_id_typed_with_spaces_or_lower_case(session: Session) -> None:
    """The query is normalized like stored legal ids: spaces, dots, dashes, case."""
    firm = make_company(session, legal_id="DE987654321")
    make_company(session, legal_id="DE123456789")
    for typed in ("de987654321", "DE 987 654 321", "de-987.654/321", "987 654"):
        assert queries.search_companies(session, typed) == [firm], typed
