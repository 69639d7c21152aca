"""survey_results and the survey list: who sees what, and a constant number of queries."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from surveys.models import Question
from surveys.selectors import people_wanting_training, survey_list, survey_problems, survey_results
from surveys.services import response_submit
from tests import factories

from .builders import approve_official, build_survey

pytestmark = pytest.mark.django_db


def answer(kit, *, count: int, country=None, **overrides):
    for _ in range(count):
        response_submit(
            survey=kit.survey,
            respondent=factories.person(),
            city=factories.city(country_=country) if country else factories.city(),
            answers=kit.answers(**overrides),
            language="en",
        )


def test_results_of_unpublished_survey_are_for_staff_only(kit, staff_user, django_user_model):
    answer(kit, count=1)
    official = django_user_model.objects.create_user(username="official", password="x")

    for user in (AnonymousUser(), official):
        with pytest.raises(PermissionDenied):
            survey_results(survey=kit.survey, user=user)
    assert survey_results(survey=kit.survey, user=staff_user).response_count == 1


def test_published_results_hide_free_text_and_cities_from_the_public(kit, staff_user):
    answer(kit, count=2, areas="Call our director on +52 ...")
    kit.survey.results_published = True
    kit.survey.save()

    public = survey_results(survey=kit.survey, user=AnonymousUser())
    staff_public = survey_results(survey=kit.survey, user=staff_user, public=True)
    staff = survey_results(survey=kit.survey, user=staff_user)

    areas = kit.questions["areas"].order
    assert (public.question(areas).free_text, public.by_city, public.includes_details) == ((), (), False)
    assert staff_public == public
    assert [answer.text for answer in staff.question(areas).free_text] == ["Call our director on +52 ..."] * 2
    assert len(staff.by_city) == 2


def test_anonymous_survey_results_never_show_free_text_or_cities_even_to_staff(staff_user):
    kit = build_survey(is_anonymous=True)
    answer(kit, count=2, areas="Something personal")

    results = survey_results(survey=kit.survey, user=staff_user)

    assert results.question(kit.questions["areas"].order).free_text == ()
    assert results.by_city == ()
    assert results.city_count == 2
    with pytest.raises(PermissionDenied):
        survey_results(survey=kit.survey, user=staff_user, city=factories.city())


def test_results_by_country_count_only_that_country(kit, staff_user):
    brazil = factories.country(iso_code="BR", name="Brazil")
    answer(kit, count=2)
    answer(kit, count=1, country=brazil, satisfied=False)

    results = survey_results(survey=kit.survey, user=staff_user, country=brazil)

    assert results.response_count == 1
    assert results.question(1).counts == {"Yes": 0, "No": 1}
    assert results.filters == {"country": "BR"}
    with pytest.raises(PermissionDenied):
        survey_results(survey=kit.survey, user=staff_user, country=brazil, public=True)


def test_results_in_spanish_use_the_spanish_texts(kit, staff_user):
    answer(kit, count=1)

    with translation.override("es"):
        results = survey_results(survey=kit.survey, user=staff_user)

    assert results.question(3).text == "¿Pregunta sobre priorities?"
    assert results.question(3).counts == {"Turismo": 1, "Transporte": 1, "Pymes": 0}
    assert results.question(1).counts == {"Sí": 1, "No": 0}


@pytest.mark.parametrize("response_count", [1, 12])
def test_survey_results_takes_five_queries_whatever_the_number_of_responses(
    kit, staff_user, django_assert_num_queries, response_count
):
    answer(kit, count=response_count)

    with django_assert_num_queries(5):
        results = survey_results(survey=kit.survey, user=staff_user)

    assert results.response_count == response_count


def test_survey_list_shows_published_results_to_everyone_and_open_surveys_to_officials(
    django_user_model, staff_user
):
    now = timezone.now()
    published = build_survey(slug="published", results_published=True, closes_at=now + dt.timedelta(days=1))
    open_survey = build_survey(slug="open-survey")
    build_survey(
        slug="closed-unpublished", opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1)
    )
    official = django_user_model.objects.create_user(username="official", password="x")
    approve_official(official, factories.city())
    stranger = django_user_model.objects.create_user(username="stranger", password="x")

    listed = {
        name: sorted(survey.slug for survey in survey_list(user=user))
        for name, user in [
            ("public", AnonymousUser()),
            ("stranger", stranger),
            ("official", official),
            ("staff", staff_user),
        ]
    }

    assert listed == {
        "public": ["published"],
        "stranger": ["published"],
        "official": sorted([published.survey.slug, open_survey.survey.slug]),
        "staff": ["closed-unpublished", "open-survey", "published"],
    }


def test_survey_problems_name_choice_questions_without_options(kit):
    kit.questions["format"].options.all().delete()

    assert survey_problems(survey=kit.survey) == ["Question 8 needs options to choose from."]


def test_people_wanting_training_are_those_who_said_yes(kit):
    training = Question.objects.create(
        survey=kit.survey,
        order=9,
        kind=Question.Kind.YES_NO,
        text="Training?",
        purpose="training",
        required=False,
    )
    keen, reluctant = factories.person(full_name="Keen"), factories.person(full_name="Reluctant")
    for person, yes in ((keen, True), (reluctant, False)):
        response_submit(
            survey=kit.survey,
            respondent=person,
            city=None,
            answers={**kit.answers(), training.pk: yes},
            language="en",
        )

    assert [person.full_name for person in people_wanting_training(survey=kit.survey)] == ["Keen"]
