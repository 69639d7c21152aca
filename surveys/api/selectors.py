"""Reads for the surveys API: surveys with their questions, aggregated results, raw responses.

``survey_results`` is this API's own aggregation, written before surveys.selectors.survey_results
existed. Its interface is the dataclasses below; when the surveys app's function lands, the API
should call it and map its result onto them (docs/api.md, "Survey results").
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ..models import Answer, Option, Question, Response, Survey


def api_survey_list() -> QuerySet[Survey]:
    return Survey.objects.select_related("webinar", "series")


def api_survey_details() -> QuerySet[Survey]:
    questions = Question.objects.order_by("order").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order"))
    )
    return api_survey_list().prefetch_related(Prefetch("questions", queryset=questions))


@dataclass
class ChoiceResult:
    label: str
    count: int
    percentage: float
    option_id: int | None = None
    city_id: int | None = None
    rating: int | None = None


@dataclass
class QuestionResult:
    question: Question
    answer_count: int
    choices: list[ChoiceResult] = field(default_factory=list)
    mean_rating: float | None = None


@dataclass
class SurveyResults:
    survey: Survey
    response_count: int
    city_count: int
    questions: list[QuestionResult]


def _percentage(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def survey_results(*, survey: Survey) -> SurveyResults:
    """Counts and percentages per question and choice, in six queries whatever the responses.

    A choice's percentage is of the respondents who answered that question (for multiple choice
    they can add up to more than 100). Free-text answers are counted, never shown.
    """
    totals = Response.objects.filter(survey=survey).aggregate(
        responses=Count("id"), cities=Count("city", distinct=True)
    )
    questions = list(
        Question.objects.filter(survey=survey)
        .order_by("order")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("order")))
    )
    answers = Answer.objects.filter(response__survey=survey)
    answered = dict(
        answers.filter(
            Q(yes__isnull=False) | Q(rating__isnull=False) | ~Q(text="") | Q(options__isnull=False)
        )
        .values_list("question_id")
        .annotate(count=Count("id", distinct=True))
    )
    yes_no = Counter(
        {
            (question_id, yes): count
            for question_id, yes, count in answers.filter(yes__isnull=False)
            .values_list("question_id", "yes")
            .annotate(count=Count("id"))
        }
    )
    ratings = Counter(
        {
            (question_id, rating): count
            for question_id, rating, count in answers.filter(rating__isnull=False)
            .values_list("question_id", "rating")
            .annotate(count=Count("id"))
        }
    )
    chosen = Counter(
        dict(
            Answer.options.through.objects.filter(answer__response__survey=survey)
            .values_list("option_id")
            .annotate(count=Count("id"))
        )
    )
    results = []
    for question in questions:
        total = answered.get(question.pk, 0)
        result = QuestionResult(question=question, answer_count=total)
        if question.kind == Question.Kind.YES_NO:
            result.choices = [
                ChoiceResult(
                    label=label,
                    count=yes_no[question.pk, value],
                    percentage=_percentage(yes_no[question.pk, value], total),
                )
                for label, value in ((_("Yes"), True), (_("No"), False))
            ]
        elif question.kind == Question.Kind.RATING:
            scale = range(question.rating_min, question.rating_max + 1)
            result.choices = [
                ChoiceResult(
                    label=str(value),
                    rating=value,
                    count=ratings[question.pk, value],
                    percentage=_percentage(ratings[question.pk, value], total),
                )
                for value in scale
            ]
            rated = sum(ratings[question.pk, value] for value in scale)
            result.mean_rating = (
                round(sum(value * ratings[question.pk, value] for value in scale) / rated, 2)
                if rated
                else None
            )
        elif question.has_options:
            result.choices = [
                ChoiceResult(
                    label=option.label,
                    option_id=option.pk,
                    city_id=option.city_id,
                    count=chosen[option.pk],
                    percentage=_percentage(chosen[option.pk], total),
                )
                for option in question.options.all()
            ]
        results.append(result)
    return SurveyResults(
        survey=survey, response_count=totals["responses"], city_count=totals["cities"], questions=results
    )


def survey_responses(*, survey: Survey) -> QuerySet[Response]:
    """Every response with its answers: for staff only (see permissions.can_view_raw_answers)."""
    answers = (
        Answer.objects.select_related("question").prefetch_related("options").order_by("question__order")
    )
    return (
        Response.objects.filter(survey=survey)
        .select_related("respondent", "city")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("submitted_at", "id")
    )
