"""Who may open which edit URL of a city. City B holds data that must not leak, and every URL is tried
with GET and, where it writes, with a POST that would change B if the door were open."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from cities.models import CityMembership, GoodPractice, HeritageSite, Person
from cities.services import (
    city_contact_add,
    good_practice_create,
    good_practice_withdraw,
    membership_leave,
    membership_request,
)
from partnerships.interests import interest_record
from partnerships.models import Interest
from tests import factories

pytestmark = pytest.mark.django_db

SECRETS = ["SECRET-INTEREST-MESSAGE", "SECRET-WITHDRAWN-PRACTICE", "secret.contact@b.example", "SECRET-SITE"]


@pytest.fixture
def cities():
    city_a, city_b = factories.city(name="Alpha"), factories.city(name="Beta")
    theme = factories.theme()
    HeritageSite.objects.create(city=city_b, name="SECRET-SITE")
    interest_record(
        city=city_b, source=Interest.Source.WEB_FORM, themes_sought=[theme], message="SECRET-INTEREST-MESSAGE"
    )
    published = good_practice_create(city=city_b, title="Open practice", summary="S", themes=[theme])
    withdrawn = good_practice_withdraw(
        good_practice=good_practice_create(
            city=city_b, title="SECRET-WITHDRAWN-PRACTICE", summary="S", themes=[theme]
        )
    )
    contact = city_contact_add(city=city_b, full_name="Contact B", email="secret.contact@b.example")
    a_practice = good_practice_create(city=city_a, title="Practice of A", summary="S", themes=[theme])
    return {
        "a": city_a,
        "b": city_b,
        "theme": theme,
        "published": published,
        "withdrawn": withdrawn,
        "contact": contact,
        "a_practice": a_practice,
    }


def edit_requests(data):
    """Every edit URL of city B: (name, url, method, payload)."""
    b, theme = data["b"], data["theme"]
    practice = {"title": "HACKED", "summary": "HACKED", "themes": [theme.pk], "year": "2024"}
    contact = {"full_name": "HACKED", "email": "hacked@example.org", "preferred_language": "en"}
    profile = {"description": "HACKED", "sites-TOTAL_FORMS": "0", "sites-INITIAL_FORMS": "0"}
    interest = {"themes_sought": [theme.pk], "message": "HACKED", "is_published": "on"}
    slug, published, withdrawn, person = (
        b.slug,
        data["published"].slug,
        data["withdrawn"].slug,
        data["contact"].pk,
    )
    return [
        ("manage", reverse("cities:manage", args=[slug]), "get", None),
        ("edit", reverse("cities:edit", args=[slug]), "get", None),
        ("edit", reverse("cities:edit", args=[slug]), "post", profile),
        ("contacts", reverse("cities:contacts", args=[slug]), "get", None),
        ("contacts", reverse("cities:contacts", args=[slug]), "post", contact),
        ("contact_edit", reverse("cities:contact_edit", args=[slug, person]), "get", None),
        ("contact_edit", reverse("cities:contact_edit", args=[slug, person]), "post", contact),
        ("contact_remove", reverse("cities:contact_remove", args=[slug, person]), "post", {}),
        ("practice_create", reverse("cities:practice_create", args=[slug]), "get", None),
        ("practice_create", reverse("cities:practice_create", args=[slug]), "post", practice),
        ("practice_edit", reverse("cities:practice_edit", args=[slug, withdrawn]), "get", None),
        ("practice_edit", reverse("cities:practice_edit", args=[slug, published]), "post", practice),
        ("practice_withdraw", reverse("cities:practice_withdraw", args=[slug, published]), "post", {}),
        ("practice_publish", reverse("cities:practice_publish", args=[slug, withdrawn]), "post", {}),
        ("interest_register", reverse("partnerships:interest_register", args=[slug]), "get", None),
        ("interest_register", reverse("partnerships:interest_register", args=[slug]), "post", interest),
        ("interest_history", reverse("partnerships:interest_history", args=[slug]), "get", None),
    ]


def snapshot(city):
    """Everything of the city an edit URL could change."""
    city.refresh_from_db()
    return {
        "description": city.description,
        "practices": sorted(GoodPractice.objects.filter(city=city).values_list("title", "status")),
        "contacts": sorted(Person.objects.filter(city=city).values_list("full_name", "email")),
        "interests": list(Interest.objects.filter(city=city).values_list("message", "is_current")),
        "sites": list(HeritageSite.objects.filter(city=city).values_list("name", flat=True)),
    }


def assert_closed(client, data, allowed_statuses):
    before = snapshot(data["b"])
    outcomes = []
    for name, url, method, payload in edit_requests(data):
        response = getattr(client, method)(url, payload) if payload is not None else client.get(url)
        content = response.content.decode()
        outcomes.append(
            (name, method, response.status_code in allowed_statuses, [s for s in SECRETS if s in content])
        )

    assert [outcome for outcome in outcomes if not outcome[2] or outcome[3]] == []
    assert snapshot(data["b"]) == before


def test_the_officials_of_city_b_can_open_every_edit_url(client, cities):
    client.force_login(factories.official(city_=cities["b"]))

    statuses = {
        (name, method): client.get(url).status_code
        for name, url, method, _ in edit_requests(cities)
        if method == "get"
    }

    assert set(statuses.values()) == {200}


def test_an_official_of_city_a_gets_403_or_404_on_every_edit_url_of_city_b(client, cities):
    client.force_login(factories.official(city_=cities["a"]))

    assert_closed(client, cities, allowed_statuses={403, 404})


def test_an_official_of_city_a_cannot_reach_city_b_rows_through_city_a_urls(client, cities):
    client.force_login(factories.official(city_=cities["a"]))
    a, withdrawn, contact = cities["a"].slug, cities["withdrawn"].slug, cities["contact"].pk

    statuses = [
        client.get(reverse("cities:practice_edit", args=[a, withdrawn])).status_code,
        client.post(reverse("cities:practice_publish", args=[a, withdrawn])).status_code,
        client.get(reverse("cities:contact_edit", args=[a, contact])).status_code,
        client.post(reverse("cities:contact_remove", args=[a, contact])).status_code,
    ]

    assert statuses == [404, 404, 404, 404]
    assert GoodPractice.objects.get(pk=cities["withdrawn"].pk).status == "withdrawn"
    assert Person.objects.get(pk=contact).city == cities["b"]


@pytest.mark.parametrize("state", ["pending", "rejected", "left"])
def test_a_user_whose_request_is_not_approved_gets_403_or_404_on_every_edit_url(
    client, cities, staff_user, state
):
    account = factories.user()
    membership = membership_request(user=account, city=cities["b"], full_name="Hopeful", role="Officer")
    if state == "rejected":
        from cities.services import membership_reject

        membership_reject(membership=membership, by=staff_user, reason="No")
    elif state == "left":
        membership_leave(membership=membership, user=account)
    client.force_login(account)

    assert CityMembership.objects.get(pk=membership.pk).status == state
    assert_closed(client, cities, allowed_statuses={403, 404})


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_edit_url(client, cities):
    before = snapshot(cities["b"])
    login = reverse(settings.LOGIN_URL)

    destinations = []
    for _, url, method, payload in edit_requests(cities):
        response = getattr(client, method)(url, payload) if payload is not None else client.get(url)
        destinations.append((response.status_code, urlsplit(response.get("Location", "")).path))

    assert set(destinations) == {(302, login)}
    assert snapshot(cities["b"]) == before


def test_officials_own_pages_send_anonymous_visitors_to_log_in(client):
    urls = [
        reverse(name)
        for name in [
            "officials:dashboard",
            "officials:details",
            "officials:consent",
            "officials:membership_request",
            "officials:city_propose",
        ]
    ]

    responses = [client.get(url) for url in urls]

    assert [(r.status_code, urlsplit(r["Location"]).path) for r in responses] == [
        (302, reverse("account_login"))
    ] * 5
