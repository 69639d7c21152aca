"""The page cache of public pages (travelsouth/pages.py): anonymous visitors get a stored page, and a
write through the services that commits makes every stored page out of date at once.

These tests commit for real (``transaction=True``): the data version changes when a write commits."""

import gzip
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cities.models import City
from cities.services import city_save, good_practice_create
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.VERSIONED_READ_SECONDS = 300


@pytest.fixture
def town(db):
    return factories.city(name="Cusco", name_es="Cuzco")


def test_an_anonymous_visitor_gets_the_stored_page_without_a_query(client, town, django_assert_num_queries):
    first = client.get(reverse("cities:detail", args=[town.slug]))

    with django_assert_num_queries(0):
        second = client.get(reverse("cities:detail", args=[town.slug]))

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "<h1>Cusco" in second.content.decode()


def test_a_city_renamed_through_its_service_shows_at_once_on_its_page_and_in_the_directory(client, town):
    client.get(reverse("cities:detail", args=[town.slug]))
    client.get(reverse("cities:list"))

    town.name = "Qosqo"
    city_save(city=town)
    page = client.get(reverse("cities:detail", args=[town.slug])).content.decode()
    directory = client.get(reverse("cities:list")).content.decode()

    assert "Qosqo" in page and "Cusco" not in page
    assert ">Qosqo</a>" in directory and ">Cusco</a>" not in directory


def test_a_practice_published_through_its_service_shows_at_once_in_the_library_and_its_years(client, town):
    theme = factories.theme()
    good_practice_create(city=town, title="Old trail", summary="Walks.", themes=[theme], year=2019)
    before = client.get(reverse("practices:list")).content.decode()

    good_practice_create(city=town, title="Night museum", summary="Open late.", themes=[theme], year=2024)
    after = client.get(reverse("practices:list"))

    assert "Night museum" not in before
    assert "Night museum" in after.content.decode()
    assert [year for year, _ in after.context["form"].fields["year"].choices if year] == [2024, 2019]
    assert '<td data-label="Good practices">2</td>' in client.get(reverse("cities:list")).content.decode()


def test_a_write_rolled_back_leaves_the_stored_page_valid(client, town, django_assert_num_queries):
    client.get(reverse("cities:list"))

    with pytest.raises(RuntimeError), transaction.atomic():
        City.objects.filter(pk=town.pk).update(name="Never")
        raise RuntimeError

    with django_assert_num_queries(0):
        page = client.get(reverse("cities:list")).content.decode()
    assert ">Cusco</a>" in page


def test_each_language_has_its_own_stored_page(client, town):
    english = client.get(reverse("cities:detail", args=[town.slug])).content.decode()
    client.get(f"/es/cities/{town.slug}/")

    spanish = client.get(f"/es/cities/{town.slug}/").content.decode()

    assert '<html lang="en">' in english and "Cuzco" not in english
    assert '<html lang="es">' in spanish and "Cuzco" in spanish


def test_a_signed_in_visitor_never_gets_the_stored_page(client, town, django_user_model):
    client.get(reverse("home"))
    member = factories.user(email="official@city.example")
    client.force_login(member)

    page = client.get(reverse("home")).content.decode()

    assert "Log out" in page and "Log in" not in page


def test_public_pages_set_no_cookie_and_carry_no_csrf_token_for_anonymous_visitors(town):
    paths = [
        reverse("home"),
        reverse("cities:list"),
        reverse("cities:detail", args=[town.slug]),
        reverse("practices:list"),
        reverse("webinars:list"),
        reverse("partnerships:list"),
        reverse("about_data"),
    ]
    client = Client()

    responses = {path: client.get(path) for path in paths}

    assert {path: (r.status_code, dict(r.cookies)) for path, r in responses.items()} == {
        path: (200, {}) for path in paths
    }
    assert not any(b"csrfmiddlewaretoken" in r.content for r in responses.values())


def test_pages_are_compressed_for_browsers_that_take_gzip_stored_or_not(client, town):
    plain = client.get(reverse("cities:list")).content

    fresh = client.get(reverse("cities:list"), headers={"accept-encoding": "gzip"})
    stored = client.get(reverse("cities:list"), headers={"accept-encoding": "gzip"})

    for response in (fresh, stored):
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content) == plain
    assert len(stored.content) < len(plain) / 2


