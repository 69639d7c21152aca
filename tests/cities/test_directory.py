"""The public city directory, city page and good practice library: filters, search, paging, queries."""

import re

import pytest
from django.urls import reverse

from cities.models import GoodPractice, Region, ReviewStatus, SustainableDevelopmentGoal
from cities.services import city_propose, good_practice_create, good_practice_withdraw
from partnerships.interests import interest_record
from partnerships.models import Interest
from tests import factories
from webinars.models import AgendaItem, Webinar, WebinarSeries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    asia = Region.objects.create(code="142", name="Asia", level="region")
    east = Region.objects.create(code="030", name="Eastern Asia", level="subregion", parent=asia)
    china = factories.country(iso_code="CN", name="China")
    china.region, china.subregion = asia, east
    china.save()
    mexico = factories.country()
    heritage = factories.theme()
    smart = factories.theme(slug="smart-tourism-platforms", name="Smart tourism platforms")
    chinese = factories.language(code="zh", name="Chinese")
    luoyang = factories.city(name="Luoyang", country_=china, is_world_heritage_city=True)
    luoyang.languages.set([chinese])
    dunhuang = factories.city(
        name="Dunhuang", country_=china, name_es="Dunhuang ES", is_world_heritage_city=True
    )
    morelia = factories.city(name="Morelia", country_=mexico)
    cancun = factories.city(name="Cancun", country_=mexico)
    good_practice_create(
        city=luoyang, title="Peony festival online", summary="Live streams.", themes=[smart], year=2021
    )
    good_practice_create(
        city=dunhuang, title="Digital Mogao", summary="Virtual caves.", themes=[heritage], year=2020
    )
    good_practice_withdraw(
        good_practice=good_practice_create(
            city=morelia, title="Old map", summary="S", themes=[heritage], year=2019
        )
    )
    interest_record(
        city=cancun, source=Interest.Source.WEB_FORM, themes_offered=[heritage], is_published=True
    )
    return {
        "asia": asia,
        "east": east,
        "china": china,
        "mexico": mexico,
        "heritage": heritage,
        "smart": smart,
        "chinese": chinese,
    }


def names(response, key="cities"):
    return [row.name for row in response.context[key]]


def test_directory_filters_by_country_region_theme_heritage_and_language(client, world):
    url = reverse("cities:list")

    by_country = client.get(url, {"country": world["mexico"].pk})
    by_region = client.get(url, {"region": world["asia"].pk})
    by_subregion = client.get(url, {"region": world["east"].pk})
    by_theme = client.get(url, {"theme": world["heritage"].pk})
    by_heritage = client.get(url, {"world_heritage": "no"})
    by_language = client.get(url, {"language": world["chinese"].pk})
    combined = client.get(
        url, {"region": world["asia"].pk, "theme": world["heritage"].pk, "world_heritage": "yes"}
    )

    assert names(by_country) == ["Cancun", "Morelia"]
    assert names(by_region) == ["Dunhuang", "Luoyang"]
    assert names(by_subregion) == ["Dunhuang", "Luoyang"]
    # Morelia's heritage practice is withdrawn; Cancún offers the theme in its published interest.
    assert names(by_theme) == ["Cancun", "Dunhuang"]
    assert names(by_heritage) == ["Cancun", "Morelia"]
    assert names(by_language) == ["Luoyang"]
    assert names(combined) == ["Dunhuang"]


def test_directory_search_finds_names_in_every_language_and_countries(client, world):
    url = reverse("cities:list")

    assert names(client.get(url, {"search": "dunhuang es"})) == ["Dunhuang"]
    assert names(client.get(url, {"search": "mexi"})) == ["Cancun", "Morelia"]
    assert names(client.get(url, {"search": "nowhere"})) == []


def test_directory_ignores_filters_it_does_not_understand(client, world):
    response = client.get(reverse("cities:list"), {"country": "999999", "world_heritage": "maybe"})

    assert response.status_code == 200
    assert names(response) == ["Cancun", "Dunhuang", "Luoyang", "Morelia"]


def test_directory_pages_keep_the_filters_in_their_links(client, world):
    for number in range(30):
        factories.city(name=f"Town {number:02d}", country_=world["mexico"])

    first = client.get(reverse("cities:list"), {"country": world["mexico"].pk})
    second = client.get(reverse("cities:list"), {"country": world["mexico"].pk, "page": 2})

    assert first.context["page"].paginator.count == 32
    assert f'href="?country={world["mexico"].pk}&amp;page=2"' in first.content.decode()
    assert len(names(second)) == 8


def test_a_city_awaiting_review_and_its_practices_stay_hidden(client, world):
    membership = city_propose(
        user=factories.user(),
        name="Hidden Town",
        kind="city",
        country=world["mexico"],
        full_name="A",
        role="B",
    )
    good_practice_create(
        city=membership.city, title="Hidden practice", summary="S", themes=[world["heritage"]]
    )

    directory = client.get(reverse("cities:list"), {"search": "Hidden"})
    library = client.get(reverse("practices:list"), {"search": "Hidden"})
    page = client.get(reverse("cities:detail", args=[membership.city.slug]))

    assert (names(directory), list(library.context["practices"]), page.status_code) == ([], [], 404)
    assert membership.city.review_status == ReviewStatus.PENDING


