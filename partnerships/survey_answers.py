"""Survey answers feed brokering (the receiver of surveys' ``response_submitted`` hook): a city's priorities and partner cities, a respondent's consent.

The rules (docs/surveys.md explains why):

- **A city's answer to a survey** is what all its respondents to that survey said together: the union
  of the priorities and of the named cities of every current response from that city. A respondent
  who submits again replaces only their own earlier answers. So when Morelia answered twice, its
  interest names Luoyang and Anyang with priorities Tourism, Transport and SMEs.
- **An answer adds, never removes.** The survey's answer is merged into the city's current interest:
  what it names that the interest lacks is added (a new current interest, source "survey", the
  city's latest response as ``survey_response``), each item recorded with the survey and response it
  came from; nothing the interest already holds is dropped. Removing an item is an explicit act on
  the interest form, and an item removed after the answer is not brought back by it. The superseded
  interest stays as history. The respondent is told what was added.
- **A country asked about** (a yes/no question on interest in a country's cities): yes names the
  country as a partner country, no adds it to the countries not wanted (matching then excludes or
  demotes its cities). If the city said both at different times, the later statement wins.
- **Consent**: a yes to the survey's consent question gives the respondent's consent to be contacted,
  a no withdraws it, each logged with the survey as source, at the time the response was submitted,
  and only if the person has not said otherwise since.
- **Anonymous surveys feed nothing**: their answers are never tied to a city or a person.
- **Idempotent**: feeding the same response again changes nothing.
- A response moved to another city leaves the first city's interest as it is (answers add, never remove).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext, pgettext

from cities.models import City, ContactConsentEvent, Country, Language, Person, Region, Theme
from cities.services import person_consent_give, person_consent_withdraw
from surveys.models import Answer, Option, Question, Response, Survey

from .interests import RELATIONS, interest_items, interest_record
from .models import DevelopmentPriority, Interest

CREATED = "created"
GIVEN = "given"
WITHDRAWN = "withdrawn"
UNCHANGED = "unchanged"
SKIPPED = "skipped"


@dataclass(frozen=True)
class BrokeringOutcome:
    """What feeding a response did: ``interest`` is created, unchanged or skipped; ``consent`` is
    given, withdrawn, unchanged or skipped; ``added`` the items the answer added to the interest."""

    interest: str
    consent: str
    current_interest: Interest | None = None
    added: dict[str, set[int]] = field(default_factory=dict)

    def feedback(self) -> str:
        """What the respondent is told the answer did to their city's interest (in their language)."""
        if self.interest != CREATED or self.current_interest is None:
            return ""
        names = []
        for relation, ids in self.added.items():
            model = getattr(Interest, relation).field.related_model
            names += [item.display_name for item in model.objects.filter(pk__in=ids)]
        return gettext("Added to the partnership interest of %(city)s: %(items)s.") % {
            "city": self.current_interest.city.display_name,
            "items": pgettext("separator between the items of a list", ", ").join(sorted(names)),
        }


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
    interest_outcome, interest, added = _feed_interest(response.survey, response.city_id)
    return BrokeringOutcome(
        interest=interest_outcome, consent=_feed_consent(response), current_interest=interest, added=added
    )


def _survey_items(
    survey: Survey, city_id: int
) -> tuple[dict[str, set[int]], dict[str, dict[int, dt.datetime]], Response | None]:
    """What the city's respondents to ``survey`` said together: priorities and partner cities (union),
    and for each country asked about, the latest answer (yes: a partner country; no: a country not
    wanted), with when each country was answered."""
    city_responses = Response.objects.filter(survey=survey, city_id=city_id)
    latest = city_responses.select_related("city").order_by("-submitted_at", "-id").first()
    items: dict[str, set[int]] = {
        "priorities": set(),
        "partner_cities": set(),
        "partner_countries": set(),
        "excluded_countries": set(),
    }
    answered_at: dict[str, dict[int, dt.datetime]] = {"partner_countries": {}, "excluded_countries": {}}
    if latest is None:
        return items, answered_at, None
    for purpose, priority, city in Option.objects.filter(
        answers__response__in=city_responses,
        question__purpose__in=[Question.Purpose.PRIORITIES, Question.Purpose.PARTNER_CITIES],
    ).values_list("question__purpose", "priority_id", "city_id"):
        if purpose == Question.Purpose.PRIORITIES and priority:
            items["priorities"].add(priority)
        if purpose == Question.Purpose.PARTNER_CITIES and city and city != city_id:
            items["partner_cities"].add(city)
    latest_by_country: dict[int, tuple[dt.datetime, bool]] = {}
    for country, yes, submitted_at in Answer.objects.filter(
        response__in=city_responses, question__purpose=Question.Purpose.COUNTRY_INTEREST, yes__isnull=False
    ).values_list("question__country_id", "yes", "response__submitted_at"):
        if country not in latest_by_country or submitted_at > latest_by_country[country][0]:
            latest_by_country[country] = (submitted_at, yes)
    for country, (submitted_at, yes) in latest_by_country.items():
        relation = "partner_countries" if yes else "excluded_countries"
        items[relation].add(country)
        answered_at[relation][country] = submitted_at
    return items, answered_at, latest


