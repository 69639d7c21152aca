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


def test_the_library_pages_only_its_first_pages_and_says_how_to_find_the_others(client, monkeypatch):
    from cities.views import public

    monkeypatch.setattr(public, "PRACTICES_PER_PAGE", 1)
    monkeypatch.setattr(public, "LIBRARY_PAGES", 2)
    town = factories.city(name="Cusco", review_status=ReviewStatus.APPROVED)
    for year in range(2015, 2020):
        factories.good_practice(city_=town, title=f"Practice of {year}", year=year)

    deep = client.get(reverse("practices:list"), {"page": 4})
    first = client.get(reverse("practices:list"))

    assert [practice.title for practice in deep.context["practices"]] == ["Practice of 2018"]
    assert (deep.context["page"].number, deep.context["page"].paginator.count) == (2, 5)
    assert "Page 2 of 2" in deep.content.decode()
    assert "Only the first 2 pages are listed" in first.content.decode()
