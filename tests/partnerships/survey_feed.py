"""EMULATION of the surveys work's feed (issue 4), for the matching tests only.

The surveys helper writes the real service that turns each survey response into the city's
partnership interest and the respondents' consent, and makes ``load_report`` call it. Until that is
merged, ``emulate_survey_feed`` does the same from the loaded Answer/Option rows, through the real
services (``interest_record``, ``person_consent_give``). At merge, replace its callers with the real
feed (or with ``load_report`` alone, once it calls the feed).

Per city: the latest response wins (it becomes ``Interest.survey_response``); the cities named and
the priorities chosen are the union over all of the city's responses.
"""

from collections import defaultdict

from cities.models import City
from cities.services import person_consent_give
from partnerships.models import Interest
from partnerships.services import interest_record
from surveys.models import Answer, Question, Response


def emulate_survey_feed() -> list[Interest]:
    responses_by_city: dict[int, list[Response]] = defaultdict(list)
    for response in Response.objects.filter(city__isnull=False).select_related(
        "survey", "respondent", "city"
    ):
        responses_by_city[response.city_id].append(response)
    chosen: dict[int, dict[str, set]] = defaultdict(lambda: {"cities": set(), "priorities": set()})
    consenting: list[Response] = []
    answers = Answer.objects.filter(response__city__isnull=False).select_related("question", "response")
    for answer in answers.prefetch_related("options__city", "options__priority"):
        purpose = answer.question.purpose
        if purpose == Question.Purpose.PARTNER_CITIES:
            chosen[answer.response.city_id]["cities"].update(
                option.city for option in answer.options.all() if option.city is not None
            )
        elif purpose == Question.Purpose.PRIORITIES:
            chosen[answer.response.city_id]["priorities"].update(
                option.priority for option in answer.options.all() if option.priority is not None
            )
        elif purpose == Question.Purpose.CONSENT and answer.yes:
            consenting.append(answer.response)
    interests = []
    for city_id, responses in sorted(responses_by_city.items()):
        latest = max(responses, key=lambda response: (response.submitted_at, response.pk))
        interests.append(
            interest_record(
                city=City.objects.get(pk=city_id),
                source=Interest.Source.SURVEY,
                survey_response=latest,
                source_note=f"Survey: {latest.survey.title}",
                partner_cities=sorted(chosen[city_id]["cities"], key=lambda city: city.pk),
                priorities=sorted(chosen[city_id]["priorities"], key=lambda priority: priority.pk),
            )
        )
    for response in consenting:
        person_consent_give(person=response.respondent, source=f"Survey answer: {response.survey.title}")
    return interests
