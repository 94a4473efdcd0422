"""The public profile form: one set of rules with the API, errors by the field, input kept."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company, CompanyEmbedding
from matchmaker.schemas import CompanySchema
from matchmaker.web.profile_form import document_from_form, field_errors
from tests.factories import company_payload, edrpou
from tests.web.form_data import form_data


def field_block(page: str, name: str) -> str:
    """The HTML of the form field whose input is named `name` (label, input and errors)."""
    match = re.search(
        rf'<div class="field[^"]*">(?:(?!<div class="field).)*?name="{re.escape(name)}".*?</div>',
        page,
        re.S,
    )
    assert match, f"no field {name}"
    return match.group(0)


def test_the_form_offers_every_part_of_a_profile(client: FlaskClient) -> None:
    """Identity, offers and seeks with grouped capabilities, certificates, compliance, contact."""
    page = client.get("/profile/new").get_data(as_text=True)
    for name in (
        "name",
        "country",
        "legal_id",
        "size",
        "website",
        "offers",
        "seeks",
        "certifications-0-scheme",
        "certifications-0-valid_until",
        "pathways",
        "compliance-controlling_country",
        "compliance-export_control",
        "contact-email",
    ):
        assert f'name="{name}"' in page, name
    assert 'value="ammunition_missiles.propellants"' in page
    assert "<summary>Ammunition and missiles" in page
    assert "EDRPOU" in page  # help written for a company, naming the identifier it has


def test_a_valid_submission_is_stored_pending_with_its_vectors(
    client: FlaskClient, session: Session
) -> None:
    """A firm's submission waits for review, is audited, and its texts are embedded."""
    response = client.post("/profile/new", data=form_data(company_payload(status="approved")))
    assert response.status_code == 302
    assert response.location == "/profile/submitted"
    company = session.scalars(select(Company)).one()
    assert company.status == "pending"
    assert company.certifications[0].scheme == "iso_9001"
    assert company.contact_email == "erika@testwerk.example"
    assert session.scalars(select(CompanyEmbedding.kind)).all()
    event = session.scalars(select(AuditEvent)).one()
    assert (event.action, event.actor) == ("company.create", "firm:web-form")


def test_the_confirmation_shows_the_status_and_the_private_link(client: FlaskClient) -> None:
    """After submitting, the firm sees 'pending' and its edit link, once: the link is not
    kept in the session cookie after it was shown."""
    response = client.post("/profile/new", data=form_data(company_payload()))
    page = client.get(response.location).get_data(as_text=True)
    match = re.search(r'value="(http://localhost/profile/edit/[^"]+)"', page)
    assert "pending" in page
    assert match is not None
    assert client.get(match.group(1), follow_redirects=True).status_code == 200
    again = client.get(response.location).get_data(as_text=True)
    assert "/profile/edit/" not in again
    assert "pending" in again


def test_errors_appear_next_to_their_field_with_the_input_kept(client: FlaskClient) -> None:
    """A wrong EDRPOU code is explained at the legal id field; what was typed stays."""
    payload = company_payload(country="UA", legal_id="12345671", name="Kyiv Optics LLC")
    response = client.post("/profile/new", data=form_data(payload))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    legal_id = field_block(page, "legal_id")
    assert "check digit" in legal_id
    assert 'value="12345671"' in legal_id
    assert 'aria-invalid="true"' in legal_id
    assert 'value="Kyiv Optics LLC"' in field_block(page, "name")
    assert 'value="UA" selected' in page


def test_certificate_row_errors_point_at_the_row(client: FlaskClient, session: Session) -> None:
    """An ISO 9001 row without its end date is flagged on that row's date field."""
    payload = company_payload(
        certifications=[
            {"scheme": "ncage", "identifier": "C0001"},
            {"scheme": "iso_9001", "identifier": "Q-77", "issuer": "TÜV"},
        ]
    )
    page = client.post("/profile/new", data=form_data(payload)).get_data(as_text=True)
    row = re.search(
        r'<td class="has-error">\s*<label[^>]*>[^<]*</label>\s*'
        r'<input name="certifications-1-valid_until".*?</td>',
        page,
        re.S,
    )
    assert row and "valid-until date" in row.group(0)
    assert 'value="Q-77"' in page
    assert session.scalars(select(Company)).first() is None


def test_offers_or_capabilities_are_required(client: FlaskClient) -> None:
    """A firm that says nothing about what it offers is told so at the offers field."""
    payload = company_payload(offers="", capabilities=[])
    page = client.post("/profile/new", data=form_data(payload)).get_data(as_text=True)
    assert "tick at least one capability" in field_block(page, "offers")


@pytest.mark.parametrize(
    "overrides",
    [
        {"country": "RU", "legal_id": "1234567890"},
        {"country": "UA", "legal_id": "1234"},
        {"website": "ftp://example.org"},
        {"contact": {"email": "not-an-address"}},
        {"compliance": {"non_eligible_component_share": "120"}},
        {"certifications": [{"scheme": "aqap_2110", "valid_until": "31.12.2030"}]},
    ],
)
def test_the_form_and_the_api_share_one_rule_set(client: FlaskClient, overrides: dict) -> None:
    """Every message the form shows is exactly what the schema says for the same document."""
    document = document_from_form(form_data(company_payload(**overrides)))
    with pytest.raises(ValidationError) as caught:
        CompanySchema().load(document)
    page = client.post("/profile/new", data=form_data(company_payload(**overrides)))
    text = page.get_data(as_text=True)
    for name, messages in field_errors(caught.value.messages).items():
        for message in messages:
            assert message.replace("'", "&#39;") in text, (name, message)


def test_blank_certificate_rows_are_ignored() -> None:
    """An untouched row of the certificate table is not a certificate."""
    data = form_data(company_payload(certifications=[]))
    data.update(
        {
            "certifications-0-scheme": "",
            "certifications-0-identifier": " ",
            "certifications-3-scheme": "ncage",
        }
    )
    assert document_from_form(data)["certifications"] == [
        {"scheme": "ncage", "identifier": "", "issuer": "", "valid_until": None}
    ]


def test_schema_errors_flatten_onto_input_names() -> None:
    """Nested and per-item errors land on the input names the form uses."""
    messages = {
        "certifications": {1: {"valid_until": ["Needs a date."]}},
        "compliance": {"controlling_country": ["Unknown."]},
        "pathways": {0: ["Unknown pathway: x."]},
        "name": ["Required."],
    }
    assert field_errors(messages) == {
        "certifications-1-valid_until": ["Needs a date."],
        "compliance-controlling_country": ["Unknown."],
        "pathways": ["Unknown pathway: x."],
        "name": ["Required."],
    }


def test_adding_a_certificate_row_saves_nothing(client: FlaskClient, session: Session) -> None:
    """Without JavaScript, 'Add another certificate' re-shows the form with one more row."""
    data = form_data(company_payload(), action="add-certificate")
    page = client.post("/profile/new", data=data).get_data(as_text=True)
    assert 'name="certifications-2-scheme"' in page
    assert session.scalars(select(Company)).first() is None


def test_a_registered_legal_id_is_refused_at_the_field(
    client: FlaskClient, session: Session
) -> None:
    """Submitting a firm that is already registered points at the legal id."""
    payload = company_payload(country="UA", legal_id=edrpou(4_242_424))
    client.post("/profile/new", data=form_data(payload))
    page = client.post("/profile/new", data=form_data(payload)).get_data(as_text=True)
    assert "already registered" in field_block(page, "legal_id")
