"""A signed-up user's own pages: details, requests, proposals, leaving; and the officials' list pages."""

import pytest
from django.urls import reverse

from cities.models import City, CityMembership, Person, ReviewStatus
from cities.services import city_contact_add, good_practice_create, membership_request
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(client):
    user = factories.user(email="ana@morelia.example")
    client.force_login(user)
    return user


def test_details_page_creates_the_person_with_the_chosen_language(client, account):
    response = client.post(
        reverse("officials:details"),
        {"honorific": "Dr.", "full_name": "Ana Ruiz", "title": "Director of Tourism", "language": "zh-hans"},
    )

    person = Person.objects.get(user=account)
    assert response["Location"] == reverse("officials:dashboard")
    assert (person.display_name, person.title, person.preferred_language, person.email) == (
        "Dr. Ana Ruiz",
        "Director of Tourism",
        "zh-hans",
        "ana@morelia.example",
    )


def test_request_page_shows_errors_next_to_the_fields_and_saves_nothing(client, account):
    response = client.post(
        reverse("officials:membership_request"), {"city": "", "full_name": "", "role": "x"}
    )

    assert response.context["form"].errors == {
        "city": ["This field is required."],
        "full_name": ["This field is required."],
    }
    assert 'aria-invalid="true"' in response.content.decode()
    assert CityMembership.objects.count() == 0


def test_request_page_offers_only_approved_cities(client, account):
    factories.city(name="Listed")
    factories.city(name="Proposed", review_status=ReviewStatus.PENDING)

    response = client.get(reverse("officials:membership_request"))

    assert [city.name for city in response.context["form"].fields["city"].queryset] == ["Listed"]


def test_a_second_request_for_the_same_city_is_refused_next_to_the_field(client, account):
    city = factories.city()
    payload = {"city": city.pk, "full_name": "Ana Ruiz", "role": "Director"}
    client.post(reverse("officials:membership_request"), payload)

    response = client.post(reverse("officials:membership_request"), payload)

    assert response.context["form"].errors == {"city": ["You have already asked to represent this city."]}


def test_proposing_a_city_creates_it_hidden_with_a_pending_request(client, account):
    response = client.post(
        reverse("officials:city_propose"),
        {
            "name": "Arequipa",
            "kind": "city",
            "country": factories.country(iso_code="PE", name="Peru").pk,
            "website": "arequipa.example",
            "full_name": "Rosa Díaz",
            "role": "Tourism officer",
        },
    )

    city = City.objects.get(name="Arequipa")
    assert response["Location"] == reverse("officials:dashboard")
    assert (city.review_status, city.website, city.slug) == (
        "pending",
        "https://arequipa.example",
        "arequipa",
    )
    assert list(CityMembership.objects.values_list("city__name", "status")) == [("Arequipa", "pending")]


def test_leaving_asks_for_confirmation_then_closes_the_membership(client, account):
    city = factories.city(name="Morelia")
    factories.official(city_=city, account=account)
    membership = CityMembership.objects.get(user=account)
    url = reverse("officials:membership_leave", args=[membership.pk])

    confirmation = client.get(url)
    client.post(url)

    membership.refresh_from_db()
    assert "Stop acting for Morelia?" in confirmation.content.decode()
    assert membership.status == CityMembership.Status.LEFT
    assert client.get(reverse("cities:edit", args=[city.slug])).status_code == 403


def test_nobody_can_leave_for_someone_else(client, account):
    other = factories.official(city_=factories.city())
    membership = CityMembership.objects.get(user=other)

    response = client.post(reverse("officials:membership_leave", args=[membership.pk]))

    membership.refresh_from_db()
    assert response.status_code == 404
    assert membership.status == CityMembership.Status.APPROVED


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_queries_do_not_grow_with_memberships(
    client, account, django_assert_max_num_queries, count
):
    for _ in range(count):
        membership_request(user=account, city=factories.city(), full_name="Ana Ruiz", role="Director")

    with django_assert_max_num_queries(6):
        response = client.get(reverse("officials:dashboard"))

    assert len(response.context["memberships"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_manage_and_contacts_pages_queries_do_not_grow(client, account, django_assert_max_num_queries, count):
    city = factories.city()
    factories.official(city_=city, account=account)
    for number in range(count):
        good_practice_create(city=city, title=f"Practice {number}", summary="S", themes=[factories.theme()])
        city_contact_add(city=city, full_name=f"Contact {number}")
        factories.official(city_=city)

    with django_assert_max_num_queries(14):
        manage = client.get(reverse("cities:manage", args=[city.slug]))
    with django_assert_max_num_queries(9):
        contacts = client.get(reverse("cities:contacts", args=[city.slug]))

    assert len(manage.context["practices"]) == count
    assert len(manage.context["officials"]) == count + 1
    assert len(contacts.context["contacts"]) == 2 * count + 1
