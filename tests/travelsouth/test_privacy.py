"""Privacy: anonymous surveys keep no link from a response to a person, and the admin never lists
them; consent belongs to an e-mail address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cities.models import ContactConsentEvent, Person
from cities.services import city_contact_add, person_consent_give
from surveys.links import personal_link_url
from surveys.models import Answer, Response, SurveyParticipation
from tests import factories
from tests.surveys.builders import build_survey, invite
from tests.surveys.test_views import form_data

pytestmark = pytest.mark.django_db


def answer_form(kit, text: str) -> dict:
    return form_data(kit, areas=text)


@pytest.fixture
def anonymous_kit():
    return build_survey(is_anonymous=True)


def test_an_anonymous_response_keeps_no_link_to_its_respondent(client, anonymous_kit):
    kit = anonymous_kit
    invitee = invite(kit.survey, language="en", full_name="Secret Respondent", email="secret@city.example")
    link = personal_link_url(invitee=invitee)

    client.post(link, answer_form(kit, "SECRET-FREE-TEXT"))
    again = client.get(link)
    second_try = client.post(link, answer_form(kit, "SECOND-TRY"))

    response = Response.objects.get(survey=kit.survey)
    assert response.respondent is None
    assert (response.submitted_at.hour, response.submitted_at.minute, response.submitted_at.second) == (
        0,
        0,
        0,
    )
    assert list(SurveyParticipation.objects.values_list("person__full_name", flat=True)) == [
        "Secret Respondent"
    ]
    assert "you have answered this anonymous survey" in again.content.decode()
    assert "SECRET-FREE-TEXT" not in again.content.decode()
    assert second_try.status_code == 200
    assert list(Answer.objects.filter(text__startswith="SEC").values_list("text", flat=True)) == [
        "SECRET-FREE-TEXT"
    ]


def test_the_admin_never_lists_responses_or_answers_of_anonymous_surveys(staff_client, client, anonymous_kit):
    invitee = invite(anonymous_kit.survey, full_name="Secret Respondent")
    client.post(personal_link_url(invitee=invitee), answer_form(anonymous_kit, "SECRET-FREE-TEXT"))

    pages = [
        staff_client.get(reverse(f"admin:surveys_{name}_changelist")).content.decode()
        for name in ["response", "answer", "responserevision"]
    ]
    change = staff_client.get(reverse("admin:surveys_response_change", args=[Response.objects.get().pk]))

    assert [("SECRET-FREE-TEXT" in page, "Secret Respondent" in page) for page in pages] == [
        (False, False)
    ] * 3
    assert change.status_code == 302  # not found among the responses staff may open: back to the list


def test_a_changed_address_needs_its_own_consent(client):
    city = factories.city(name="Samarkand")
    client.force_login(factories.official(city_=city))
    contact = city_contact_add(city=city, full_name="Dilnoza Karimova", email="old@samarkand.example")
    person_consent_give(person=contact, source="consent page")

    client.post(
        reverse("cities:contact_edit", args=[city.slug, contact.pk]),
        {"full_name": "Dilnoza Karimova", "email": "new@samarkand.example", "preferred_language": "en"},
    )

    contact = Person.objects.get(pk=contact.pk)
    assert contact.email == "new@samarkand.example"
    assert not contact.has_contact_consent
    assert list(
        ContactConsentEvent.objects.filter(person=contact).order_by("at", "pk").values_list("action", "email")
    ) == [
        ("given", "old@samarkand.example"),
        ("withdrawn", "old@samarkand.example"),
    ]


def test_staff_changing_an_address_in_the_admin_ends_its_consent_too(staff_client):
    contact = city_contact_add(city=factories.city(), full_name="Li Wei", email="old@luoyang.example")
    person_consent_give(person=contact, source="signed form")
    page = staff_client.get(reverse("admin:cities_person_change", args=[contact.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "email": "new@luoyang.example",
            "consent_events-TOTAL_FORMS": "1",
            "consent_events-INITIAL_FORMS": "1",
            "consent_events-0-id": ContactConsentEvent.objects.get().pk,
            "consent_events-0-person": contact.pk,
        }
    )

    staff_client.post(reverse("admin:cities_person_change", args=[contact.pk]), data)

    contact = Person.objects.get(pk=contact.pk)
    assert contact.email == "new@luoyang.example"
    assert not contact.has_contact_consent


def _add_and_verify(client, email: str) -> None:
    """Add ``email`` on allauth's e-mail page and follow the confirmation link it sends."""
    mail.outbox.clear()
    client.post(reverse("account_email"), {"action_add": "", "email": email})
    (message,) = [message for message in mail.outbox if message.to == [email]]
    confirm = re.search(r"https?://[^/\s]+(/\S*confirm-email/\S+?/)", message.body).group(1)
    assert client.post(confirm).status_code == 302


@pytest.fixture
def consenting_official(client):
    account = factories.user(email="ana@cusco.example")
    factories.official(city_=factories.city(name="Cusco"), account=account, full_name="Ana Quispe")
    person_consent_give(person=Person.objects.get(user=account), source="consent page")
    client.force_login(account)
    return account


