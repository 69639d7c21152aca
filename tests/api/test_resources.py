"""Each resource's lists, filters, ordering, pages, details and CSV, through the HTTP API."""

import csv
import io

import pytest

from cities.models import City, SustainableDevelopmentGoal
from surveys.models import Option
from tests import factories
from webinars.models import AgendaItem, ViewCount

from .conftest import get_json, survey, webinar

pytestmark = pytest.mark.django_db


def names(client, url, key="name"):
    status, body = get_json(client, url)
    assert status == 200, body
    return [row[key] for row in body["results"]]


@pytest.fixture
def world(db):
    """Three cities in three countries of two regions, with practices on two themes."""
    asia = factories.region(name="Asia", code="142")
    eastern_asia = factories.subregion(name="Eastern Asia", code="030", parent=asia)
    china = factories.Country.objects.create(
        iso_code="CN", name="China", region=asia, subregion=eastern_asia, is_global_south=True
    )
    mexico = factories.country()
    europe = factories.region(name="Europe", code="150")
    italy = factories.Country.objects.create(
        iso_code="IT",
        name="Italy",
        region=europe,
        subregion=factories.subregion(name="Southern Europe", code="039", parent=europe),
        is_global_south=False,
    )
    chinese = factories.language(code="zh", name="Chinese")
    luoyang = factories.city(name="Luoyang", country_=china, is_world_heritage_city=True)
    luoyang.languages.set([chinese])
    oaxaca = factories.city(name="Oaxaca", country_=mexico, showcased_in_series=True)
    venice = factories.city(name="Venice", country_=italy, is_world_heritage_city=True)
    heritage = factories.theme()
    smart = factories.theme(slug="smart-tourism", name="Smart tourism")
    sdg11 = SustainableDevelopmentGoal.objects.create(number=11, name="Sustainable cities")
    talk = webinar()
    grottoes = factories.good_practice(
        city_=luoyang, title="Longmen Grottoes online", themes=[heritage], year=2020
    )
    grottoes.sdgs.set([sdg11])
    factories.good_practice(city_=oaxaca, title="Smart guide", themes=[smart], year=2021, webinar=talk)
    factories.good_practice(city_=venice, title="Lagoon tides", themes=[heritage, smart], year=2021)
    factories.good_practice(
        city_=venice,
        title="Withdrawn idea",
        themes=[heritage],
        status=factories.GoodPractice.Status.WITHDRAWN,
    )
    return {"luoyang": luoyang, "oaxaca": oaxaca, "venice": venice, "webinar": talk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Luoyang", "Oaxaca", "Venice"]),
        ("?country=MX", ["Oaxaca"]),
        ("?country=cn", ["Luoyang"]),
        ("?region=142", ["Luoyang"]),
        ("?region=030", ["Luoyang"]),
        ("?global_south=false", ["Venice"]),
        ("?global_south=true&world_heritage=true", ["Luoyang"]),
        ("?showcased=true", ["Oaxaca"]),
        ("?language=zh", ["Luoyang"]),
        ("?theme=smart-tourism", ["Oaxaca", "Venice"]),
        ("?theme=no-such-theme", []),
        ("?sdg=11", ["Luoyang"]),
        ("?q=VEN", ["Venice"]),
        ("?q=oax mexico", ["Oaxaca"]),
        ("?ordering=-name", ["Venice", "Oaxaca", "Luoyang"]),
    ],
)
def test_city_list_filters(client, world, query, expected):
    assert names(client, f"/api/v1/cities/{query}") == expected


