"""Approved officials edit their city's profile, contacts and good practices through the forms."""

import pytest
from django.urls import reverse

from cities.models import GoodPractice, HeritageSite, Person
from cities.services import good_practice_create, good_practice_update, good_practice_withdraw
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return factories.city(name="Samarkand")


@pytest.fixture
def official_client(client, city):
    client.force_login(factories.official(city_=city))
    return client


def test_official_edits_the_profile_with_heritage_sites_and_languages(official_client, city):
    uzbek, russian = (
        factories.language(code="uz", name="Uzbek"),
        factories.language(code="ru", name="Russian"),
    )
    HeritageSite.objects.create(city=city, name="Old listing")

    response = official_client.post(
        reverse("cities:edit", args=[city.slug]),
        {
            "description_en": "A Silk Road city.",
            "description_es": "Una ciudad de la Ruta de la Seda.",
            "description_zh_hans": "丝绸之路上的城市。",
            "website": "https://samarkand.example",
            "languages": [uzbek.pk, russian.pk],
            "is_world_heritage_city": "on",
            "sites-TOTAL_FORMS": "2",
            "sites-INITIAL_FORMS": "0",
            "sites-0-name": "Registan",
            "sites-0-is_world_heritage": "on",
            "sites-0-inscribed_year": "2001",
            "sites-1-name": "",
        },
    )

    city.refresh_from_db()
    assert response.status_code == 302
    assert (city.description, city.description_es, city.description_zh_hans, city.website) == (
        "A Silk Road city.",
        "Una ciudad de la Ruta de la Seda.",
        "丝绸之路上的城市。",
        "https://samarkand.example",
    )
    assert city.is_world_heritage_city
    assert sorted(language.code for language in city.languages.all()) == ["ru", "uz"]
    assert list(city.heritage_sites.values_list("name", "is_world_heritage", "inscribed_year")) == [
        ("Registan", True, 2001)
    ]


def test_a_bad_profile_shows_errors_next_to_the_fields_and_saves_nothing(official_client, city):
    response = official_client.post(
        reverse("cities:edit", args=[city.slug]),
        {
            "description_en": "Changed",
            "website": "not a web address",
            "sites-TOTAL_FORMS": "2",
            "sites-INITIAL_FORMS": "0",
            "sites-0-name": "Registan",
            "sites-0-inscribed_year": "1200",
            "sites-1-name": "registan",
        },
    )

    content = response.content.decode()
    city.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors == {"website": ["Enter a valid URL."]}
    assert response.context["formset"].errors[0] == {
        "inscribed_year": ["Ensure this value is greater than or equal to 1972."]
    }
    assert 'id="id_website_error"' in content
    assert 'aria-describedby="id_website_error"' in content
    assert city.description == ""
    assert HeritageSite.objects.count() == 0


def test_official_adds_edits_and_removes_a_contact(official_client, city):
    url = reverse("cities:contacts", args=[city.slug])

    official_client.post(
        url,
        {
            "full_name": "Dilnoza Karimova",
            "title": "Press officer",
            "email": "d@samarkand.example",
            "preferred_language": "en",
        },
    )
    contact = Person.objects.get(full_name="Dilnoza Karimova")
    official_client.post(
        reverse("cities:contact_edit", args=[city.slug, contact.pk]),
        {
            "full_name": "Dilnoza Karimova",
            "title": "Head of press",
            "email": "d@samarkand.example",
            "preferred_language": "es",
        },
    )
    page = official_client.get(url)
    official_client.post(reverse("cities:contact_remove", args=[city.slug, contact.pk]))

    contact.refresh_from_db()
    assert [(person.full_name, person.title) for person in page.context["contacts"]] == [
        ("Dilnoza Karimova", "Head of press"),
        ("Official of Samarkand", "Tourism director"),
    ]
    assert (contact.city, contact.preferred_language) == (None, "es")


def test_a_contact_address_already_on_file_is_refused_next_to_the_field(official_client, city):
    factories.person(email="taken@example.org")

    response = official_client.post(
        reverse("cities:contacts", args=[city.slug]),
        {"full_name": "Someone", "email": "taken@example.org", "preferred_language": "en"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert Person.objects.filter(full_name="Someone").count() == 0


def test_official_publishes_edits_and_withdraws_a_good_practice(official_client, city, client):
    heritage = factories.theme()
    digital = factories.theme(slug="digital-marketing", name="Digital marketing")

    official_client.post(
        reverse("cities:practice_create", args=[city.slug]),
        {
            "title_en": "Night tours of the Registan",
            "title_es": "Visitas nocturnas al Registán",
            "summary_en": "Guided evening tours.",
            "themes": [heritage.pk],
            "digital_tools": "online booking\nOnline booking\n audio guide ",
            "link": "https://tours.example",
            "year": "2024",
        },
    )
    practice = GoodPractice.objects.get(city=city)
    official_client.post(
        reverse("cities:practice_edit", args=[city.slug, practice.slug]),
        {
            "title_en": "Night tours",
            "summary_en": "Guided evening tours.",
            "themes": [heritage.pk, digital.pk],
            "year": "2024",
        },
    )
    public_before = client.get(reverse("practices:list"))
    official_client.post(reverse("cities:practice_withdraw", args=[city.slug, practice.slug]))
    public_after = client.get(reverse("practices:list"))

    practice.refresh_from_db()
    assert (practice.title, practice.slug, practice.status, practice.year) == (
        "Night tours",
        "night-tours-of-the-registan",
        "withdrawn",
        2024,
    )
    assert sorted(theme.slug for theme in practice.themes.all()) == [
        "digital-marketing",
        "heritage-conservation",
    ]
    assert [p.title for p in public_before.context["practices"]] == ["Night tours"]
    assert list(public_after.context["practices"]) == []
    assert client.get(reverse("practices:detail", args=[practice.slug])).status_code == 404


def test_a_practice_without_a_theme_is_refused_next_to_the_field(official_client, city):
    response = official_client.post(
        reverse("cities:practice_create", args=[city.slug]), {"title_en": "Something", "summary_en": "Text"}
    )

    assert response.context["form"].errors == {"themes": ["This field is required."]}
    assert GoodPractice.objects.count() == 0


def test_good_practice_services_clean_tools_and_keep_the_slug(city):
    practice = good_practice_create(
        city=city,
        title="Smart cards",
        summary="S",
        themes=[factories.theme()],
        digital_tools=["QR", "qr", " "],
    )

    updated = good_practice_update(
        good_practice=practice, title="City cards", summary="S", themes=[factories.theme()]
    )
    withdrawn = good_practice_withdraw(good_practice=updated)

    assert (practice.digital_tools, updated.slug, withdrawn.status) == (["QR"], "smart-cards", "withdrawn")


def test_title_and_summary_follow_the_visitors_language_with_a_fallback(client, city):
    practice = good_practice_create(
        city=city,
        title="Night tours",
        summary="Evening tours.",
        texts={"zh-hans": {"title": "夜游"}, "es": {"summary": "Visitas al anochecer."}},
        themes=[factories.theme()],
    )

    chinese = client.get(f"/zh-hans/good-practices/{practice.slug}/").content.decode()
    spanish = client.get(f"/es/good-practices/{practice.slug}/").content.decode()

    assert "<h1>夜游</h1>" in chinese and "Evening tours." in chinese
    assert "<h1>Night tours</h1>" in spanish and "Visitas al anochecer." in spanish
