"""Every public page runs a bounded number of queries, and the same number at 100 and at 10,000 cities
and good practices (issue 19). The rows are bulk-created: what is measured is the pages' reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.models import City, Country, GoodPractice, ReviewStatus, Theme

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25
SURVEY = "post-webinar-survey-china-mexico"


def _grow_to(count: int) -> None:
    """Synthetic approved cities with one published practice each, until there are ``count`` of each."""
    countries = list(Country.objects.order_by("pk"))
    theme = Theme.objects.order_by("pk").first()
    have = City.objects.filter(slug__startswith="synthetic-").count()
    cities = City.objects.bulk_create(
        [
            City(
                slug=f"synthetic-{number}",
                name=f"Synthetic town {number:05d}",
                country=countries[number % len(countries)],
                latitude=number % 80,
                longitude=number % 170,
                review_status=ReviewStatus.APPROVED,
            )
            for number in range(have, count)
        ],
        batch_size=1000,
    )
    practices = GoodPractice.objects.bulk_create(
        [
            GoodPractice(
                slug=f"synthetic-practice-{city.pk}",
                city=city,
                title=f"Synthetic practice {city.pk}",
                summary="What the town did.",
                year=2015 + city.pk % 10,
                status=GoodPractice.Status.PUBLISHED,
            )
            for city in cities
        ],
        batch_size=1000,
    )
    GoodPractice.themes.through.objects.bulk_create(
        [
            GoodPractice.themes.through(goodpractice_id=practice.pk, theme_id=theme.pk)
            for practice in practices
        ],
        batch_size=1000,
    )


def _pages() -> dict[str, str]:
    city = City.objects.get(slug="dunhuang")
    practice = city.good_practices.order_by("pk").first()
    return {
        "home": reverse("home"),
        "directory": reverse("cities:list"),
        "directory, page 300": reverse("cities:list") + "?page=300",
        "directory, filtered": reverse("cities:list") + f"?country={city.country_id}&world_heritage=no",
        "city": reverse("cities:detail", args=[city.slug]),
        "library": reverse("practices:list"),
        "library, page 400": reverse("practices:list") + "?page=400",
        "library, by year": reverse("practices:list") + "?year=2020",
        "practice": reverse("practices:detail", args=[practice.slug]),
        "webinars": reverse("webinars:list"),
        "webinar": reverse("webinars:detail", args=["webinar-4-china-mexico"]),
        "series": reverse("webinars:series", args=["travel-south-over-cloud"]),
        "survey summary": reverse("surveys:summary", args=[SURVEY]),
        "partnerships": reverse("partnerships:list"),
        "about the data": reverse("about_data"),
    }


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_public_pages_run_no_more_queries_at_10_000_rows_than_at_100(client, report_data):
    """Slow by nature (about 20 s): it creates 10,000 cities and practices. The directory runs one query
    fewer at 10,000 cities: its map is then drawn from the page's cities, not read apart."""
    _grow_to(100)
    pages = _pages()
    at_100 = {name: _queries(client, path) for name, path in pages.items()}

    _grow_to(10_000)
    at_10_000 = {name: _queries(client, path) for name, path in pages.items()}

    assert {name: (at_100[name], count) for name, count in at_10_000.items() if count > at_100[name]} == {}
    assert {name: count for name, count in at_10_000.items() if count > MAX_QUERIES} == {}
