"""Reads for surveys, already filtered to what the user may see and already optimised.

``survey_results`` is the one way to a survey's results: the staff results page, the public summary,
the CSV export and the REST API all call it, so they always agree.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from cities.models import City, CityMembership, Country, Person
from travelsouth.i18n import content_suffix, interface_language, localized

from . import permissions
from .models import Answer, Option, Question, Response, Survey, SurveyParticipation
from .results import AnswerRow, Labels, OptionRow, QuestionRow, ResponseRow, SurveyResults, aggregate

User = AbstractBaseUser | AnonymousUser


def survey_results(
    *,
    survey: Survey,
    user: User,
    public: bool = False,
    country: Country | None = None,
    city: City | None = None,
) -> SurveyResults:
    """The survey's results as ``user`` may see them, in the active language. Pure: writes nothing.

    - Raises ``PermissionDenied`` when the user may not see the results at all (not staff, and the
      results are not published), or asks for a breakdown they may not see.
    - ``public=True`` gives the published summary's level of detail even to staff.
    - Details (free-text answers, responses per city) only for staff, never for anonymous surveys.
    - ``country`` / ``city`` restrict the results to the responses of that country or city (staff).

    Five queries, whatever the number of responses.
    """
    if not permissions.can_view_results(user, survey):
        raise PermissionDenied(gettext("The results of this survey are not published."))
    include_details = permissions.can_view_result_details(user, survey) and not public
    if country is not None and not (permissions.is_survey_staff(user) and not public):
        raise PermissionDenied(gettext("Only staff can see results by country."))
    if city is not None and not include_details:
        raise PermissionDenied(
            gettext("Only staff can see results by city, and never for anonymous surveys.")
        )

    responses = Response.objects.filter(survey=survey)
    filters = {}
    if country is not None:
        responses = responses.filter(city__country=country)
        filters["country"] = country.iso_code
    if city is not None:
        responses = responses.filter(city=city)
        filters["city"] = city.slug

    questions = survey.questions.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order"))
    ).order_by("order")
    suffix = content_suffix()
    response_rows = [
        ResponseRow(
            id=row["id"],
            city_key=row["city__slug"] or "",
            city_name=_in_language(row, "city__name", suffix),
            country_key=row["city__country__iso_code"] or "",
            country_name=_in_language(row, "city__country__name", suffix),
        )
        for row in responses.values(
            "id",
            "city__slug",
            "city__name",
            "city__name_es",
            "city__name_zh_hans",
            "city__country__iso_code",
            "city__country__name",
            "city__country__name_es",
            "city__country__name_zh_hans",
        )
    ]
    options_by_answer: dict[int, list[int]] = {}
    for answer_id, option_id in Answer.options.through.objects.filter(
        answer__response__in=responses
    ).values_list("answer_id", "option_id"):
        options_by_answer.setdefault(answer_id, []).append(option_id)
    answer_rows = [
        AnswerRow(
            response_id=response_id,
            question_id=question_id,
            yes=yes,
            rating=rating,
            text=text,
            option_ids=tuple(options_by_answer.get(answer_id, ())),
        )
        for answer_id, response_id, question_id, yes, rating, text in Answer.objects.filter(
            response__in=responses
        ).values_list("id", "response_id", "question_id", "yes", "rating", "text")
    ]
    return aggregate(
        survey_id=survey.pk,
        questions=[_question_row(question) for question in questions],
        responses=response_rows,
        answers=answer_rows,
        include_details=include_details,
        labels=Labels(yes=gettext("Yes"), no=gettext("No"), unanswered=gettext("No answer")),
        filters=filters,
    )


def _in_language(row: dict, prefix: str, suffix: str | None) -> str:
    if suffix and row.get(f"{prefix}_{suffix}"):
        return row[f"{prefix}_{suffix}"]
    return row.get(prefix) or ""


def _question_row(question: Question) -> QuestionRow:
    # The result labels ("were satisfied with ...") are written in English only; other languages
    # read the question itself.
    english = interface_language() == settings.LANGUAGE_CODE
    return QuestionRow(
        id=question.pk,
        order=question.order,
        kind=question.kind,
        text=localized(question, "text"),
        result_label=question.result_label if english else "",
        options=tuple(
            OptionRow(id=option.pk, label=localized(option, "label"), city_id=option.city_id)
            for option in question.options.all()
        ),
        rating_min=question.rating_min,
        rating_max=question.rating_max,
    )


def survey_by_slug(*, slug: str) -> Survey | None:
    return Survey.objects.select_related("webinar__series", "series").filter(slug=slug).first()


def survey_list(*, user: User, at: dt.datetime | None = None) -> QuerySet[Survey]:
    """Surveys the user may see listed: all for staff; published results for everyone; open
    surveys for approved city officials (who may answer them for their city)."""
    surveys = (
        Survey.objects.select_related("webinar__series", "series")
        .annotate(response_count=Count("responses"))
        .order_by("-opens_at", "-id")
    )
    if permissions.is_survey_staff(user):
        return surveys
    visible = Q(results_published=True)
    if user.is_authenticated and official_cities(user=user).exists():
        at = at or timezone.now()
        visible |= Q(opens_at__lte=at, closes_at__gt=at)
    return surveys.filter(visible)


def survey_problems(*, survey: Survey) -> list[str]:
    """What keeps the survey from being answered: each a sentence for staff. Empty when ready."""
    questions = list(survey.questions.annotate(option_count=Count("options")).order_by("order"))
    if not questions:
        return [gettext("The survey has no questions yet.")]
    return [
        gettext("Question %(order)s needs options to choose from.") % {"order": question.order}
        for question in questions
        if question.has_options and not question.option_count
    ]


def official_cities(*, user: User) -> QuerySet[City]:
    """The cities the user is an approved official of: those they may answer surveys for."""
    if not user.is_authenticated:
        return City.objects.none()
    approved = CityMembership.objects.filter(
        user=user, city=OuterRef("pk"), status=CityMembership.Status.APPROVED
    )
    return City.objects.filter(Exists(approved)).select_related("country").order_by("name", "id")


def person_of_user(*, user: User) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def has_answered_anonymously(*, survey: Survey, respondent: Person | None) -> bool:
    """Whether ``respondent`` already answered anonymous ``survey`` (which answers are theirs is not
    known: they cannot be shown nor changed)."""
    if respondent is None or not survey.is_anonymous:
        return False
    return SurveyParticipation.objects.filter(survey=survey, person=respondent).exists()


def response_of(*, survey: Survey, respondent: Person | None) -> Response | None:
    """The respondent's current response to the survey, with its answers and their options."""
    if respondent is None:
        return None
    return (
        Response.objects.filter(survey=survey, respondent=respondent)
        .select_related("city")
        .prefetch_related(
            Prefetch(
                "answers", queryset=Answer.objects.select_related("question").prefetch_related("options")
            )
        )
        .first()
    )


def answers_for_export(*, survey: Survey, user: User) -> QuerySet[Response]:
    """Every response with respondent, city, country and answers: for the raw CSV (staff only)."""
    if not permissions.can_export_answers(user, survey):
        raise PermissionDenied(gettext("Only staff can export the raw answers."))
    return (
        Response.objects.filter(survey=survey)
        .select_related("respondent", "city__country")
        .prefetch_related(
            Prefetch(
                "answers", queryset=Answer.objects.select_related("question").prefetch_related("options")
            )
        )
        .order_by("submitted_at", "id")
    )


def people_wanting_training(*, survey: Survey | None = None) -> QuerySet[Person]:
    """People who answered yes to a survey's training question (for training invitations)."""
    answers = Answer.objects.filter(
        response__respondent=OuterRef("pk"), question__purpose=Question.Purpose.TRAINING, yes=True
    )
    if survey is not None:
        answers = answers.filter(response__survey=survey)
    return Person.objects.filter(Exists(answers)).order_by("full_name", "id")
