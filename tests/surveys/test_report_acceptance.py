"""The report's post-webinar survey, figure for figure, read through the results service, the public
summary page and the CSV export; and what load_report's responses feed into brokering."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cities.models import City, ContactConsentEvent, Person
from partnerships.models import Interest
from report.loading import load_report
from surveys.models import Survey
from surveys.selectors import survey_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_data(shared_report_data):
    """The report loaded once for the module (tests/conftest.py): no test here commits."""
    return shared_report_data


SLUG = "post-webinar-survey-china-mexico"
YES_NO_PERCENTS = {1: 100, 2: 80, 3: 100, 4: 100, 5: 100, 6: 100, 7: 100, 8: 100, 10: 90}
PRIORITIES = {"Tourism": 8, "Transport": 4, "SMEs": 3, "Youth entrepreneurship": 3}
CITIES_NAMED = {"Luoyang": 4, "Anyang": 2, "Dunhuang": 2, "Huai'an": 2, "Other (not specified)": 4}


@pytest.fixture
def survey(report_data) -> Survey:
    return Survey.objects.get(slug=SLUG)


def test_results_service_reproduces_every_figure_of_the_report(survey):
    results = survey_results(survey=survey, user=AnonymousUser())

    assert (results.response_count, results.city_count, results.country_count) == (10, 8, 1)
    assert [(group.key, group.count) for group in results.by_country] == [("MX", 10)]
    assert {order: results.question(order).yes.percent for order in YES_NO_PERCENTS} == YES_NO_PERCENTS
    assert results.question(1).result_label == "were satisfied with webinar materials and contents"
    assert results.question(2).result_label == (
        "considered that the workshop delivered information that they expected"
    )
    assert results.question(9).counts == PRIORITIES
    assert results.question(11).counts == CITIES_NAMED
    assert {tally.label: tally.count for tally in results.question(11).named_cities} == {
        "Luoyang": 4,
        "Anyang": 2,
        "Dunhuang": 2,
        "Huai'an": 2,
    }


def test_staff_results_break_down_by_city_and_list_free_text(survey, staff_user):
    results = survey_results(survey=survey, user=staff_user)

    assert {group.name: group.count for group in results.by_city} == {
        "Morelia": 2,
        "Guanajuato": 2,
        "Oaxaca": 1,
        "Querétaro": 1,
        "Durango": 1,
        "San Luis Potosí": 1,
        "Zacatecas": 1,
        "Puebla": 1,
    }
    assert [(answer.city_name, answer.text) for answer in results.question(12).free_text][:2] == [
        ("Morelia", "Tourism and cultural exchange"),
        ("Morelia", "Trade and commercial activities"),
    ]
    assert len(results.question(12).free_text) == 9


def test_public_summary_page_shows_the_report_figures(client, survey):
    page = client.get(reverse("surveys:summary", args=[SLUG]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "10 responses" in text
    assert "from 8 cities" in text
    assert (
        'were satisfied with webinar materials and contents</th>\n              <td data-label="Yes">100% (10)</td>'
        in text
    )
    assert '<td data-label="Yes">80% (8)</td>' in text
    assert (
        'interested in collaborating with Chinese cities</th>\n              <td data-label="Yes">90% (9)</td>'
        in text
    )
    for label, count in {**PRIORITIES, **CITIES_NAMED}.items():
        escaped = label.replace("'", "&#x27;")
        assert f'<tr><th scope="row">{escaped}</th><td class="num">{count}</td>' in text
    assert "Tourism and cultural exchange" not in text  # free text is for staff only
    assert "1,026,000" in text or "351,000" in text  # the views chart of the series


def test_public_summary_page_in_spanish_uses_the_spanish_labels(client, survey):
    page = client.get("/es" + reverse("surveys:summary", args=[SLUG]))

    text = page.content.decode()
    assert "Encuesta y evaluación posterior al webinar" in text
    assert '<tr><th scope="row">Turismo</th><td class="num">8</td>' in text
    assert '<tr><th scope="row">Otra (no especificada)</th><td class="num">4</td>' in text


def test_results_csv_gives_the_report_figures(client, survey):
    export = client.get(reverse("surveys:export_results", args=[SLUG]))

    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    counts = {(row[1], row[2]): row[3:] for row in rows[1:]}
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert counts[("", "Responses")] == ["10", ""]
    assert counts[("", "Cities")] == ["8", ""]
    assert counts[("1. Were you satisfied with the webinar materials and contents?", "Yes")] == ["10", "100"]
    assert counts[("2. Did the workshop deliver the information you expected?", "Yes")] == ["8", "80"]
    assert counts[("10. Are you interested in collaborating with Chinese cities?", "Yes")] == ["9", "90"]
    question_9 = "9. What are your city's current development priorities?"
    assert {label: int(counts[(question_9, label)][0]) for label in PRIORITIES} == PRIORITIES
    question_11 = "11. Which Chinese cities would you like to collaborate with?"
    assert {label: int(counts[(question_11, label)][0]) for label in CITIES_NAMED} == CITIES_NAMED


def test_raw_answers_csv_has_one_row_per_response_and_one_column_per_question(staff_client, survey):
    export = staff_client.get(reverse("surveys:export_answers", args=[SLUG]))

    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:7] == ["Response", "Submitted at", "Language", "Respondent", "E-mail", "City", "Country"]
    assert len(header) == 7 + 12
    assert len(body) == 10
    first = dict(zip(header, body[0], strict=True))
    assert first["Respondent"] == "Survey respondent 1, Morelia"
    assert first["City"] == "Morelia"
    assert first["9. What are your city's current development priorities?"] == "Tourism; Transport"
    assert first["11. Which Chinese cities would you like to collaborate with?"] == "Luoyang; Anyang"
    assert [
        row[header.index("2. Did the workshop deliver the information you expected?")] for row in body
    ].count("No") == 2


def test_load_report_feeds_morelia_interest_from_both_of_its_responses(report_data):
    morelia = City.objects.get(slug="morelia")

    interest = Interest.objects.get(city=morelia, is_current=True)

    assert interest.source == Interest.Source.SURVEY
    assert sorted(city.name for city in interest.partner_cities.all()) == ["Anyang", "Luoyang"]
    assert sorted(priority.name for priority in interest.priorities.all()) == ["SMEs", "Tourism", "Transport"]
    assert interest.survey_response.respondent.slug == "survey-respondent-morelia-2"
    assert Interest.objects.filter(city=morelia).count() == 1


def test_load_report_gives_every_city_that_answered_its_interest(report_data):
    interests = Interest.objects.filter(is_current=True, source=Interest.Source.SURVEY)

    assert {
        interest.city.slug: sorted(city.slug for city in interest.partner_cities.all())
        for interest in interests
    } == {
        "morelia": ["anyang", "luoyang"],
        "oaxaca": ["dunhuang", "luoyang"],
        "queretaro": ["huaian", "luoyang"],
        "durango": ["anyang"],
        "guanajuato": ["dunhuang", "huaian"],
        "san-luis-potosi": [],
        "zacatecas": [],
        "puebla": [],
    }


def test_load_report_records_the_consent_of_the_ten_respondents_with_the_survey_as_source(report_data):
    respondents = Person.objects.filter(survey_responses__survey__slug=SLUG)

    assert respondents.count() == 10
    assert all(person.has_contact_consent for person in respondents)
    assert set(respondents.values_list("contact_consent_source", flat=True)) == {f"survey:{SLUG}"}
    assert ContactConsentEvent.objects.filter(person__in=respondents, action="given").count() == 10


def test_load_report_twice_feeds_brokering_once():
    load_report()
    interests = list(Interest.objects.order_by("pk").values_list("pk", "city__slug", "is_current"))
    events = ContactConsentEvent.objects.count()

    second = load_report()

    assert not second.changed
    assert list(Interest.objects.order_by("pk").values_list("pk", "city__slug", "is_current")) == interests
    assert ContactConsentEvent.objects.count() == events
    assert second.unchanged["partnership interests"] == 9  # eight survey cities and Mexico City
