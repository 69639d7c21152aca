"""The report's quotes through the API, and each city's and practice's part in the series."""

import pytest
import yaml
from django.conf import settings

from cities.models import City, GoodPractice, Person
from webinars.models import Quote, Webinar

from .conftest import get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_data(shared_report_data):
    """The report loaded once for the module (tests/conftest.py): no test here commits."""
    return shared_report_data


def all_results(client, url):
    rows = []
    while url:
        status, body = get_json(client, url)
        assert status == 200, body
        rows += body["results"]
        url = body["next"]
    return rows


def test_quote_list_has_every_quote_of_the_report_verbatim_in_its_order(client, report_data):
    data = yaml.safe_load((settings.REPORT_DATA_DIR / "travel-south-over-cloud.yaml").read_text())

    rows = all_results(client, "/api/v1/quotes/?page_size=100")

    assert [row["text"] for row in rows] == [quote["text"] for quote in data["quotes"]]
    assert [[(speaker["name"], speaker["role"]) for speaker in row["speakers"]] for row in rows[7:8]] == [
        [
            ("Mr. Juarez Bottaro", "Special Advisor to Tourism Secretariat, São Paulo City, Brazil"),
            (
                "Ms. Michele Fernanda Ferreira Vicente Oliveira",
                "Director of Technical Division to Promote Tourism / COTUR (coordination of tourism) at "
                "the Tourism Secretariat of São Paulo City, Brazil",
            ),
        ]
    ]
    assert {row["language"]["code"] for row in rows} == {"en"}


def test_quote_detail_is_the_whole_quote(client, report_data):
    quote = Quote.objects.get(webinar__number=3, section="highlights", position=7)
    south_africa, cape_town, johannesburg, victoria_falls = (
        City.objects.get(slug=slug)
        for slug in ["south-africa", "cape-town", "johannesburg", "victoria-falls"]
    )
    sudarkasa = Person.objects.get(slug="michael-sudarkasa")

    status, body = get_json(client, f"/api/v1/quotes/{quote.pk}/")

    def city_ref(city):
        return {"id": city.pk, "url": f"http://testserver/api/v1/cities/{city.pk}/", "name": city.name}

    webinar = Webinar.objects.get(number=3)
    assert status == 200
    assert body == {
        "id": quote.pk,
        "url": f"http://testserver/api/v1/quotes/{quote.pk}/",
        "webinar": {
            "id": webinar.pk,
            "url": f"http://testserver/api/v1/webinars/{webinar.pk}/",
            "name": webinar.title,
        },
        "webinar_number": 3,
        "section": "highlights",
        "position": 7,
        "text": quote.text,
        "language": {"code": "en", "name": "English"},
        "speakers": [
            {
                "name": "Mr. Michael Sudarkasa",
                "role": "Chief Executive Officer, Africa Business Group",
                "title": sudarkasa.title,
                "city": city_ref(south_africa),
                "organisation": {
                    "id": sudarkasa.organisation_id,
                    "url": f"http://testserver/api/v1/organisations/{sudarkasa.organisation_id}/",
                    "name": "Africa Business Group",
                },
            }
        ],
        "city": city_ref(south_africa),
        "cities_mentioned": [city_ref(cape_town), city_ref(johannesburg), city_ref(victoria_falls)],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("section=opening_messages", ["Jorge Chediek", "Zoritsa Urosevic", "Mechtild Rössler"]),
        ("section=concluding_remarks", ["Xiaojun Grace Wang", "Xiaojun Grace Wang"]),
        ("q=harbour", ["Qing Mei"]),
    ],
)
def test_quote_list_filters(client, report_data, query, expected):
    rows = all_results(client, f"/api/v1/quotes/?{query}")

    assert [row["speakers"][0]["name"].split(". ", 1)[-1] for row in rows] == expected


def test_quote_list_filters_by_webinar_city_mention_and_speaker(client, report_data):
    webinar_2 = Webinar.objects.get(number=2)
    dunhuang, xiamen = City.objects.get(slug="dunhuang"), City.objects.get(slug="xiamen")
    ortega = Person.objects.get(slug="jorge-ortega-gonzalez")

    by_webinar = all_results(client, f"/api/v1/quotes/?webinar={webinar_2.pk}")
    by_city = all_results(client, f"/api/v1/quotes/?city={dunhuang.pk}")
    by_mention = all_results(client, f"/api/v1/quotes/?mentions={xiamen.pk}")
    by_speaker = all_results(client, f"/api/v1/quotes/?speaker={ortega.pk}")

    assert len(by_webinar) == 7
    assert [row["speakers"][0]["name"] for row in by_city] == ["Mr. Jimin Song", "Yugang Lu"]
    assert [row["speakers"][0]["name"] for row in by_mention] == ["Qing Mei"]
    assert [row["webinar_number"] for row in by_speaker] == [1, 2, 4]
    assert get_json(client, "/api/v1/quotes/?section=preface")[0] == 400


def test_webinar_detail_has_its_quotes_and_the_moderators_title(client, report_data):
    webinar = Webinar.objects.get(number=1)

    _, body = get_json(client, f"/api/v1/webinars/{webinar.pk}/")

    assert [(quote["section"], quote["position"]) for quote in body["quotes"]] == [
        ("opening_messages", 1),
        ("opening_messages", 2),
        *[("highlights", position) for position in range(1, 11)],
        ("concluding_remarks", 1),
        ("concluding_remarks", 2),
    ]
    assert [(item["moderator"], item["moderator_role"]) for item in body["agenda"] if item["moderator"]] == [
        ({"name": "Dr. Xiaojun Grace Wang"}, "Deputy Director, UNOSSC")
    ]
    assert body["organising_partners"] == []
    assert {row["as_of_precision"] for row in body["views"]["by_platform"]} == {"undated"}


def test_cities_and_practices_carry_their_part_in_the_series(client, report_data):
    cities = {row["slug"]: row["series_part"] for row in all_results(client, "/api/v1/cities/?page_size=100")}
    practices = {
        row["slug"]: row["webinar_part"]
        for row in all_results(client, "/api/v1/good-practices/?page_size=100")
    }
    campeche = City.objects.get(slug="campeche")
    gulangyu = GoodPractice.objects.get(slug="gulangyu-visitor-flow-control")

    _, city = get_json(client, f"/api/v1/cities/{campeche.pk}/")
    _, practice = get_json(client, f"/api/v1/good-practices/{gulangyu.pk}/")

    assert {slug: cities[slug] for slug in ["campeche", "cape-town", "gansu", "ghana", "mexico-city"]} == {
        "campeche": "quoted",
        "cape-town": "mentioned",
        "gansu": "mentioned",
        "ghana": "presented",
        "mexico-city": "presented",
    }
    assert sorted(slug for slug, part in practices.items() if part != "presented") == [
        "campeche-mayan-communities",
        "gulangyu-visitor-flow-control",
    ]
    assert (practices["campeche-mayan-communities"], practices["gulangyu-visitor-flow-control"]) == (
        "quoted",
        "cited",
    )
    assert (city["series_part"], practice["webinar_part"]) == ("quoted", "cited")
