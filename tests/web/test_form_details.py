"""Details of the profile form a firm meets: language switch, decimal commas, websites,
the error summary's order, labelled certificate cells and the copy button."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import Company
from matchmaker.schemas import CompanySchema, complete_website
from matchmaker.services import edit_links
from matchmaker.web.profile_form import CERTIFICATE_FIELDS
from tests.factories import company_payload, loaded_company, no_embedding
from tests.web import test_csrf as csrf_tests
from tests.web.form_data import form_data
from tests.web.test_csrf import token_of

csrf_on = csrf_tests.csrf_on  # the same fixture: CSRF protection on, as in production


def test_switching_language_mid_form_keeps_what_was_typed(
    client: FlaskClient, session: Session
) -> None:
    """The header's other language is a submit button of the form: the page comes back in
    Ukrainian with the input, nothing is stored, and the choice is remembered."""
    english = client.get("/profile/new").get_data(as_text=True)
    assert 'form="profile-form" name="switch_language" value="uk"' in english
    data = form_data(company_payload(name="Half-typed Optics GmbH", offers="Thermal sights"))
    data["switch_language"] = "uk"
    response = client.post("/profile/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="uk">' in page
    assert "Зареєструвати компанію" in page
    assert 'value="Half-typed Optics GmbH"' in page
    assert ">Thermal sights</textarea>" in page
    assert 'value="Q-1"' in page  # the certificate row too
    assert "field-error" not in page  # a switch is not a submission: no errors yet
    assert session.scalars(select(Company)).first() is None
    assert '<html lang="uk">' in client.get("/").get_data(as_text=True)


def test_the_form_posts_without_the_language_it_was_opened_in(client: FlaskClient) -> None:
    """Opened as /profile/new?lang=en, the form posts to /profile/new: a switch to
    Ukrainian is not undone by the `?lang=en` on the submission."""
    page = client.get("/profile/new?lang=en").get_data(as_text=True)
    assert '<form method="post" action="/profile/new"' in page


def test_the_edit_page_switches_language_without_saving(
    client: FlaskClient, session: Session
) -> None:
    company = edit_links.submit_profile(session, loaded_company(), on_change=no_embedding)
    token = edit_links.edit_token(company, "test-secret-key")
    client.get(f"/profile/edit/{token}")
    data = form_data(
        company_payload(offers="Unsaved new text"),
        version=str(company.version),
        switch_language="uk",
    )
    page = client.post("/profile/edit", data=data).get_data(as_text=True)
    assert '<html lang="uk">' in page
    assert ">Unsaved new text</textarea>" in page
    assert f'name="version" value="{company.version}"' in page
    session.expire_all()
    assert session.get(Company, company.id).offers != "Unsaved new text"


def test_the_language_switch_is_csrf_protected(
    csrf_on: None, client: FlaskClient, session: Session
) -> None:
    """A forged cross-site switch is refused like a forged submission; with the form's
    own token it works."""
    data = form_data(company_payload(), switch_language="uk")
    assert client.post("/profile/new", data=data).status_code == 400
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    data["csrf_token"] = token_of(client.get("/profile/new").get_data(as_text=True))
    assert '<html lang="uk">' in client.post("/profile/new", data=data).get_data(as_text=True)


def test_an_unknown_language_is_not_a_switch(client: FlaskClient, session: Session) -> None:
    """Only the offered languages switch; anything else is an ordinary submission."""
    data = form_data(company_payload(), switch_language="xx")
    assert client.post("/profile/new", data=data).status_code == 302
    assert session.scalars(select(Company)).one()


@pytest.mark.parametrize("typed", ["40,5", " 40,5 ", "40.5"])
def test_a_decimal_comma_is_accepted_in_the_form(
    client: FlaskClient, session: Session, typed: str
) -> None:
    payload = company_payload()
    data = form_data(payload)
    data["compliance-non_eligible_component_share"] = typed
    assert client.post("/profile/new", data=data).status_code == 302
    assert session.scalars(select(Company)).one().non_eligible_component_share == 40.5


def test_the_ukrainian_form_takes_a_decimal_comma(client: FlaskClient, session: Session) -> None:
    client.get("/?lang=uk")
    data = form_data(company_payload())
    data["compliance-non_eligible_component_share"] = "12,5"
    assert client.post("/profile/new", data=data).status_code == 302
    assert session.scalars(select(Company)).one().non_eligible_component_share == 12.5


@pytest.mark.parametrize("typed", ["40,5,1", "4O,5", "1.000,5"])
def test_a_malformed_number_is_still_refused_at_its_field(typed: str) -> None:
    payload = company_payload()
    payload["compliance"]["non_eligible_component_share"] = typed
    errors = CompanySchema().validate(payload)
    assert "non_eligible_component_share" in errors["compliance"]


def test_the_api_schema_takes_a_decimal_comma_string_too() -> None:
    """One rule set: a JSON client may send the number, or the string a firm typed."""
    payload = company_payload()
    payload["compliance"]["non_eligible_component_share"] = "40,5"
    loaded = CompanySchema().load(payload)
    assert loaded["compliance"]["non_eligible_component_share"] == 40.5


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("firm.eu", "https://firm.eu"),
        ("www.firm.eu", "https://www.firm.eu"),
        ("www.firm.eu/en/about", "https://www.firm.eu/en/about"),
        ("http://firm.eu", "http://firm.eu"),
        ("https://firm.eu", "https://firm.eu"),
    ],
)
def test_a_website_without_scheme_is_completed(
    client: FlaskClient, session: Session, typed: str, stored: str
) -> None:
    data = form_data(company_payload(website=typed))
    assert client.post("/profile/new", data=data).status_code == 302
    assert session.scalars(select(Company)).one().website == stored


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "mailto:x@firm.eu", "not a site"])
def test_what_is_not_a_host_is_not_completed(typed: str) -> None:
    assert complete_website(typed) == typed
    errors = CompanySchema().validate(company_payload(website=typed))
    assert "website" in errors


def test_the_error_summary_follows_the_form_order(client: FlaskClient) -> None:
    """Errors listed top to bottom as the fields appear, each linking to its field."""
    payload = company_payload(
        name="",
        website="not a site",
        size="huge",
        certifications=[{"scheme": "iso_9001", "identifier": "Q-77"}],
        contact={"email": "not-an-email", "phone": "call me"},
    )
    payload["compliance"]["non_eligible_component_share"] = "135"
    page = client.post("/profile/new", data=form_data(payload)).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary
    linked = re.findall(r'<a href="#([^"]+)">', summary.group(0))
    expected = [
        "name",
        "size",
        "website",
        "certifications-0-valid_until",
        "compliance-non_eligible_component_share",
        "contact-email",
        "contact-phone",
    ]
    assert linked == expected
    form = page[page.index('id="profile-form"') :]
    positions = [form.index(f'id="{name}"') for name in linked]
    assert positions == sorted(positions), "every link target exists, in the same order"


def test_every_certificate_input_has_its_own_label(client: FlaskClient) -> None:
    """On narrow screens the column headings are gone: each cell keeps its label."""
    payload = company_payload(
        certifications=[
            {"scheme": "iso_9001", "identifier": "Q-1", "valid_until": "2030-01-31"},
            {"scheme": "ncage", "identifier": "C0001"},
        ]
    )
    for page in (
        client.get("/profile/new").get_data(as_text=True),
        client.post("/profile/new", data=form_data(payload, action="add-certificate")).get_data(
            as_text=True
        ),
    ):
        inputs = re.findall(r'id="(certifications-\d+-\w+)"', page)
        assert inputs
        for name in inputs:
            assert re.search(rf'<label for="{name}" class="cell-label">\w', page), name
    assert len(inputs) == 4 * len(CERTIFICATE_FIELDS)  # 2 rows, a blank one, an added one


def test_the_copy_button_is_hidden_until_the_script_reveals_it(client: FlaskClient) -> None:
    """Without JavaScript the edit link is selectable text and no dead button shows: the
    button carries `hidden`, and the stylesheet lets `hidden` win over the button style."""
    response = client.post("/profile/new", data=form_data(company_payload()))
    page = client.get(response.location).get_data(as_text=True)
    button = re.search(r"<button[^>]*data-copy=\"edit-link\"[^>]*>", page)
    assert button and " hidden" in button.group(0)
    assert re.search(r'<input type="text" readonly value="http://localhost/profile/edit/', page)
    stylesheet = client.get("/static/style.css")
    css = stylesheet.get_data(as_text=True)
    stylesheet.close()
    assert "[hidden] { display: none !important; }" in css
