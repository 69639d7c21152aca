"""Fixtures for the read API's tests: tokens, and the kind of data that must never leak."""

import datetime as dt

import pytest
from django.utils import timezone

from partnerships.models import Invitation, Partnership, Proposal
from surveys.models import Answer, Option, Question, Response, Survey
from tests import factories
from travelsouth.services import partner_token_create
from webinars.models import Webinar, WebinarSeries

SECRET_EMAIL = "private.person@city.example"
SECRET_ANSWER = "Our mayor privately prefers Cusco"


def get_json(client, url, **headers):
    """GET ``url`` asking for JSON; returns (status, parsed body)."""
    response = client.get(url, HTTP_ACCEPT="application/json", **headers)
    return response.status_code, response.json()


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


@pytest.fixture
def partner_user(django_user_model):
    return django_user_model.objects.create_user(username="partner", email="data@partner.example")


@pytest.fixture
def partner_key(partner_user, staff_user):
    _token, key = partner_token_create(name="Partner data team", user=partner_user, created_by=staff_user)
    return key


@pytest.fixture
def staff_key(staff_user):
    _token, key = partner_token_create(name="Staff scripts", user=staff_user, created_by=staff_user)
    return key


@pytest.fixture
def high_rate_limits(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": "100000/minute"},
    }


def series(**fields) -> WebinarSeries:
    return WebinarSeries.objects.create(
        slug=fields.pop("slug", "series"),
        title="Travel South Over Cloud",
        organiser=factories.organisation(),
        **fields,
    )


def webinar(*, series_: WebinarSeries | None = None, number: int = 1, **fields) -> Webinar:
    series_ = series_ or WebinarSeries.objects.first() or series()
    item = Webinar.objects.create(
        series=series_,
        number=number,
        slug=f"webinar-{series_.pk}-{number}",
        title=fields.pop("title", f"Webinar {number}"),
        broadcast_on=fields.pop("broadcast_on", dt.date(2020, 8, 1)),
        **fields,
    )
    item.languages.set([factories.language()])
    return item


def survey(
    *, webinar_: Webinar | None = None, results_published: bool = True, slug: str = "survey"
) -> Survey:
    return Survey.objects.create(
        slug=slug,
        title="Post-webinar survey",
        webinar=webinar_ or webinar(),
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
        results_published=results_published,
    )


def pair(city_a, city_b):
    return (city_a, city_b) if city_a.pk < city_b.pk else (city_b, city_a)


def proposal(*, city_a, city_b, status=Proposal.Status.PENDING, score=0.5) -> Proposal:
    city_a, city_b = pair(city_a, city_b)
    return Proposal.objects.create(city_a=city_a, city_b=city_b, status=status, score=score)


def partnership(*, city_a, city_b, themes=()) -> Partnership:
    accepted = proposal(city_a=city_a, city_b=city_b, status=Proposal.Status.ACCEPTED)
    formed = Partnership.objects.create(
        proposal=accepted, city_a=accepted.city_a, city_b=accepted.city_b, formed_at=timezone.now()
    )
    formed.themes.set(themes)
    return formed


@pytest.fixture
def sensitive_data(db):
    return create_sensitive_data()


def create_sensitive_data() -> dict:
    """What must stay private: a person's e-mail and consent, raw survey answers, a pending proposal.

    Proposals and partnerships have no services yet (the matching work brings them); until then
    these rows are created directly, in the states those services will produce.
    """
    city, other = factories.city(name="Oaxaca"), factories.city(name="Cusco")
    person = factories.person(full_name="Private Person", email=SECRET_EMAIL, city=city)
    person.contact_consent_given_at = timezone.now()
    person.save(update_fields=["contact_consent_given_at"])
    talk = webinar(series_=series(slug="sensitive-series"))
    factories.good_practice(city_=city, title="Night markets", webinar=talk, speaker=person)
    questionnaire = survey(webinar_=talk)
    yes_no = Question.objects.create(
        survey=questionnaire, order=1, kind=Question.Kind.YES_NO, text="Satisfied?"
    )
    free = Question.objects.create(
        survey=questionnaire, order=2, kind=Question.Kind.FREE_TEXT, text="Anything else?", required=False
    )
    cities = Question.objects.create(
        survey=questionnaire, order=3, kind=Question.Kind.CITY_CHOICE, text="Which cities?", required=False
    )
    cusco = Option.objects.create(question=cities, order=1, label="Cusco", city=other)
    response = Response.objects.create(
        survey=questionnaire, respondent=person, city=city, submitted_at=timezone.now() - dt.timedelta(days=2)
    )
    Answer.objects.create(response=response, question=yes_no, yes=True)
    Answer.objects.create(response=response, question=free, text=SECRET_ANSWER)
    Answer.objects.create(response=response, question=cities).options.set([cusco])
    pending = proposal(city_a=city, city_b=other)
    formed = partnership(city_a=city, city_b=factories.city(name="Lima"), themes=[factories.theme()])
    invitation = Invitation.objects.create(
        kind=Invitation.Kind.INTRODUCTION, person=person, city=city, proposal=pending, due_at=timezone.now()
    )
    return {
        "invitation": invitation,
        "city": city,
        "person": person,
        "survey": questionnaire,
        "webinar": talk,
        "proposal": pending,
        "partnership": formed,
    }
