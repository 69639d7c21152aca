"""Model validation keeps a survey consistent, with a message staff can act on."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from surveys.models import Option, Question, Survey

from .builders import build_survey, webinar

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def question(kit, **fields) -> Question:
    return Question(survey=kit.survey, order=fields.pop("order", 20), text="A question?", **fields)


def test_a_rating_question_needs_a_scale(kit):
    assert errors_of(question(kit, kind="rating")) == {
        "rating_max": ["A rating question needs a scale: give its lowest and highest rating."]
    }
    assert errors_of(question(kit, kind="rating", rating_min=5, rating_max=1)) == {
        "rating_max": ["The highest rating must be above the lowest."]
    }
    assert errors_of(question(kit, kind="yes_no", rating_min=1, rating_max=5)) == {
        "rating_max": ["Only a rating question has a scale."]
    }


def test_a_purpose_needs_the_right_kind_of_question(kit):
    assert errors_of(question(kit, kind="free_text", purpose="partner_cities")) == {
        "purpose": ["A question with this purpose must be of kind: Choice of cities."]
    }


def test_a_survey_has_one_consent_question(kit):
    assert errors_of(question(kit, kind="yes_no", purpose="consent")) == {
        "__all__": ["This survey already has a question with this purpose."]
    }


def test_a_follow_up_depends_on_an_earlier_yes_no_question_of_the_same_survey(kit):
    other = build_survey(slug="other")

    assert errors_of(question(kit, kind="free_text", asked_if_yes_to=kit.questions["priorities"])) == {
        "asked_if_yes_to": ["A follow-up can only depend on a yes/no question."]
    }
    assert errors_of(question(kit, kind="free_text", asked_if_yes_to=other.questions["chinese"])) == {
        "asked_if_yes_to": ["A follow-up must depend on a question of the same survey."]
    }
    assert errors_of(question(kit, order=0, kind="free_text", asked_if_yes_to=kit.questions["chinese"])) == {
        "asked_if_yes_to": ["A follow-up must come after the question it depends on."]
    }


def test_options_belong_to_choice_questions_only(kit):
    free_text = kit.questions["areas"]

    assert errors_of(Option(question=free_text, order=1, label="x")) == {
        "question": ["Only choice questions have options."]
    }
    assert errors_of(Option(question=kit.questions["priorities"], order=9, label="x", city=kit.luoyang)) == {
        "city": ["Only an option of a choice-of-cities question names a city."]
    }


def test_an_anonymous_survey_cannot_ask_for_consent_or_partners(db):
    kit = build_survey(is_anonymous=True)
    kit.survey.is_anonymous = False
    kit.survey.save()
    consent = question(kit, kind="yes_no", purpose="consent")
    consent.save()
    kit.survey.is_anonymous = True

    assert errors_of(kit.survey)["is_anonymous"][0].startswith(
        "An anonymous survey cannot ask for priorities"
    )


def test_a_survey_closes_after_it_opens_and_follows_a_webinar_or_series(db):
    opens = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    survey = Survey(slug="answer", title="T", opens_at=opens, closes_at=opens)

    assert errors_of(survey) == {
        "slug": ["This address is used by the portal itself; choose another slug."],
        "webinar": ["Choose the webinar the survey follows, or the series it is about."],
        "closes_at": ["A survey must close after it opens."],
    }
    survey = Survey(
        slug="fine", title="T", webinar=webinar(), opens_at=opens, closes_at=opens + dt.timedelta(1)
    )
    survey.full_clean()
