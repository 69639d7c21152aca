"""Survey answers feed brokering (the receiver of surveys' ``response_submitted`` hook): a city's priorities and partner cities, a respondent's consent.

The rules (docs/surveys.md explains why):

- **A city's answer to a survey** is what all its respondents to that survey said together: the union
  of the priorities and of the named cities of every current response from that city. A respondent
  who submits again replaces only their own earlier answers. So when Morelia answered twice, its
  interest names Luoyang and Anyang with priorities Tourism, Transport and SMEs.
- **Later answers override earlier ones.** The survey's answer becomes the city's current interest
  (``partnerships.interests.interest_record``, source "survey", the city's latest response as
  ``survey_response``), unless the city's current interest was stated after that latest response by
  another door (a web form, staff, another survey): then the survey answer is older news and is left
  alone. What the survey does not ask (themes, countries, languages, message, publication) is
  carried over from the current interest. The superseded interest stays as history.
- **Consent**: a yes to the survey's consent question gives the respondent's consent to be contacted,
  a no withdraws it, each logged with the survey as source, at the time the response was submitted,
  and only if the person has not said otherwise since.
- **Anonymous surveys feed nothing**: their answers are never tied to a city or a person.
- **Idempotent**: feeding the same response again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from cities.models import City, ContactConsentEvent, Person
from cities.services import person_consent_give, person_consent_withdraw
from surveys.models import Answer, Option, Question, Response, Survey

from .interests import interest_record
from .models import DevelopmentPriority, Interest

CREATED = "created"
GIVEN = "given"
WITHDRAWN = "withdrawn"
UNCHANGED = "unchanged"
SKIPPED = "skipped"


@dataclass(frozen=True)
class BrokeringOutcome:
    """What feeding a response did: ``interest`` is created, unchanged or skipped; ``consent`` is
    given, withdrawn, unchanged or skipped."""

    interest: str
    consent: str
    current_interest: Interest | None = None


def survey_source(survey: Survey) -> str:
    """How consent and interests name the survey they came from."""
    return f"survey:{survey.slug}"


@transaction.atomic
def response_feed_brokering(*, response: Response, previous_city_id: int | None = None) -> BrokeringOutcome:
    """Turn ``response`` into its city's current interest and its respondent's consent (rules above).

    ``previous_city_id``: the city the response was for before this submission, when it changed;
    that city's interest is recomputed from its remaining responses to the survey (if none remain,
    the survey no longer speaks for it and its interest is left as it is).

    Side effects: may record a new current Interest for the response's city (the previous one kept as
    history) and give or withdraw the respondent's consent to be contacted.
    """
    response = Response.objects.select_related("survey", "city", "respondent").get(pk=response.pk)
    if response.survey.is_anonymous:
        return BrokeringOutcome(interest=SKIPPED, consent=SKIPPED)
    if previous_city_id is not None and previous_city_id != response.city_id:
        _feed_interest(response.survey, previous_city_id)
    interest_outcome, interest = _feed_interest(response.survey, response.city_id)
    return BrokeringOutcome(
        interest=interest_outcome, consent=_feed_consent(response), current_interest=interest
    )


def _feed_interest(survey: Survey, city_id: int | None) -> tuple[str, Interest | None]:
    purposes = [Question.Purpose.PRIORITIES, Question.Purpose.PARTNER_CITIES]
    if city_id is None or not survey.questions.filter(purpose__in=purposes).exists():
        return SKIPPED, None
    city_responses = Response.objects.filter(survey=survey, city_id=city_id)
    latest = city_responses.select_related("city").order_by("-submitted_at", "-id").first()
    if latest is None:
        return SKIPPED, None
    chosen = list(
        Option.objects.filter(
            answers__response__in=city_responses, question__purpose__in=purposes
        ).values_list("question__purpose", "priority_id", "city_id")
    )
    priority_ids = {priority for purpose, priority, _ in chosen if purpose == "priorities" and priority}
    partner_city_ids = {
        city for purpose, _, city in chosen if purpose == "partner_cities" and city and city != city_id
    }

    current = (
        Interest.objects.filter(city_id=city_id, is_current=True)
        .select_related("survey_response")
        .prefetch_related(
            "priorities",
            "partner_cities",
            "themes_sought",
            "themes_offered",
            "partner_countries",
            "partner_regions",
            "working_languages",
            "excluded_countries",
            "excluded_regions",
        )
        .first()
    )
    if current is not None:
        from_this_survey = (
            current.survey_response is not None and current.survey_response.survey_id == survey.pk
        )
        if from_this_survey:
            if {p.pk for p in current.priorities.all()} == priority_ids and {
                c.pk for c in current.partner_cities.all()
            } == partner_city_ids:
                return UNCHANGED, current
        else:
            stated_at = (
                current.survey_response.submitted_at if current.survey_response else current.created_at
            )
            if stated_at > latest.submitted_at:
                return SKIPPED, current

    carried = (
        {
            "themes_sought": current.themes_sought.all(),
            "themes_offered": current.themes_offered.all(),
            "partner_countries": current.partner_countries.all(),
            "partner_regions": current.partner_regions.all(),
            "working_languages": current.working_languages.all(),
            "excluded_countries": current.excluded_countries.all(),
            "excluded_regions": current.excluded_regions.all(),
            "message": current.message,
            "is_published": current.is_published,
        }
        if current is not None
        else {}
    )
    interest = interest_record(
        city=latest.city,
        source=Interest.Source.SURVEY,
        source_note=survey_source(survey),
        survey_response=latest,
        priorities=DevelopmentPriority.objects.filter(pk__in=priority_ids),
        partner_cities=City.objects.filter(pk__in=partner_city_ids),
        **carried,
    )
    return CREATED, interest


def _feed_consent(response: Response) -> str:
    consent_question = response.survey.questions.filter(purpose=Question.Purpose.CONSENT).first()
    if consent_question is None:
        return SKIPPED
    answer = Answer.objects.filter(response=response, question=consent_question).first()
    if answer is None or answer.yes is None:
        return SKIPPED
    person = Person.objects.get(pk=response.respondent_id)
    latest_event = ContactConsentEvent.objects.filter(person=person).order_by("-at", "-id").first()
    if latest_event is not None and latest_event.at > response.submitted_at:
        return SKIPPED  # the person said something about consent after this response
    if answer.yes == person.has_contact_consent:
        return UNCHANGED
    source = survey_source(response.survey)
    if answer.yes:
        person_consent_give(person=person, source=source, at=response.submitted_at)
        return GIVEN
    person_consent_withdraw(person=person, source=source, at=response.submitted_at)
    return WITHDRAWN
