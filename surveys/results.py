"""A survey's results computed from plain rows: no database, no Django, so it can be tested on its own.

``surveys.selectors.survey_results`` reads the rows (a constant number of queries) and calls
``aggregate``. Percentages are of *respondents* (all responses in scope), as the report gives them
("80% of survey respondents ..."). For questions with one answer per respondent (yes/no, single
choice, rating) the buckets, "no answer" included, are exclusive and their whole-number percentages
are rounded by largest remainder so they always add up to exactly 100. For multiple-choice questions
each option's percentage stands alone (a respondent may pick several) and is rounded half up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

YES_NO = "yes_no"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
CITY_CHOICE = "city_choice"
RATING = "rating"
FREE_TEXT = "free_text"


# --- input rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionRow:
    id: int
    label: str
    city_id: int | None = None


@dataclass(frozen=True)
class QuestionRow:
    id: int
    order: int
    kind: str
    text: str
    result_label: str = ""
    options: tuple[OptionRow, ...] = ()
    rating_min: int | None = None
    rating_max: int | None = None


@dataclass(frozen=True)
class ResponseRow:
    id: int
    city_key: str = ""
    city_name: str = ""
    country_key: str = ""
    country_name: str = ""


@dataclass(frozen=True)
class AnswerRow:
    response_id: int
    question_id: int
    yes: bool | None = None
    rating: int | None = None
    text: str = ""
    option_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Labels:
    """The words results use for the buckets that are not options, in the reader's language."""

    yes: str = "Yes"
    no: str = "No"
    unanswered: str = "No answer"


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """One bucket of a question: ``key`` is "yes", "no", "unanswered", "option-<id>" or "rating-<n>"."""

    key: str
    label: str
    count: int
    percent: int
    city_id: int | None = None


@dataclass(frozen=True)
class FreeTextAnswer:
    text: str
    city_name: str = ""


@dataclass(frozen=True)
class QuestionResults:
    question_id: int
    order: int
    kind: str
    text: str
    result_label: str
    answered: int
    tallies: tuple[Tally, ...] = ()
    rating_average: float | None = None
    free_text: tuple[FreeTextAnswer, ...] = ()

    def tally(self, key: str) -> Tally | None:
        return next((tally for tally in self.tallies if tally.key == key), None)

    @property
    def yes(self) -> Tally | None:
        return self.tally("yes")

    @property
    def option_tallies(self) -> tuple[Tally, ...]:
        """The options and their counts, without the "no answer" bucket (what a bar chart shows)."""
        return tuple(tally for tally in self.tallies if tally.key != "unanswered")

    @property
    def named_cities(self) -> tuple[Tally, ...]:
        """For a choice-of-cities question: the options that name a city, with their counts."""
        return tuple(tally for tally in self.tallies if tally.city_id is not None)

    @property
    def counts(self) -> dict[str, int]:
        """Label -> count of every bucket but "no answer": ``{"Tourism": 8, "Transport": 4, ...}``."""
        return {tally.label: tally.count for tally in self.option_tallies}


@dataclass(frozen=True)
class GroupCount:
    key: str
    name: str
    count: int


@dataclass(frozen=True)
class SurveyResults:
    """What a survey's answers add up to, for the reader the selector computed them for.

    ``by_city`` and every ``free_text`` are empty when the reader may not see them (the public, or
    anyone for an anonymous survey); ``includes_details`` says whether they were included.
    """

    survey_id: int
    response_count: int
    city_count: int
    country_count: int
    by_country: tuple[GroupCount, ...]
    by_city: tuple[GroupCount, ...]
    questions: tuple[QuestionResults, ...]
    includes_details: bool = False
    filters: dict[str, str] = field(default_factory=dict)

    def question(self, order: int) -> QuestionResults:
        return next(question for question in self.questions if question.order == order)


# --- arithmetic ---------------------------------------------------------------------------------


def percent(count: int, total: int) -> int:
    """``count`` as a whole percentage of ``total``, rounded half up; 0 when there is no total."""
    if not total:
        return 0
    return int(Fraction(100 * count, total) + Fraction(1, 2))


def exclusive_percents(counts: Sequence[int], total: int) -> list[int]:
    """Whole percentages of exclusive buckets that add up to exactly 100 (largest remainder method).

    Buckets whose exact share is whole keep it; the points lost to rounding down go to the largest
    remainders, earlier buckets first on a tie. All zeros when ``total`` is 0.
    """
    if not total:
        return [0] * len(counts)
    exact = [Fraction(100 * count, total) for count in counts]
    floors = [int(share) for share in exact]
    missing = 100 - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda index: (-(exact[index] - floors[index]), index))
    for index in by_remainder[: max(missing, 0)]:
        floors[index] += 1
    return floors


# --- aggregation --------------------------------------------------------------------------------


