"""CSV exports: the raw answers (one row per response, one column per question) and the aggregates.

Anonymity: for an anonymous survey the raw export has no respondent, e-mail, city, country, time or
response number, and its rows are sorted by their answers, so nothing ties a row to a person.
The rows are written by the portal's one CSV writer (travelsouth/spreadsheets.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

from travelsouth.i18n import localized

from .models import Answer, Question, Response, Survey
from .permissions import shows_who_answered
from .results import SurveyResults


def answer_text(answer: Answer | None) -> str:
    if answer is None:
        return ""
    kind = answer.question.kind
    if kind == Question.Kind.YES_NO:
        return "" if answer.yes is None else (gettext("Yes") if answer.yes else gettext("No"))
    if kind == Question.Kind.RATING:
        return "" if answer.rating is None else str(answer.rating)
    if kind == Question.Kind.FREE_TEXT:
        return answer.text
    return "; ".join(
        localized(option, "label") for option in sorted(answer.options.all(), key=lambda option: option.order)
    )


def answers_rows(*, survey: Survey, questions: list[Question], responses: Iterable[Response]) -> list[list]:
    """Header and one row per response. ``responses`` come from ``selectors.answers_for_export``."""
    question_headers = [f"{question.order}. {localized(question, 'text')}" for question in questions]
    rows = []
    anonymous = not shows_who_answered(survey)
    for response in responses:
        answers = {answer.question_id: answer for answer in response.answers.all()}
        cells = [answer_text(answers.get(question.pk)) for question in questions]
        if anonymous:
            rows.append(cells)
        else:
            city = response.city
            rows.append(
                [
                    response.pk,
                    response.submitted_at.isoformat(),
                    response.language,
                    # An erased person's answers stay without them (portal/personal_data.py).
                    response.respondent.full_name if response.respondent else "",
                    response.respondent.email if response.respondent else "",
                    city.display_name if city else "",
                    city.country.display_name if city else "",
                    *cells,
                ]
            )
    if anonymous:
        return [question_headers, *sorted(rows)]
    header = [
        gettext("Response"),
        gettext("Submitted at"),
        gettext("Language"),
        gettext("Respondent"),
        gettext("E-mail"),
        gettext("City"),
        gettext("Country"),
    ]
    return [[*header, *question_headers], *rows]


def results_rows(results: SurveyResults) -> list[list]:
    """The aggregates: totals, responses by country (and city), then every question's counts."""
    rows: list[list] = [
        [gettext("Section"), gettext("Question"), gettext("Answer"), gettext("Count"), gettext("Percent")],
        [gettext("Totals"), "", gettext("Responses"), results.response_count, ""],
        [gettext("Totals"), "", gettext("Cities"), results.city_count, ""],
        [gettext("Totals"), "", gettext("Countries"), results.country_count, ""],
    ]
    rows += [[gettext("By country"), "", group.name, group.count, ""] for group in results.by_country]
    rows += [[gettext("By city"), "", group.name, group.count, ""] for group in results.by_city]
    for question in results.questions:
        label = f"{question.order}. {question.text}"
        if question.kind == Question.Kind.FREE_TEXT:
            rows.append([gettext("Answers"), label, gettext("Answers written"), question.answered, ""])
            continue
        rows += [
            [gettext("Answers"), label, tally.label, tally.count, tally.percent] for tally in question.tallies
        ]
        if question.rating_average is not None:
            rows.append([gettext("Answers"), label, gettext("Average rating"), question.rating_average, ""])
    return rows


def question_rows(results: SurveyResults, *, order: int) -> list[list]:
    """One question's counts, as its chart shows them: answer, respondents, percent."""
    question = results.question(order)
    rows: list[list] = [[gettext("Answer"), gettext("Respondents"), gettext("Percent")]]
    rows += [[tally.label, tally.count, tally.percent] for tally in question.option_tallies]
    return rows