def test_an_officials_new_login_address_is_their_contact_address_without_the_old_consent(
    client, consenting_official
):
    _add_and_verify(client, "ana.quispe@cusco.example")

    client.post(reverse("account_email"), {"action_primary": "", "email": "ana.quispe@cusco.example"})

    consenting_official.refresh_from_db()
    person = Person.objects.get(user=consenting_official)
    assert (consenting_official.email, person.email) == (
        "ana.quispe@cusco.example",
        "ana.quispe@cusco.example",
    )
    assert not person.has_contact_consent
    assert list(
        ContactConsentEvent.objects.filter(person=person).order_by("at", "pk").values_list("action", "email")
    ) == [("given", "ana@cusco.example"), ("withdrawn", "ana@cusco.example")]


def test_a_verified_secondary_address_changes_neither_contact_address_nor_consent(
    client, consenting_official
):
    _add_and_verify(client, "ana.quispe@cusco.example")

    person = Person.objects.get(user=consenting_official)
    assert (person.email, person.has_contact_consent) == ("ana@cusco.example", True)


def test_a_contact_address_of_its_own_stays_when_the_login_address_changes(client, consenting_official):
    Person.objects.filter(user=consenting_official).update(email="tourism@cusco.example")
    _add_and_verify(client, "ana.quispe@cusco.example")

    client.post(reverse("account_email"), {"action_primary": "", "email": "ana.quispe@cusco.example"})

    person = Person.objects.get(user=consenting_official)
    assert (person.email, person.has_contact_consent) == ("tourism@cusco.example", True)


# --- A person's data under their control ----------------------------------------------------------


@pytest.fixture
def official_with_history():
    city = factories.city(name="Samarkand")
    account = factories.official(city_=city, full_name="Dilnoza Karimova")
    person = Person.objects.get(user=account)
    person_consent_give(person=person, source="consent page")
    kit = build_survey()
    from surveys.services import response_submit

    response_submit(
        survey=kit.survey,
        respondent=person,
        city=city,
        answers=kit.answers(areas="MY OWN WORDS"),
        language="en",
    )
    return account, person


def test_a_person_downloads_their_data_from_the_dashboard(client, official_with_history):
    account, _person = official_with_history
    client.force_login(account)

    dashboard = client.get(reverse("officials:dashboard")).content.decode()
    download = client.get(reverse("personal:download"))

    data = download.json()
    assert reverse("personal:download") in dashboard
    assert download["Content-Disposition"] == 'attachment; filename="travel-south-my-data.json"'
    assert data["account"]["email"] == account.email
    assert data["person"]["full_name"] == "Dilnoza Karimova"
    assert [event["action"] for event in data["person"]["consent_history"]] == ["given"]
    assert [membership["city"] for membership in data["memberships"]] == ["Samarkand"]
    assert "MY OWN WORDS" in [answer["text"] for answer in data["person"]["survey_responses"][0]["answers"]]


def test_the_download_is_only_ones_own(client, official_with_history):
    client.force_login(factories.user(email="other@city.example"))

    data = client.get(reverse("personal:download")).json()

    assert data["person"] is None
    assert "Dilnoza" not in str(data)


def test_a_person_deletes_their_account_with_their_password(client, official_with_history):
    account, person = official_with_history
    client.force_login(account)

    wrong = client.post(reverse("personal:delete_account"), {"password": "wrong", "confirm": "on"})
    deleted = client.post(
        reverse("personal:delete_account"), {"password": "a-Long-enough-passw0rd", "confirm": "on"}
    )

    person.refresh_from_db()
    assert wrong.context["form"].errors["password"] == ["This is not your password."]
    assert deleted["Location"] == "/"
    assert not type(account).objects.filter(pk=account.pk).exists()
    assert (person.full_name, person.email, person.user_id, person.has_contact_consent) == (
        "Erased person",
        "",
        None,
        False,
    )
    assert list(ContactConsentEvent.objects.filter(person=person).values_list("action", "email")) == [
        ("given", ""),
        ("withdrawn", ""),
    ]
    assert Response.objects.get().respondent is None
    assert Answer.objects.filter(text="MY OWN WORDS").exists()
    assert "_auth_user_id" not in client.session


def test_staff_erase_a_person_on_request_keeping_an_anonymised_consent_history(staff_client):
    contact = city_contact_add(city=factories.city(), full_name="Li Wei", email="li@luoyang.example")
    person_consent_give(person=contact, source="signed form")

    staff_client.post(
        reverse("admin:cities_person_changelist"),
        {"action": "erase_people", "_selected_action": [contact.pk]},
    )

    contact.refresh_from_db()
    assert (contact.full_name, contact.email, contact.has_contact_consent) == ("Erased person", "", False)
    assert list(
        ContactConsentEvent.objects.filter(person=contact).values_list("action", "source", "email")
    ) == [
        ("given", "signed form", ""),
        ("withdrawn", "Erased on the person's request", ""),
    ]


def test_a_broker_cannot_erase_people(client, django_user_model):
    from django.contrib.auth.models import Group

    broker = django_user_model.objects.create_user(username="broker", password="x", is_staff=True)
    broker.groups.add(Group.objects.get(name="Broker"))
    contact = city_contact_add(city=factories.city(), full_name="Li Wei", email="li@luoyang.example")
    client.force_login(broker)

    client.post(
        reverse("admin:cities_person_changelist"),
        {"action": "erase_people", "_selected_action": [contact.pk]},
    )

    contact.refresh_from_db()
    assert contact.full_name == "Li Wei"
