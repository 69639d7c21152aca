"""The aggregation on plain rows (surveys/results.py): examples, then properties with hypothesis."""

from hypothesis import given
from hypothesis import strategies as st

from surveys.results import (
    AnswerRow,
    OptionRow,
    QuestionRow,
    ResponseRow,
    Tally,
    aggregate,
    exclusive_percents,
    percent,
)

YES_NO = QuestionRow(id=1, order=1, kind="yes_no", text="Satisfied?", result_label="were satisfied")
CITIES = QuestionRow(
    id=2,
    order=2,
    kind="city_choice",
    text="Which cities?",
    options=(OptionRow(id=21, label="Luoyang", city_id=7), OptionRow(id=22, label="Other")),
)
FORMAT = QuestionRow(
    id=3,
    order=3,
    kind="single_choice",
    text="Format?",
    options=(OptionRow(31, "Online"), OptionRow(32, "In person")),
)
RATING = QuestionRow(id=4, order=4, kind="rating", text="Rate it", rating_min=1, rating_max=3)
AREAS = QuestionRow(id=5, order=5, kind="free_text", text="Areas?")
QUESTIONS = (YES_NO, CITIES, FORMAT, RATING, AREAS)


def responses(count: int) -> list[ResponseRow]:
    return [
        ResponseRow(
            id=number,
            city_key=f"city-{number % 2}",
            city_name=f"City {number % 2}",
            country_key="MX",
            country_name="Mexico",
        )
        for number in range(1, count + 1)
    ]


def test_percent_rounds_half_up_and_is_zero_without_total():
    assert [percent(1, 8), percent(1, 3), percent(2, 3), percent(5, 0)] == [13, 33, 67, 0]


def test_exclusive_percents_add_up_to_100_by_largest_remainder():
    assert exclusive_percents([1, 1, 1], 3) == [34, 33, 33]
    assert exclusive_percents([8, 2, 0], 10) == [80, 20, 0]
    assert exclusive_percents([2, 1], 3) == [67, 33]
    assert exclusive_percents([0, 0], 0) == [0, 0]


def test_aggregate_counts_yes_no_choices_ratings_and_texts():
    answers = [
        AnswerRow(1, 1, yes=True),
        AnswerRow(2, 1, yes=True),
        AnswerRow(3, 1, yes=False),
        AnswerRow(1, 2, option_ids=(21, 22)),
        AnswerRow(2, 2, option_ids=(21,)),
        AnswerRow(1, 3, option_ids=(31,)),
        AnswerRow(1, 4, rating=3),
        AnswerRow(2, 4, rating=2),
        AnswerRow(2, 5, text="  Tourism  "),
        AnswerRow(3, 5, text=""),
    ]

    results = aggregate(
        survey_id=9, questions=QUESTIONS, responses=responses(4), answers=answers, include_details=True
    )

    assert (results.response_count, results.city_count, results.country_count) == (4, 2, 1)
    assert results.question(1).tallies == (
        Tally("yes", "Yes", 2, 50),
        Tally("no", "No", 1, 25),
        Tally("unanswered", "No answer", 1, 25),
    )
    assert results.question(2).tallies == (
        Tally("option-21", "Luoyang", 2, 50, city_id=7),
        Tally("option-22", "Other", 1, 25),
        Tally("unanswered", "No answer", 2, 50),
    )
    assert results.question(2).named_cities == (Tally("option-21", "Luoyang", 2, 50, city_id=7),)
    assert results.question(3).counts == {"Online": 1, "In person": 0}
    assert [tally.percent for tally in results.question(3).tallies] == [25, 0, 75]
    assert results.question(4).counts == {"1": 0, "2": 1, "3": 1}
    assert results.question(4).rating_average == 2.5
    assert [(answer.city_name, answer.text) for answer in results.question(5).free_text] == [
        ("City 0", "Tourism")
    ]
    assert results.question(5).answered == 1
    assert [(group.name, group.count) for group in results.by_city] == [("City 0", 2), ("City 1", 2)]


def test_aggregate_without_details_hides_free_text_and_cities():
    answers = [AnswerRow(1, 5, text="Our mayor's private number is ...")]

    results = aggregate(
        survey_id=9, questions=QUESTIONS, responses=responses(2), answers=answers, include_details=False
    )

    assert results.question(5).free_text == ()
    assert results.question(5).answered == 1
    assert results.by_city == ()
    assert results.city_count == 2


def test_aggregate_ignores_answers_of_responses_out_of_scope_and_options_of_other_questions():
    answers = [AnswerRow(99, 1, yes=True), AnswerRow(1, 2, option_ids=(31,))]

    results = aggregate(
        survey_id=9, questions=QUESTIONS, responses=responses(1), answers=answers, include_details=False
    )

    assert results.question(1).yes == Tally("yes", "Yes", 0, 0)
    assert results.question(2).answered == 0


def test_aggregate_of_no_responses_is_all_zero():
    results = aggregate(survey_id=9, questions=QUESTIONS, responses=[], answers=[], include_details=True)

    assert results.response_count == 0
    assert {tally.percent for question in results.questions for tally in question.tallies} == {0}


# --- properties ---------------------------------------------------------------------------------

OPTION_IDS = (21, 22)


@st.composite
def survey_answers(draw):
    response_count = draw(st.integers(min_value=0, max_value=40))
    rows = []
    for response_id in range(1, response_count + 1):
        yes = draw(st.sampled_from([True, False, None]))
        if yes is not None:
            rows.append(AnswerRow(response_id, 1, yes=yes))
        chosen = draw(st.lists(st.sampled_from((*OPTION_IDS, 31, 999)), max_size=4))
        if chosen:
            rows.append(AnswerRow(response_id, 2, option_ids=tuple(chosen)))
        single = draw(st.sampled_from([None, 31, 32]))
        if single:
            rows.append(AnswerRow(response_id, 3, option_ids=(single,)))
        rating = draw(st.sampled_from([None, 1, 2, 3]))
        if rating:
            rows.append(AnswerRow(response_id, 4, rating=rating))
    # Duplicated rows (which the database forbids) must not inflate the counts either.
    duplicates = draw(st.lists(st.sampled_from(rows), max_size=5)) if rows else []
    return responses(response_count), rows + duplicates


@given(survey_answers())
def test_property_exclusive_percentages_add_up_to_100(data):
    survey_responses, answers = data

    results = aggregate(
        survey_id=1, questions=QUESTIONS, responses=survey_responses, answers=answers, include_details=True
    )

    for order in (1, 3, 4):
        total = sum(tally.percent for tally in results.question(order).tallies)
        assert total == (100 if survey_responses else 0)
        assert sum(tally.count for tally in results.question(order).tallies) == len(survey_responses)


@given(survey_answers())
def test_property_counts_never_exceed_responses(data):
    survey_responses, answers = data

    results = aggregate(
        survey_id=1, questions=QUESTIONS, responses=survey_responses, answers=answers, include_details=True
    )

    for question in results.questions:
        assert 0 <= question.answered <= results.response_count
        for tally in question.tallies:
            assert 0 <= tally.count <= results.response_count
            assert 0 <= tally.percent <= 100
    assert results.city_count <= results.response_count
    assert sum(group.count for group in results.by_city) == results.response_count


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8))
def test_property_exclusive_percents_stay_within_one_point_of_the_exact_share(counts):
    total = sum(counts)

    shares = exclusive_percents(counts, total)

    assert sum(shares) == (100 if total else 0)
    for count, share in zip(counts, shares, strict=True):
        exact = 100 * count / total if total else 0
        assert abs(share - exact) < 1
