"""Every list endpoint runs the same number of queries for 1 row as for 50."""

import datetime as dt
import itertools
import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cities.models import GoodPractice, SustainableDevelopmentGoal
from surveys.models import Answer, Option, Question, Response
from tests import factories
from webinars.models import AgendaItem, Quote, QuoteSpeaker, ViewCount, Webinar

from .conftest import auth, partnership, proposal, survey, webinar

pytestmark = pytest.mark.django_db

# Anonymous lists: 1 query for the rows (2 with a many-to-many per row, prefetched or raw) plus none
# for authentication (no token) and none for throttling (the cache). A token adds one lookup.
MAX_QUERIES = 6
_codes = ("".join(pair) for pair in itertools.product(string.ascii_uppercase, repeat=2))
_numbers = itertools.count(1)


def _cities(count):
    for _ in range(count):
        factories.city()


def _countries(count):
    for _ in range(count):
        code = next(_codes)
        factories.country(iso_code=code, name=f"Country {code}")


def _organisations(count):
    for _ in range(count):
        factories.organisation()


def _themes(count):
    for _ in range(count):
        number = next(_numbers)
        factories.theme(slug=f"theme-{number}", name=f"Theme {number}")


def _good_practices(count):
    sdg = SustainableDevelopmentGoal.objects.get_or_create(number=11, defaults={"name": "Cities"})[0]
    talk = _the_webinar()
    owner = factories.organisation()
    for _number in range(count):
        if not GoodPractice.objects.filter(organisation__isnull=False).exists():  # one on every page
            practice = GoodPractice.objects.create(
                slug="by-organisation", organisation=owner, title="O", summary="-"
            )
            practice.themes.set([factories.theme()])
        else:
            practice = factories.good_practice(webinar=talk)
        practice.sdgs.set([sdg])


def _the_webinar():
    return Webinar.objects.first() or webinar()


def _webinars(count):
    for _ in range(count):
        talk = webinar(number=next(_numbers))
        talk.organising_partners.set([factories.organisation()])
        ViewCount.objects.create(
            webinar=talk, platform="YouTube", views=10, source="report", as_of=dt.date(2021, 1, 1)
        )
        AgendaItem.objects.create(webinar=talk, order=1, kind="presentation", speaker=factories.person())


def _quotes(count):
    talk = _the_webinar()
    english = factories.language(code="en", name="English")
    mentioned = factories.city()
    for _ in range(count):
        position = next(_numbers)
        quote = Quote.objects.create(
            webinar=talk, position=position, text=f"Quote {position}", language=english, city=factories.city()
        )
        QuoteSpeaker.objects.create(quote=quote, person=factories.person(city=factories.city()), role="Mayor")
        quote.cities_mentioned.set([mentioned])


def _surveys(count):
    talk = _the_webinar()
    for _ in range(count):
        survey(webinar_=talk, slug=f"survey-{next(_numbers)}")


def _partnerships(count):
    for _ in range(count):
        partnership(city_a=factories.city(), city_b=factories.city(), themes=[factories.theme()])


def _proposals(count):
    for _ in range(count):
        proposal(city_a=factories.city(), city_b=factories.city()).themes.set([factories.theme()])


LISTS = [
    ("/api/v1/cities/", _cities),
    ("/api/v1/countries/", _countries),
    ("/api/v1/organisations/", _organisations),
    ("/api/v1/themes/", _themes),
    ("/api/v1/good-practices/", _good_practices),
    ("/api/v1/good-practices/?theme=heritage-conservation&sdg=11", _good_practices),
    ("/api/v1/webinars/", _webinars),
    ("/api/v1/quotes/", _quotes),
    ("/api/v1/surveys/", _surveys),
    ("/api/v1/partnerships/", _partnerships),
]


def _count_queries(client, url, **headers) -> int:
    client.get(url, **headers)  # a token's first use of the minute records it: not part of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT="application/json", **headers)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(("url", "build"), LISTS, ids=[url for url, _ in LISTS])
def test_list_query_count_does_not_grow_with_rows(client, url, build):
    build(1)
    one_row = _count_queries(client, url)
    build(49)

    fifty_rows = _count_queries(client, url)

    assert one_row == fifty_rows <= MAX_QUERIES
    assert len(client.get(url, HTTP_ACCEPT="application/json").json()["results"]) == 50


def test_proposal_list_query_count_does_not_grow_with_rows(client, staff_key):
    _proposals(1)
    one_row = _count_queries(client, "/api/v1/proposals/", **auth(staff_key))
    _proposals(49)

    fifty_rows = _count_queries(client, "/api/v1/proposals/", **auth(staff_key))

    assert one_row == fifty_rows <= MAX_QUERIES + 1


def _responses(questionnaire, count):
    yes_no = Question.objects.get_or_create(
        survey=questionnaire, order=1, defaults={"kind": "yes_no", "text": "Q?"}
    )[0]
    choice = Question.objects.get_or_create(
        survey=questionnaire, order=2, defaults={"kind": "multiple_choice", "text": "Which?"}
    )[0]
    option = Option.objects.get_or_create(question=choice, order=1, defaults={"label": "A"})[0]
    for _ in range(count):
        response = Response.objects.create(
            survey=questionnaire,
            respondent=factories.person(),
            city=factories.city(),
            submitted_at=timezone.now(),
        )
        Answer.objects.create(response=response, question=yes_no, yes=True)
        Answer.objects.create(response=response, question=choice).options.set([option])


@pytest.mark.parametrize("action", ["results", "responses"])
def test_survey_results_and_responses_query_counts_do_not_grow(client, staff_key, action):
    questionnaire = survey()
    url = f"/api/v1/surveys/{questionnaire.pk}/{action}/"
    _responses(questionnaire, 1)
    one_response = _count_queries(client, url, **auth(staff_key))
    _responses(questionnaire, 49)

    fifty_responses = _count_queries(client, url, **auth(staff_key))

    assert one_response == fifty_responses <= 10


def _invitations(count):
    from partnerships.models import Invitation

    for _ in range(count):
        pair = proposal(city_a=factories.city(), city_b=factories.city())
        Invitation.objects.create(
            kind=Invitation.Kind.INTRODUCTION,
            person=factories.person(city=pair.city_a),
            city=pair.city_a,
            proposal=pair,
            due_at=timezone.now(),
        )


def test_invitation_list_query_count_does_not_grow_with_rows(client, staff_key):
    _invitations(1)
    one_row = _count_queries(client, "/api/v1/invitations/", **auth(staff_key))
    _invitations(49)

    fifty_rows = _count_queries(client, "/api/v1/invitations/", **auth(staff_key))

    assert one_row == fifty_rows <= MAX_QUERIES + 1
