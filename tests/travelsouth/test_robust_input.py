"""Bad input gets a clear error and nothing is half-saved: line breaks in names, parallel creation of
the same title, a form in the wrong encoding, odd API paths and cursors, oversized text."""

import pytest
from django.core import mail
from django.urls import reverse

from cities.models import City, CityMembership, GoodPractice
from cities.services import city_propose, membership_request
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def official_client(client):
    account = factories.user(email="ana@cusco.example")
    client.force_login(account)
    return client


def test_a_line_break_in_a_proposed_citys_name_is_refused_next_to_the_field(official_client):
    country = factories.country()

    response = official_client.post(
        reverse("officials:city_propose"),
        {
            "name": "Evil\r\nBcc: everyone@example.org",
            "kind": "city",
            "country": country.pk,
            "full_name": "Ana Quispe",
            "role": "Director",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Write this on one line: line breaks and control characters are not allowed."
    ]
    assert not City.objects.filter(name__startswith="Evil").exists()
    assert CityMembership.objects.count() == 0


@pytest.mark.parametrize("full_name", ["Ana\nQuispe", "Ana\rQuispe", "Ana\x00Quispe"])
def test_a_line_break_in_a_persons_name_is_refused(official_client, full_name):
    city = factories.city()

    response = official_client.post(
        reverse("officials:membership_request"), {"city": city.pk, "full_name": full_name, "role": "Director"}
    )

    assert "full_name" in response.context["form"].errors
    assert CityMembership.objects.count() == 0


def test_approving_a_row_with_a_line_break_in_an_old_name_approves_and_writes_to_every_row(
    staff_client, django_capture_on_commit_callbacks, eager_tasks
):
    proposed_by = factories.user(email="luis@gdl.example")
    membership = city_propose(
        user=proposed_by, name="Newtown", kind="city", country=factories.country(), full_name="A B", role="C"
    )
    # A name saved before names were checked, straight in the database.
    City.objects.filter(pk=membership.city_id).update(name="New\r\ntown", review_status="approved")
    other = membership_request(
        user=factories.user(email="li@luoyang.example"), city=factories.city(), full_name="Li", role="D"
    )

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:cities_citymembership_changelist"),
            {"action": "approve_memberships", "_selected_action": [membership.pk, other.pk], "apply": "1"},
        )

    assert list(CityMembership.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
    ]
    assert sorted(message.to[0] for message in mail.outbox) == ["li@luoyang.example", "luis@gdl.example"]
    assert all("\n" not in message.subject and "\r" not in message.subject for message in mail.outbox)


# Two practices with one title at once: tests/travelsouth/test_slug_race.py (two real connections).


def test_a_form_posted_as_latin_1_gets_a_400_and_saves_nothing(official_client):
    city = factories.city()
    body = f"city={city.pk}&full_name=Jos%E9+P%E9rez&role=Director".encode("ascii")

    response = official_client.post(
        reverse("officials:membership_request"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "not sent as UTF-8" in response.content.decode()
    assert CityMembership.objects.count() == 0


def test_a_form_that_declares_latin_1_gets_a_400_too(official_client):
    city = factories.city()
    body = f"city={city.pk}&full_name=Jos%E9+P%E9rez&role=Director".encode("ascii")

    response = official_client.post(
        reverse("officials:membership_request"),
        body,
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )

    assert response.status_code == 400
    assert CityMembership.objects.count() == 0


@pytest.mark.parametrize(
    "path", ["/api/v1/cities/1%0A/", "/api/v1/cities/%0A/", "/api/v1/cities/1%0A", "/api/v1/no%0Athing/"]
)
def test_api_404s_are_always_json(client, path):
    factories.city(name="Alpha")

    response = client.get(path, HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 404


def test_a_junk_cursor_gets_a_400_with_a_reason(client):
    factories.city(name="Alpha")

    response = client.get("/api/v1/cities/?cursor=junk", HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert (
        response.json()["error"]["detail"]
        == "cursor: Invalid cursor: use the next or previous link as given."
    )


def test_a_huge_description_is_refused_with_a_form_error(client):
    city = factories.city()
    client.force_login(factories.official(city_=city))

    response = client.post(
        reverse("cities:edit", args=[city.slug]),
        {"description_en": "x" * 2_400_000, "sites-TOTAL_FORMS": "0", "sites-INITIAL_FORMS": "0"},
    )

    city.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["description_en"] == [
        "Ensure this value has at most 5000 characters (it has 2400000)."
    ]
    assert city.description != "x" * 2_400_000


def test_too_many_digital_tools_are_refused(client):
    city, theme = factories.city(), factories.theme()
    client.force_login(factories.official(city_=city))

    response = client.post(
        reverse("cities:practice_create", args=[city.slug]),
        {
            "title_en": "Tools",
            "summary_en": "S",
            "themes": [theme.pk],
            "year": "2024",
            "digital_tools": "\n".join(f"tool {n}" for n in range(31)),
        },
    )

    assert response.context["form"].errors["digital_tools"] == ["List at most 30 digital tools."]
    assert not GoodPractice.objects.filter(title="Tools").exists()