def test_library_filters_by_theme_sdg_country_region_webinar_and_year(client, world):
    goal = SustainableDevelopmentGoal.objects.create(number=11, name="Sustainable cities and communities")
    series = WebinarSeries.objects.create(slug="s", title="S", organiser=factories.organisation())
    webinar = Webinar.objects.create(
        series=series, number=4, slug="w4", title="W4", broadcast_on="2021-06-01"
    )
    mogao = GoodPractice.objects.get(title="Digital Mogao")
    mogao.sdgs.set([goal])
    mogao.webinar = webinar
    mogao.save()
    url = reverse("practices:list")

    def titles(params):
        return [practice.title for practice in client.get(url, params).context["practices"]]

    assert titles({}) == ["Peony festival online", "Digital Mogao"]
    assert titles({"theme": world["smart"].pk}) == ["Peony festival online"]
    assert titles({"sdg": goal.pk}) == ["Digital Mogao"]
    assert titles({"country": world["china"].pk}) == ["Peony festival online", "Digital Mogao"]
    assert titles({"region": world["east"].pk}) == ["Peony festival online", "Digital Mogao"]
    assert titles({"country": world["mexico"].pk}) == []
    assert titles({"webinar": webinar.pk}) == ["Digital Mogao"]
    assert titles({"year": 2021}) == ["Peony festival online"]
    assert titles({"search": "caves"}) == ["Digital Mogao"]


def test_city_page_shows_practices_webinars_and_only_a_published_interest(client, world):
    luoyang = factories.city(name="Luoyang Two", country_=world["china"])
    series = WebinarSeries.objects.create(slug="s", title="S", organiser=factories.organisation())
    webinar = Webinar.objects.create(
        series=series, number=4, slug="w4", title="China-Mexico exchange", broadcast_on="2021-06-01"
    )
    AgendaItem.objects.create(webinar=webinar, order=1, kind="city_showcase", city=luoyang)
    AgendaItem.objects.create(webinar=webinar, order=2, kind="insight", city=luoyang)
    interest_record(
        city=luoyang,
        source=Interest.Source.WEB_FORM,
        themes_sought=[world["heritage"]],
        message="UNPUBLISHED-NOTE",
    )
    before = client.get(reverse("cities:detail", args=[luoyang.slug]))
    interest_record(
        city=luoyang,
        source=Interest.Source.WEB_FORM,
        themes_sought=[world["heritage"]],
        message="We seek heritage partners.",
        is_published=True,
    )

    after = client.get(reverse("cities:detail", args=[luoyang.slug]))

    webinars = re.search(
        r'<section aria-labelledby="webinars">(.*?)</section>', before.content.decode(), re.S
    )
    assert re.findall(r'<a href="/webinars/[^"]+">([^<]+)</a>', webinars.group(1)) == [
        "Webinar 4: China-Mexico exchange"
    ]
    assert 'id="interest"' not in before.content.decode()
    assert "UNPUBLISHED-NOTE" not in before.content.decode()
    assert 'id="interest"' in after.content.decode()
    assert "We seek heritage partners." in after.content.decode()


@pytest.mark.parametrize("count", [1, 40])
def test_filtered_directory_queries_do_not_grow_with_cities(
    client, django_assert_max_num_queries, count, world
):
    for number in range(count):
        city = factories.city(name=f"Town {number}", country_=world["mexico"])
        city.languages.set([world["chinese"]])
        good_practice_create(city=city, title=f"Practice {number}", summary="S", themes=[world["heritage"]])

    # count, page, the map's cities (every page's) and their partnerships, four lists of choices, and
    # the chosen theme and language looked up
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("cities:list"),
            {"theme": world["heritage"].pk, "language": world["chinese"].pk, "search": "Town"},
        )

    assert len(response.context["cities"]) == min(count, 24)


@pytest.mark.parametrize("count", [1, 40])
def test_library_queries_do_not_grow_with_practices(client, django_assert_max_num_queries, count, world):
    for number in range(count):
        city = factories.city(name=f"Town {number}", country_=world["mexico"])
        good_practice_create(
            city=city, title=f"Practice {number}", summary="S", themes=[world["heritage"]], year=2022
        )

    # years, count, page, themes and SDGs of the page, six lists of choices, the chosen theme
    with django_assert_max_num_queries(13):
        response = client.get(reverse("practices:list"), {"theme": world["heritage"].pk})
    with django_assert_max_num_queries(12):
        unfiltered = client.get(reverse("practices:list"))

    assert len(response.context["practices"]) == min(count + 1, 20)
    assert len(unfiltered.context["practices"]) == min(count + 2, 20)


@pytest.mark.parametrize("count", [1, 20])
def test_city_page_queries_do_not_grow_with_practices(client, django_assert_max_num_queries, count, world):
    city = factories.city(name="Busy", country_=world["china"])
    for number in range(count):
        good_practice_create(city=city, title=f"Practice {number}", summary="S", themes=[world["heritage"]])
        factories.person(city=city)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("cities:detail", args=[city.slug]))

    assert len(response.context["city"].good_practices.all()) == count