def test_city_list_webinar_filter_finds_cities_that_presented(client, world):
    AgendaItem.objects.create(webinar=world["webinar"], order=1, kind="presentation", city=world["luoyang"])

    assert names(client, f"/api/v1/cities/?webinar={world['webinar'].pk}") == ["Luoyang", "Oaxaca"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Lagoon tides", "Smart guide", "Longmen Grottoes online"]),
        ("?ordering=title", ["Lagoon tides", "Longmen Grottoes online", "Smart guide"]),
        ("?theme=heritage-conservation", ["Lagoon tides", "Longmen Grottoes online"]),
        ("?sdg=11", ["Longmen Grottoes online"]),
        ("?country=IT", ["Lagoon tides"]),
        ("?region=019", ["Smart guide"]),
        ("?global_south=true", ["Smart guide", "Longmen Grottoes online"]),
        ("?world_heritage=true", ["Lagoon tides", "Longmen Grottoes online"]),
        ("?year=2020", ["Longmen Grottoes online"]),
        ("?q=grottoes", ["Longmen Grottoes online"]),
    ],
)
def test_good_practice_list_filters_and_hides_unpublished(client, world, query, expected):
    assert names(client, f"/api/v1/good-practices/{query}", key="title") == expected


def test_good_practice_list_filters_by_city_and_webinar(client, world):
    by_city = names(client, f"/api/v1/good-practices/?city={world['venice'].pk}", key="title")
    by_webinar = names(client, f"/api/v1/good-practices/?webinar={world['webinar'].pk}", key="title")

    assert (by_city, by_webinar) == (["Lagoon tides"], ["Smart guide"])


def test_good_practice_row_links_to_its_city_themes_and_webinar(client, world):
    _, page = get_json(client, "/api/v1/good-practices/?q=smart guide")

    row = page["results"][0]
    assert row["city"] == {
        "id": world["oaxaca"].pk,
        "url": f"http://testserver/api/v1/cities/{world['oaxaca'].pk}/",
        "name": "Oaxaca",
    }
    assert (row["country"], row["organisation"], row["sdgs"]) == ("MX", None, [])
    assert [theme["slug"] for theme in row["themes"]] == ["smart-tourism"]
    assert row["webinar"] == f"http://testserver/api/v1/webinars/{world['webinar'].pk}/"
    assert get_json(client, row["url"])[1]["title"] == "Smart guide"


def test_organisation_owned_practices_show_the_organisation(client, world):
    unossc = factories.organisation(name="UNOSSC")
    unossc.country = world["venice"].country
    unossc.save(update_fields=["country"])
    toolkit = factories.GoodPractice.objects.create(
        slug="toolkit", organisation=unossc, title="South-South toolkit", summary="A toolkit."
    )
    toolkit.themes.set([factories.theme()])

    _, page = get_json(client, f"/api/v1/good-practices/?organisation={unossc.pk}")

    assert [
        (row["title"], row["organisation"]["name"], row["city"], row["country"]) for row in page["results"]
    ] == [("South-South toolkit", "UNOSSC", None, "IT")]


def test_cursor_pages_walk_the_whole_list_once(client, world):
    for number in range(7):
        factories.city(name=f"Town {number}", country_=world["venice"].country)
    seen, url = [], "/api/v1/cities/?page_size=3"

    while url:
        _, page = get_json(client, url)
        seen += [row["name"] for row in page["results"]]
        url = page["next"]

    assert seen == sorted(City.objects.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("?country=M", "country", "Not a valid value: see the pattern."),
        ("?country=M1", "country", "Not a valid value: see the pattern."),
        ("?global_south=maybe", "global_south", "Use true or false."),
        ("?sdg=18", "sdg", "Ensure this value is less than or equal to 17."),
        ("?sdg=1.5", "sdg", "Enter a whole number."),
        ("?kind=town", "kind", "Select a valid choice. town is not one of the available choices."),
        ("?theme=", "theme", "This parameter may not be blank."),
        ("?ordering=population", "ordering", "One of: name, -name, id, -id."),
        ("?page_size=101", "page_size", "A whole number from 1 to 100."),
        ("?page_size=0", "page_size", "A whole number from 1 to 100."),
        ("?cursor=not-a-cursor", "cursor", "Invalid cursor: use the next or previous link as given."),
        ("?format=xml", "format", "One of: json, csv."),
    ],
)
def test_invalid_parameters_answer_400_with_the_reason(client, world, query, field, reason):
    status, body = get_json(client, f"/api/v1/cities/{query}")

    assert (status, body) == (
        400,
        {
            "error": {
                "status": 400,
                "code": "invalid",
                "detail": f"{field}: {reason}",
                "fields": {field: [reason]},
            }
        },
    )