def aggregate(
    *,
    survey_id: int,
    questions: Iterable[QuestionRow],
    responses: Iterable[ResponseRow],
    answers: Iterable[AnswerRow],
    include_details: bool,
    labels: Labels | None = None,
    filters: dict[str, str] | None = None,
) -> SurveyResults:
    """The results of the given responses. Answers of responses not in ``responses`` are ignored."""
    labels = labels or Labels()
    responses = list(responses)
    response_ids = {response.id for response in responses}
    total = len(responses)
    # One answer per response and question (the database guarantees it; plain input may not).
    unique_answers = {
        (answer.response_id, answer.question_id): answer
        for answer in answers
        if answer.response_id in response_ids
    }
    answers_by_question: dict[int, list[AnswerRow]] = {}
    for answer in unique_answers.values():
        answers_by_question.setdefault(answer.question_id, []).append(answer)
    city_names = {response.id: response.city_name for response in responses}

    question_results = tuple(
        _question_results(
            question,
            answers_by_question.get(question.id, []),
            total=total,
            labels=labels,
            city_names=city_names if include_details else None,
        )
        for question in sorted(questions, key=lambda question: question.order)
    )
    by_country = _group_counts((response.country_key, response.country_name) for response in responses)
    by_city = _group_counts((response.city_key, response.city_name) for response in responses)
    return SurveyResults(
        survey_id=survey_id,
        response_count=total,
        city_count=len(by_city),
        country_count=len(by_country),
        by_country=by_country,
        by_city=by_city if include_details else (),
        questions=question_results,
        includes_details=include_details,
        filters=dict(filters or {}),
    )


def _group_counts(keys_and_names: Iterable[tuple[str, str]]) -> tuple[GroupCount, ...]:
    counts = Counter(key_and_name for key_and_name in keys_and_names if key_and_name[0])
    return tuple(
        GroupCount(key=key, name=name, count=count)
        for (key, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))
    )


def _question_results(
    question: QuestionRow,
    answers: list[AnswerRow],
    *,
    total: int,
    labels: Labels,
    city_names: dict[int, str] | None,
) -> QuestionResults:
    tallies: tuple[Tally, ...] = ()
    rating_average = None
    free_text: tuple[FreeTextAnswer, ...] = ()
    if question.kind == YES_NO:
        given = [answer.yes for answer in answers if answer.yes is not None]
        answered = len(given)
        tallies = _exclusive_tallies(
            [("yes", labels.yes, given.count(True)), ("no", labels.no, given.count(False))],
            answered=answered,
            total=total,
            labels=labels,
        )
    elif question.kind == RATING:
        ratings = [answer.rating for answer in answers if answer.rating is not None]
        answered = len(ratings)
        scale = range(question.rating_min or 0, (question.rating_max or 0) + 1)
        counted = Counter(ratings)
        tallies = _exclusive_tallies(
            [(f"rating-{value}", str(value), counted[value]) for value in scale],
            answered=answered,
            total=total,
            labels=labels,
        )
        rating_average = round(sum(ratings) / answered, 2) if answered else None
    elif question.kind == FREE_TEXT:
        written = [answer for answer in answers if answer.text.strip()]
        answered = len(written)
        if city_names is not None:
            free_text = tuple(
                FreeTextAnswer(text=answer.text.strip(), city_name=city_names.get(answer.response_id, ""))
                for answer in sorted(written, key=lambda answer: answer.response_id)
            )
    else:
        option_ids = {option.id for option in question.options}
        chosen_sets = [set(answer.option_ids) & option_ids for answer in answers]
        chosen_sets = [chosen for chosen in chosen_sets if chosen]
        answered = len(chosen_sets)
        counted = Counter(option_id for chosen in chosen_sets for option_id in chosen)
        buckets = [
            (f"option-{option.id}", option.label, counted[option.id], option.city_id)
            for option in question.options
        ]
        if question.kind == SINGLE_CHOICE:
            tallies = _exclusive_tallies(
                [bucket[:3] for bucket in buckets], answered=answered, total=total, labels=labels
            )
        else:
            tallies = (
                *(
                    Tally(key=key, label=label, count=count, percent=percent(count, total), city_id=city_id)
                    for key, label, count, city_id in buckets
                ),
                Tally(
                    key="unanswered",
                    label=labels.unanswered,
                    count=total - answered,
                    percent=percent(total - answered, total),
                ),
            )
    return QuestionResults(
        question_id=question.id,
        order=question.order,
        kind=question.kind,
        text=question.text,
        result_label=question.result_label or question.text,
        answered=answered,
        tallies=tallies,
        rating_average=rating_average,
        free_text=free_text,
    )


def _exclusive_tallies(
    buckets: list[tuple[str, str, int]], *, answered: int, total: int, labels: Labels
) -> tuple[Tally, ...]:
    buckets = [*buckets, ("unanswered", labels.unanswered, total - answered)]
    percents = exclusive_percents([count for _key, _label, count in buckets], total)
    return tuple(
        Tally(key=key, label=label, count=count, percent=share)
        for (key, label, count), share in zip(buckets, percents, strict=True)
    )