def test_the_language_switch_works_without_a_token_but_keeps_a_preference_only_with_one(town):
    member = factories.user(email="official@city.example")
    person = factories.person(user=member, preferred_language="en")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(reverse("set_language"), {"language": "es", "next": "/cities/"})
    person.refresh_from_db()

    assert response.status_code == 302 and response["Location"] == "/es/cities/"
    assert response.cookies["django_language"].value == "es"
    assert person.preferred_language == "en"  # a cross-site form could not change what is stored


def test_anonymous_visitors_switch_language_without_a_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/cities/"})

    assert (response.status_code, response["Location"]) == (302, "/zh-hans/cities/")


def test_an_api_page_is_stored_per_address_and_a_write_through_a_service_shows_at_once(
    client, town, django_assert_num_queries
):
    first = client.get("/api/v1/cities/?page_size=50")
    with django_assert_num_queries(0):
        stored = client.get("/api/v1/cities/?page_size=50")
    other = client.get("/api/v1/cities/?page_size=1")

    town.name = "Qosqo"
    city_save(city=town)
    after = client.get("/api/v1/cities/?page_size=50")

    assert [row["name"] for row in first.json()["results"]] == ["Cusco"]
    assert stored.content == first.content
    assert len(other.json()["results"]) == 1
    assert [row["name"] for row in after.json()["results"]] == ["Qosqo"]


def test_api_pages_answer_if_none_match_and_if_modified_since_with_304(client, town):
    first = client.get("/api/v1/cities/?page_size=50")

    by_etag = client.get("/api/v1/cities/?page_size=50", headers={"if-none-match": first["ETag"]})
    by_date = client.get(
        "/api/v1/cities/?page_size=50", headers={"if-modified-since": first["Last-Modified"]}
    )
    town.name = "Qosqo"
    city_save(city=town)
    changed = client.get("/api/v1/cities/?page_size=50", headers={"if-none-match": first["ETag"]})

    assert (first.status_code, by_etag.status_code, by_date.status_code) == (200, 304, 304)
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_searched_page_is_never_stored(client, town, django_assert_max_num_queries):
    client.get(reverse("cities:list"), {"search": "cus"})

    with django_assert_max_num_queries(25) as queries:
        page = client.get(reverse("cities:list"), {"search": "cus"})

    assert len(queries.captured_queries) > 0
    assert ">Cusco</a>" in page.content.decode()


def _nonce_of(response) -> str | None:
    policy = response.headers["Content-Security-Policy"]
    found = re.search(r"'nonce-([^']+)'", policy)
    return found.group(1) if found else None


def test_stored_public_pages_carry_no_csp_nonce_in_header_or_body(town):
    pages = [reverse("home"), reverse("cities:list"), reverse("cities:detail", args=[town.slug])]

    answers = [Client().get(page) for page in pages for _ in range(2)]

    assert [answer.status_code for answer in answers] == [200] * 6
    assert [_nonce_of(answer) for answer in answers] == [None] * 6
    assert not any("nonce" in answer.content.decode() for answer in answers)


def test_a_page_that_draws_a_csp_nonce_is_never_stored_so_no_two_visitors_share_one(settings):
    settings.ROOT_URLCONF = "tests.travelsouth.nonce_urls"

    first, second = Client().get("/inline-script/"), Client().get("/inline-script/")

    nonces = [_nonce_of(first), _nonce_of(second)]
    assert None not in nonces and nonces[0] != nonces[1]
    assert f'nonce="{nonces[0]}"' in first.content.decode()
    assert f'nonce="{nonces[1]}"' in second.content.decode()


def test_the_filter_forms_kept_per_data_version_show_a_committed_write_at_once(client, town, settings):
    settings.PAGE_CACHE_SECONDS = 0  # pages built every time; the filters' HTML kept per data version
    from cities.models import Country

    before = client.get(reverse("cities:list")).content.decode()
    again = client.get(reverse("cities:list")).content.decode()
    Country.objects.filter(pk=town.country_id).update(name="Renamed country", name_en="Renamed country")  # commits: a new version
    after = client.get(reverse("cities:list")).content.decode()

    assert again == before
    assert "Renamed country" not in before and "Renamed country" in after


def test_the_home_pages_kept_series_part_shows_a_committed_write_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the page built every time; its series part kept per data version
    from webinars.models import WebinarSeries

    series = WebinarSeries.objects.create(
        slug="kept-series", title="First title", organiser=factories.organisation()
    )
    before = client.get(reverse("home")).content.decode()
    WebinarSeries.objects.filter(pk=series.pk).update(title="Second title", title_en="Second title")  # commits: a new version
    after = client.get(reverse("home")).content.decode()

    assert "First title" in before and "Second title" not in before
    assert "Second title" in after and "First title" not in after