def test_city_detail_shows_languages_heritage_and_practices_link(client, world):
    luoyang = world["luoyang"]
    luoyang.heritage_sites.create(name="Longmen Grottoes", inscribed_year=2000)

    status, city = get_json(client, f"/api/v1/cities/{luoyang.pk}/")

    assert status == 200
    assert (city["name"], city["country"]["iso_code"], city["region"], city["is_global_south"]) == (
        "Luoyang",
        "CN",
        {"code": "142", "name": "Asia"},
        True,
    )
    assert city["languages"] == [{"code": "zh", "name": "Chinese"}]
    assert city["heritage_sites"] == [
        {"name": "Longmen Grottoes", "is_world_heritage": True, "inscribed_year": 2000}
    ]
    assert city["good_practice_count"] == 1
    assert names(client, city["good_practices_url"], key="title") == ["Longmen Grottoes online"]


def test_country_organisation_and_theme_lists(client, world):
    factories.organisation(name="UNWTO", kind="un")

    countries = names(client, "/api/v1/countries/?global_south=true")
    organisations = names(client, "/api/v1/organisations/?kind=un")
    themes = names(client, "/api/v1/themes/?q=smart")

    assert (countries, organisations, themes) == (["China", "Mexico"], ["UNWTO"], ["Smart tourism"])


def test_webinar_shows_agenda_speakers_languages_and_views(client, world):
    talk = world["webinar"]
    speaker = factories.person(
        full_name="Ana Pérez", title="Mayor", city=world["oaxaca"], email="ana@oaxaca.example"
    )
    AgendaItem.objects.create(
        webinar=talk, order=1, kind="presentation", speaker=speaker, city=world["oaxaca"]
    )
    ViewCount.objects.create(webinar=talk, platform="YouTube", views=100, source="report", as_of="2021-01-01")
    ViewCount.objects.create(webinar=talk, platform="YouTube", views=150, source="update", as_of="2021-06-01")
    ViewCount.objects.create(webinar=talk, platform="Weibo", views=1000, source="report", as_of="2021-01-01")

    _, page = get_json(client, "/api/v1/webinars/?language=es")
    _, detail = get_json(client, f"/api/v1/webinars/{talk.pk}/")

    assert [row["views"] for row in page["results"]] == [
        {
            "total": 1150,
            "by_platform": [
                {
                    "platform": "Weibo",
                    "views": 1000,
                    "as_of": "2021-01-01",
                    "as_of_precision": "day",
                    "source": "report",
                },
                {
                    "platform": "YouTube",
                    "views": 150,
                    "as_of": "2021-06-01",
                    "as_of_precision": "day",
                    "source": "update",
                },
            ],
        }
    ]
    assert detail["languages"] == [{"code": "es", "name": "Spanish"}]
    oaxaca = {
        "id": world["oaxaca"].pk,
        "url": f"http://testserver/api/v1/cities/{world['oaxaca'].pk}/",
        "name": "Oaxaca",
    }
    assert detail["speakers"] == [
        {"name": "Ana Pérez", "title": "Mayor", "city": oaxaca, "organisation": None}
    ]
    assert [(item["order"], item["speaker"]["name"], item["city"]) for item in detail["agenda"]] == [
        (1, "Ana Pérez", oaxaca)
    ]
    assert "ana@oaxaca.example" not in str(detail)


