"""Officials register their city's interest on the web form; its history and their consent are kept."""

import pytest
from django.urls import reverse

from cities.models import ContactConsentEvent, Person
from partnerships.interests import interest_record
from partnerships.models import DevelopmentPriority, Interest
from partnerships.selectors import interest_history
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return factories.city(name="Morelia")


@pytest.fixture
def vocabulary():
    return {
        "tourism": DevelopmentPriority.objects.create(
            slug="tourism", name="Tourism", name_es="Turismo", order=1
        ),
        "transport": DevelopmentPriority.objects.create(slug="transport", name="Transport", order=2),
        "heritage": factories.theme(),
        "smart": factories.theme(slug="smart-tourism-platforms", name="Smart tourism platforms"),
        "spanish": factories.language(),
        "english": factories.language(code="en", name="English"),
    }


@pytest.fixture
def official(client, city):
    account = factories.official(city_=city, full_name="Ana Ruiz")
    client.force_login(account)
    return account


def test_official_registers_an_interest_and_consents_to_be_contacted(client, city, official, vocabulary):
    luoyang = factories.city(name="Luoyang")

    response = client.post(
        reverse("partnerships:interest_register", args=[city.slug]),
        {
            "priorities": [vocabulary["tourism"].pk, vocabulary["transport"].pk],
            "themes_sought": [vocabulary["smart"].pk],
            "themes_offered": [vocabulary["heritage"].pk],
            "partner_cities": [luoyang.pk],
            "partner_countries": [city.country.pk],
            "working_languages": [vocabulary["spanish"].pk, vocabulary["english"].pk],
            "message": "We want to learn smart tourism.",
            "is_published": "on",
            "consent_to_contact": "on",
        },
    )

    interest = Interest.objects.get(city=city, is_current=True)
    person = Person.objects.get(user=official)
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:interest_history", args=[city.slug])
    assert (interest.source, interest.recorded_by, interest.message, interest.is_published) == (
        "web_form",
        official,
        "We want to learn smart tourism.",
        True,
    )
    assert [p.slug for p in interest.priorities.all()] == ["tourism", "transport"]
    assert [t.slug for t in interest.themes_sought.all()] == ["smart-tourism-platforms"]
    assert [t.slug for t in interest.themes_offered.all()] == ["heritage-conservation"]
    assert [c.name for c in interest.partner_cities.all()] == ["Luoyang"]
    assert sorted(lang.code for lang in interest.working_languages.all()) == ["en", "es"]
    assert person.has_contact_consent
    assert person.contact_consent_source == f"Interest form for Morelia (web, interest #{interest.pk})"


def test_registering_again_keeps_the_history_and_unticking_consent_withdraws_it(
    client, city, official, vocabulary
):
    url = reverse("partnerships:interest_register", args=[city.slug])
    client.post(url, {"priorities": [vocabulary["tourism"].pk], "consent_to_contact": "on"})

    form_page = client.get(url)
    client.post(url, {"priorities": [vocabulary["transport"].pk], "message": "Now transport."})
    history = client.get(reverse("partnerships:interest_history", args=[city.slug]))

    assert form_page.context["form"].initial["priorities"] == [vocabulary["tourism"]]
    assert form_page.context["form"].initial["consent_to_contact"] is True
    assert [(v.interest.message, v.interest.is_current) for v in history.context["versions"]] == [
        ("Now transport.", True),
        ("", False),
    ]
    assert [[p.slug for p in i.priorities.all()] for i in interest_history(city=city)] == [
        ["transport"],
        ["tourism"],
    ]
    assert list(ContactConsentEvent.objects.values_list("action", flat=True)) == ["given", "withdrawn"]
    assert "Now transport." in history.content.decode()


def test_an_empty_interest_is_refused_and_nothing_is_saved(client, city, official, vocabulary):
    response = client.post(
        reverse("partnerships:interest_register", args=[city.slug]),
        {"message": "x" * 2001, "consent_to_contact": "on"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "message": ["Ensure this value has at most 2000 characters (it has 2001)."],
        "__all__": ["Choose at least one development priority, or a theme your city seeks or offers."],
    }
    assert Interest.objects.count() == 0
    assert not Person.objects.get(user=official).has_contact_consent


def test_the_city_cannot_be_its_own_partner(client, city, official, vocabulary):
    response = client.post(
        reverse("partnerships:interest_register", args=[city.slug]),
        {"priorities": [vocabulary["tourism"].pk], "partner_cities": [city.pk]},
    )

    assert list(response.context["form"].errors) == ["partner_cities"]


def test_consent_page_withdraws_and_gives_consent_with_history(client, city, official):
    url = reverse("officials:consent")

    client.post(url, {"consent": "give"})
    client.post(url, {"consent": "withdraw"})
    page = client.get(url)

    assert not Person.objects.get(user=official).has_contact_consent
    assert [(event.action, event.source) for event in page.context["events"]] == [
        ("withdrawn", "Consent page (web)"),
        ("given", "Consent page (web)"),
    ]
    assert "I agree to be contacted" in page.content.decode()


@pytest.mark.parametrize("count", [1, 15])
def test_interest_history_queries_do_not_grow_with_interests(
    client, city, official, vocabulary, django_assert_max_num_queries, count
):
    for number in range(count):
        interest_record(
            city=city,
            source=Interest.Source.WEB_FORM,
            priorities=[vocabulary["tourism"]],
            themes_sought=[vocabulary["heritage"]],
            partner_cities=[factories.city()],
            message=f"Interest {number}",
            recorded_by=official,
        )

    # Each version here replaces the previous partner city, so the history shows removed cities too:
    # one more query for their names, whatever the number of versions.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("partnerships:interest_history", args=[city.slug]))

    assert len(response.context["versions"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_consent_page_queries_do_not_grow_with_its_history(
    client, official, django_assert_max_num_queries, count
):
    for _ in range(count):
        client.post(reverse("officials:consent"), {"consent": "give"})
        client.post(reverse("officials:consent"), {"consent": "withdraw"})

    with django_assert_max_num_queries(5):
        response = client.get(reverse("officials:consent"))

    assert len(response.context["events"]) == 2 * count
