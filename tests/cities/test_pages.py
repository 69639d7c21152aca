import pytest
from django.urls import reverse

from cities.models import ReviewStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_city_list_shows_loaded_cities_with_country_and_region(client, report_data):
    response = client.get(reverse("cities:list"))

    names = [city.name for city in response.context["cities"]]
    assert response.status_code == 200
    assert names[:3] == ["Alanya", "Anyang", "Baguio"]
    assert response.context["page"].paginator.count == 32
    # The table shows regions, not sub-regions (the region filter offers both).
    assert '<td data-label="Region">Eastern Asia</td>' not in response.content.decode()
    assert '<td data-label="Region">Asia</td>' in response.content.decode()


def test_city_list_hides_cities_awaiting_review(client):
    factories.city(name="Approved Town")
    factories.city(name="Pending Town", review_status=ReviewStatus.PENDING)

    response = client.get(reverse("cities:list"))

    assert [city.name for city in response.context["cities"]] == ["Approved Town"]


def test_city_page_shows_its_good_practices(client, report_data):
    response = client.get(reverse("cities:detail", args=["dunhuang"]))

    assert response.status_code == 200
    assert [p.webinar.number for p in response.context["city"].good_practices.all()] == [4, 1]
    assert "Mogao Caves" in response.content.decode()


@pytest.mark.parametrize("count", [1, 40])
def test_city_list_queries_do_not_grow_with_cities(client, django_assert_max_num_queries, count):
    for _ in range(count):
        factories.good_practice(city_=factories.city())

    # count, page, the map's cities and their partnerships, and one query per filter's choices
    # (country, region, theme, language)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cities:list"))

    assert len(response.context["cities"]) == min(count, 24)