def test_survey_detail_and_results(client, sensitive_data):
    questionnaire = sensitive_data["survey"]

    _, detail = get_json(client, f"/api/v1/surveys/{questionnaire.pk}/")
    _, results = get_json(client, f"/api/v1/surveys/{questionnaire.pk}/results/")

    assert [(q["order"], q["kind"], [o["label"] for o in q["options"]]) for q in detail["questions"]] == [
        (1, "yes_no", []),
        (2, "free_text", []),
        (3, "city_choice", ["Cusco"]),
    ]
    assert (results["response_count"], results["city_count"], results["by_country"]) == (
        1,
        1,
        [{"iso_code": "MX", "name": "Mexico", "count": 1}],
    )
    assert [
        (q["order"], q["answer_count"], [(c["label"], c["count"], c["percentage"]) for c in q["choices"]])
        for q in results["questions"]
    ] == [
        (1, 1, [("Yes", 1, 100), ("No", 0, 0), ("No answer", 0, 0)]),
        (2, 1, []),
        (3, 1, [("Cusco", 1, 100), ("No answer", 0, 0)]),
    ]
    assert (
        results["questions"][2]["choices"][0]["city"]
        == f"http://testserver/api/v1/cities/{Option.objects.get(label='Cusco').city_id}/"
    )


def test_survey_results_as_csv(client, sensitive_data):
    response = client.get(f"/api/v1/surveys/{sensitive_data['survey'].pk}/results/?format=csv")

    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert text.startswith("\ufeff")  # a byte-order mark, so that Excel reads UTF-8
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows == [
        ["question_order", "question", "kind", "answer_count", "choice", "count", "percentage"],
        ["1", "Satisfied?", "yes_no", "1", "Yes", "1", "100"],
        ["1", "Satisfied?", "yes_no", "1", "No", "0", "0"],
        ["1", "Satisfied?", "yes_no", "1", "No answer", "0", "0"],
        ["3", "Which cities?", "city_choice", "1", "Cusco", "1", "100"],
        ["3", "Which cities?", "city_choice", "1", "No answer", "0", "0"],
    ]


def test_city_and_good_practice_lists_as_csv_follow_filters_not_pages(client, world):
    cities = client.get("/api/v1/cities/?format=csv&world_heritage=true&page_size=1")
    practices = client.get("/api/v1/good-practices/?theme=heritage-conservation", HTTP_ACCEPT="text/csv")

    city_text = b"".join(cities.streaming_content).decode()
    practice_text = b"".join(practices.streaming_content).decode()
    city_rows = list(csv.DictReader(io.StringIO(city_text.removeprefix("\ufeff"))))
    practice_rows = list(csv.DictReader(io.StringIO(practice_text.removeprefix("\ufeff"))))
    assert city_text.startswith("\ufeff") and practice_text.startswith("\ufeff")
    assert [(row["name"], row["country"], row["is_world_heritage_city"]) for row in city_rows] == [
        ("Luoyang", "CN", "True"),
        ("Venice", "IT", "True"),
    ]
    assert [(row["title"], row["themes"]) for row in practice_rows] == [
        ("Lagoon tides", "heritage-conservation; smart-tourism"),
        ("Longmen Grottoes online", "heritage-conservation"),
    ]
    assert cities["Content-Disposition"] == 'attachment; filename="cities.csv"'


def test_partnerships_are_public_and_filtered(client, sensitive_data):
    oaxaca = sensitive_data["city"]

    _, page = get_json(client, f"/api/v1/partnerships/?city={oaxaca.pk}&status=active")
    _, none = get_json(client, "/api/v1/partnerships/?country=IT")

    assert [(row["city_a"]["name"], row["city_b"]["name"]) for row in page["results"]] == [("Oaxaca", "Lima")]
    assert [theme["slug"] for theme in page["results"][0]["themes"]] == ["heritage-conservation"]
    assert none["results"] == []


def test_survey_list_links_to_results(client, world):
    first = survey(webinar_=world["webinar"], slug="first")

    _, page = get_json(client, "/api/v1/surveys/")

    assert [(row["slug"], row["results_url"]) for row in page["results"]] == [
        ("first", f"http://testserver/api/v1/surveys/{first.pk}/results/")
    ]


def test_csv_cells_that_look_like_formulas_are_defused(client, world):
    factories.city(name='=HYPERLINK("http://evil.example")', country_=world["venice"].country)

    response = client.get("/api/v1/cities/?format=csv&country=IT")

    names = [
        row["name"]
        for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    ]
    assert names == ['\'=HYPERLINK("http://evil.example")', "Venice"]
