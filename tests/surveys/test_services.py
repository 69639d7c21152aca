"""response_submit: every answer checked before anything is written; updates keep the history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from cities.models import Person
from surveys.models import Answer, Response, ResponseRevision
from surveys.services import response_submit, response_submit_for_city, survey_results_publish
from tests import factories

from .builders import approve_official, build_survey

pytestmark = pytest.mark.django_db


def submit(kit, respondent, answers, *, city=None, language="es", at=None):
    return response_submit(
        survey=kit.survey, respondent=respondent, city=city, answers=answers, language=language, at=at
    )


def stored_answers(response: Response) -> dict[str, object]:
    answers = {}
    for answer in (
        Answer.objects.filter(response=response).select_related("question").prefetch_related("options")
    ):
        kind = answer.question.kind
        if kind == "yes_no":
            answers[answer.question.text] = answer.yes
        elif kind == "rating":
            answers[answer.question.text] = answer.rating
        elif kind == "free_text":
            answers[answer.question.text] = answer.text
        else:
            answers[answer.question.text] = sorted(option.label for option in answer.options.all())
    return answers


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    return {key: [str(message) for message in messages] for key, messages in error.message_dict.items()}


def test_response_submit_stores_every_answer(kit):
    respondent = factories.person()
    morelia = factories.city(name="Morelia")

    response = submit(kit, respondent, kit.answers(), city=morelia)

    assert (response.survey, response.respondent, response.city, response.language) == (
        kit.survey,
        respondent,
        morelia,
        "es",
    )
    assert stored_answers(response) == {
        "Question about satisfied?": True,
        "Question about consent?": True,
        "Question about priorities?": ["Tourism", "Transport"],
        "Question about chinese?": True,
        "Question about cities?": ["Luoyang"],
        "Question about areas?": "Tourism and trade",
        "Question about rating?": 4,
        "Question about format?": ["Online"],
    }


def test_response_submit_again_updates_and_keeps_the_earlier_version(kit):
    respondent = factories.person()
    first_at = timezone.now() - dt.timedelta(hours=2)
    first = submit(kit, respondent, kit.answers(), at=first_at)

    second = submit(kit, respondent, kit.answers(satisfied=False, cities=[kit.o("Anyang")], areas=None))

    assert second.pk == first.pk
    assert Response.objects.count() == 1
    assert stored_answers(second)["Question about satisfied?"] is False
    assert stored_answers(second)["Question about cities?"] == ["Anyang"]
    assert "Question about areas?" not in stored_answers(second)
    revision = ResponseRevision.objects.get(response=second)
    assert (revision.number, revision.submitted_at, revision.language) == (1, first_at, "es")
    snapshot = {entry["question_text"]: entry for entry in revision.answers}
    assert snapshot["Question about satisfied?"]["yes"] is True
    assert [option["label"] for option in snapshot["Question about cities?"]["options"]] == ["Luoyang"]
    assert snapshot["Question about areas?"]["text"] == "Tourism and trade"


def test_response_submit_three_times_keeps_two_numbered_versions(kit):
    respondent = factories.person()

    for rating in (1, 2, 3):
        submit(kit, respondent, kit.answers(rating=rating))

    assert [
        (revision.number, revision.answers[6]["rating"]) for revision in ResponseRevision.objects.all()
    ] == [(1, 1), (2, 2)]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"satisfied": None}, {"satisfied": ["This question needs an answer."]}),
        ({"priorities": []}, {"priorities": ["This question needs an answer."]}),
        ({"satisfied": "yes"}, {"satisfied": ["Answer yes or no."]}),
        ({"rating": 6}, {"rating": ["Give a rating from 1 to 5."]}),
        ({"rating": 0}, {"rating": ["Give a rating from 1 to 5."]}),
        ({"rating": "four"}, {"rating": ["Give a whole number."]}),
        ({"areas": ["a list"]}, {"areas": ["Write your answer as text."]}),
        ({"areas": "x" * 5001}, {"areas": ["Keep your answer under 5000 characters."]}),
        (
            {"chinese": False},
            {
                "cities": ["Answer this question only after answering yes to question 4."],
                "areas": ["Answer this question only after answering yes to question 4."],
            },
        ),
        ({"format": "__both__"}, {"format": ["Choose only one option."]}),
        ({"priorities": ["not a number"]}, {"priorities": ["Choose among the question's options."]}),
    ],
)
def test_response_submit_refuses_bad_answers_and_stores_nothing(kit, overrides, expected):
    if overrides.get("format") == "__both__":
        overrides["format"] = [kit.o("Online"), kit.o("In person")]
    respondent = factories.person()

    with pytest.raises(ValidationError) as error:
        submit(kit, respondent, kit.answers(**overrides))

    assert error_messages(error.value) == {
        f"question_{kit.q(name)}": messages for name, messages in expected.items()
    }
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_response_submit_refuses_an_option_of_another_question(kit):
    respondent = factories.person()

    with pytest.raises(ValidationError) as error:
        submit(kit, respondent, kit.answers(priorities=[kit.o("Tourism"), kit.o("Luoyang")]))

    assert error_messages(error.value) == {
        f"question_{kit.q('priorities')}": ["This choice is not one of the question's options."]
    }
    assert Response.objects.count() == 0


def test_response_submit_refuses_a_question_of_another_survey(kit):
    other = build_survey(slug="another-survey")
    respondent = factories.person()
    answers = {**kit.answers(), other.q("satisfied"): True}

    with pytest.raises(ValidationError) as error:
        submit(kit, respondent, answers)

    assert error_messages(error.value) == {
        "__all__": [f"These answers are to questions that are not in this survey: {other.q('satisfied')}."]
    }
    assert Response.objects.count() == 0


def test_response_submit_after_close_is_refused_and_the_response_is_unchanged(kit):
    respondent = factories.person()
    response = submit(kit, respondent, kit.answers())
    after_close = kit.survey.closes_at + dt.timedelta(seconds=1)

    with pytest.raises(ValidationError) as error:
        submit(kit, respondent, kit.answers(satisfied=False), at=after_close)

    assert error.value.code == "closed"
    assert error.value.messages == [
        f"This survey closed on {date_format(kit.survey.closes_at, 'DATE_FORMAT')}: "
        "answers can no longer be given or changed."
    ]
    assert stored_answers(response)["Question about satisfied?"] is True
    assert ResponseRevision.objects.count() == 0


def test_response_submit_before_opening_is_refused(db):
    kit = build_survey(
        opens_at=timezone.now() + dt.timedelta(days=2), closes_at=timezone.now() + dt.timedelta(days=9)
    )

    with pytest.raises(ValidationError) as error:
        submit(kit, factories.person(), kit.answers())

    assert error.value.code == "not_open"
    assert Response.objects.count() == 0


def test_response_submit_refuses_an_unknown_language(kit):
    with pytest.raises(ValidationError) as error:
        submit(kit, factories.person(), kit.answers(), language="fr")

    assert error_messages(error.value) == {"__all__": ["Unknown language."]}
    assert Response.objects.count() == 0


def test_response_submit_accepts_optional_questions_left_blank(kit):
    respondent = factories.person()

    response = submit(
        kit, respondent, kit.answers(cities=[], areas="  ", rating=None, format=None, chinese=False)
    )

    assert sorted(stored_answers(response)) == [
        "Question about chinese?",
        "Question about consent?",
        "Question about priorities?",
        "Question about satisfied?",
    ]


def test_survey_results_publish_toggles_the_summary(kit):
    survey_results_publish(survey=kit.survey, published=True)
    kit.survey.refresh_from_db()
    published = kit.survey.results_published

    survey_results_publish(survey=kit.survey, published=False)
    kit.survey.refresh_from_db()

    assert (published, kit.survey.results_published) == (True, False)


def test_response_submit_for_city_refuses_who_is_not_its_official(kit, django_user_model):
    user = django_user_model.objects.create_user(username="ana", password="x")

    with pytest.raises(PermissionDenied):
        response_submit_for_city(
            survey=kit.survey, user=user, city=factories.city(), answers=kit.answers(), language="en"
        )

    assert (Response.objects.count(), Person.objects.filter(user=user).count()) == (0, 0)


def test_refused_answers_of_an_official_leave_no_person_behind(kit, django_user_model):
    morelia = factories.city(name="Morelia")
    user = django_user_model.objects.create_user(username="ana", password="x")
    approve_official(user, morelia)

    with pytest.raises(ValidationError):
        response_submit_for_city(
            survey=kit.survey, user=user, city=morelia, answers=kit.answers(satisfied=None), language="en"
        )

    assert (Response.objects.count(), Person.objects.filter(user=user).count()) == (0, 0)