def _stated_at(interest: Interest | None, relation: str, pk: int) -> dt.datetime | None:
    entry = (interest.item_sources if interest else {}).get(relation, {}).get(str(pk))
    if not entry or not entry.get("at"):
        return None
    return dt.datetime.fromisoformat(entry["at"])


def _feed_interest(survey: Survey, city_id: int | None) -> tuple[str, Interest | None, dict[str, set[int]]]:
    """Merge the survey's answer into the city's current interest (rules above). Returns the outcome,
    the current interest, and the items added."""
    purposes = [
        Question.Purpose.PRIORITIES,
        Question.Purpose.PARTNER_CITIES,
        Question.Purpose.COUNTRY_INTEREST,
    ]
    if city_id is None or not survey.questions.filter(purpose__in=purposes).exists():
        return SKIPPED, None, {}
    survey_items, country_answered_at, latest = _survey_items(survey, city_id)
    if latest is None:
        return SKIPPED, None, {}
    current = (
        Interest.objects.filter(city_id=city_id, is_current=True)
        .select_related("survey_response")
        .prefetch_related(*RELATIONS)
        .first()
    )
    items = interest_items(current)
    added: dict[str, set[int]] = {}
    for relation, ids in survey_items.items():
        for pk in sorted(ids - items[relation]):
            # An item the city's officials removed after this answer stays removed.
            entry = (current.item_sources if current else {}).get(relation, {}).get(str(pk), {})
            removed_at = _stated_at(current, relation, pk) if entry.get("removed") else None
            answered = country_answered_at.get(relation, {}).get(pk, latest.submitted_at)
            if removed_at is not None and removed_at > answered:
                continue
            added.setdefault(relation, set()).add(pk)
    # A country answered yes and no: the later statement wins.
    for relation, opposite in (
        ("partner_countries", "excluded_countries"),
        ("excluded_countries", "partner_countries"),
    ):
        for pk in added.get(relation, set()) & items[opposite]:
            stated = _stated_at(current, opposite, pk)
            if stated is None or stated < country_answered_at[relation][pk]:
                items[opposite].discard(pk)
            else:
                added[relation].discard(pk)
    added = {relation: ids for relation, ids in added.items() if ids}
    if not added:
        return UNCHANGED, current, {}
    for relation, ids in added.items():
        items[relation] |= ids
    interest = interest_record(
        city=latest.city,
        source=Interest.Source.SURVEY,
        source_note=survey_source(survey),
        survey_response=latest,
        origin={
            "source": Interest.Source.SURVEY,
            "survey": survey.slug,
            "response": latest.pk,
            "at": latest.submitted_at.isoformat(),
        },
        priorities=DevelopmentPriority.objects.filter(pk__in=items["priorities"]),
        themes_sought=Theme.objects.filter(pk__in=items["themes_sought"]),
        themes_offered=Theme.objects.filter(pk__in=items["themes_offered"]),
        partner_cities=City.objects.filter(pk__in=items["partner_cities"]),
        partner_countries=Country.objects.filter(pk__in=items["partner_countries"]),
        partner_regions=Region.objects.filter(pk__in=items["partner_regions"]),
        working_languages=Language.objects.filter(pk__in=items["working_languages"]),
        excluded_countries=Country.objects.filter(pk__in=items["excluded_countries"]),
        excluded_regions=Region.objects.filter(pk__in=items["excluded_regions"]),
        message=current.message if current else "",
        is_published=current.is_published if current else False,
    )
    return CREATED, interest, added


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


def on_response_submitted(*, response: Response, previous_city_id: int | None = None) -> str:
    """The receiver of surveys' ``response_submitted`` hook: feed the response, and return what the
    respondent should be told (the items added to their city's interest), or ""."""
    return response_feed_brokering(response=response, previous_city_id=previous_city_id).feedback()
