"""An expired certificate is accepted but the firm is told partners will not count it."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.profile import Certificate, lapsed_certificates
from matchmaker.models import Company
from matchmaker.services import edit_links
from tests.factories import company_payload, loaded_company, no_embedding
from tests.web.form_data import form_data

EXPIRED_ISO = {
    "scheme": "iso_9001",
    "identifier": "Q-7",
    "issuer": "TÜV",
    "valid_until": "2024-03-31",
}
WARNING_EN = (
    "Your certificate “ISO 9001 quality management” expired on March 31, 2024: "
    "partners will not count it."
)
WARNING_UK = (
    "Ваш сертифікат «ISO 9001 — управління якістю» втратив чинність "
    "31 березня 2024\u202fр.: партнери його не враховуватимуть."
)


def test_only_expired_certificates_without_a_valid_one_of_their_scheme_lapse() -> None:
    """The rule the warning states is the scoring's: a scheme counts while any of its
    certificates is valid (the valid-until day included)."""
    day = date(2025, 6, 1)
    old_iso = Certificate("iso_9001", valid_until=date(2024, 3, 31))
    renewed_iso = Certificate("iso_9001", valid_until=date(2027, 3, 31))
    old_aqap = Certificate("aqap_2110", valid_until=date(2025, 5, 31))
    last_day = Certificate("en_9100", valid_until=day)
    undated = Certificate("combat_proven")
    certificates = [old_iso, renewed_iso, old_aqap, last_day, undated]
    assert lapsed_certificates(certificates, day) == [old_aqap]
    assert lapsed_certificates([old_iso], day) == [old_iso]


def test_an_expired_certificate_is_accepted_and_warned_about_on_the_confirmation(
    client: FlaskClient, session: Session
) -> None:
    response = client.post(
        "/profile/new", data=form_data(company_payload(certifications=[EXPIRED_ISO]))
    )
    assert response.status_code == 302
    stored = session.scalars(select(Company)).one()
    assert stored.certifications[0].valid_until == date(2024, 3, 31)
    page = client.get(response.location).get_data(as_text=True)
    assert WARNING_EN in page


def test_a_valid_certificate_gets_no_warning(client: FlaskClient) -> None:
    response = client.post("/profile/new", data=form_data(company_payload()))
    page = client.get(response.location).get_data(as_text=True)
    assert "partners will not count it" not in page


def test_the_form_warns_about_a_typed_expired_certificate_after_an_error(
    client: FlaskClient,
) -> None:
    """Shown again because of another field's error, the form already warns about it."""
    data = form_data(company_payload(name="", certifications=[EXPIRED_ISO]))
    page = client.post("/profile/new", data=data).get_data(as_text=True)
    assert WARNING_EN in page


def test_the_edit_page_warns_in_ukrainian(client: FlaskClient, session: Session) -> None:
    company = edit_links.submit_profile(
        session, loaded_company(certifications=[EXPIRED_ISO]), on_change=no_embedding
    )
    token = edit_links.edit_token(company, "test-secret-key")
    client.get("/?lang=uk")
    page = client.get(f"/profile/edit/{token}", follow_redirects=True).get_data(as_text=True)
    assert WARNING_UK in page
