"""Nothing that records what people said or agreed to is deleted by accident: an answered survey is
closed instead, responses and consent events are read-only in the admin, a theme in use stays."""

import pytest
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from django.utils import timezone

from cities.models import ContactConsentEvent, GoodPractice, Theme
from cities.services import city_contact_add, good_practice_create, person_consent_give
from surveys.models import Answer, Response, ResponseRevision, Survey
from surveys.services import response_submit
from tests import factories
from tests.surveys.builders import build_survey, invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    kit = build_survey()
    invitee = invite(kit.survey, full_name="Ana Quispe")
    response = response_submit(
        survey=kit.survey, respondent=invitee.person, city=None, answers=kit.answers(), language="en"
    )
    # Answered twice: the first version is kept as a revision.
    response_submit(
        survey=kit.survey, respondent=invitee.person, city=None, answers=kit.answers(), language="en"
    )
    return kit.survey, response


def test_an_answered_survey_cannot_be_deleted_in_the_admin(staff_client, answered):
    survey, _ = answered
    answers = Answer.objects.count()

    page = staff_client.get(reverse("admin:surveys_survey_delete", args=[survey.pk]))
    posted = staff_client.post(reverse("admin:surveys_survey_delete", args=[survey.pk]), {"post": "yes"})
    bulk = staff_client.post(
        reverse("admin:surveys_survey_changelist"),
        {"action": "delete_selected", "_selected_action": [survey.pk], "post": "yes"},
    )

    assert (page.status_code, posted.status_code) == (403, 403)
    assert bulk.status_code in {200, 302}
    assert Survey.objects.filter(pk=survey.pk).exists()
    assert (Response.objects.count(), Answer.objects.count()) == (1, answers)


def test_an_answered_survey_cannot_be_deleted_by_any_door(answered):
    survey, _ = answered

    with pytest.raises(ProtectedError):
        survey.delete()


def test_an_unanswered_survey_can_still_be_deleted(staff_client):
    survey = build_survey().survey

    staff_client.post(reverse("admin:surveys_survey_delete", args=[survey.pk]), {"post": "yes"})

    assert not Survey.objects.filter(pk=survey.pk).exists()


def test_staff_close_an_answered_survey_instead(staff_client, answered):
    survey, _ = answered

    staff_client.post(
        reverse("admin:surveys_survey_changelist"),
        {"action": "close_surveys", "_selected_action": [survey.pk]},
    )

    survey.refresh_from_db()
    assert survey.closes_at <= timezone.now()
    assert Response.objects.filter(survey=survey).count() == 1


@pytest.mark.parametrize("model", [Response, Answer, ResponseRevision, ContactConsentEvent])
def test_responses_answers_and_consent_events_are_read_only_in_the_admin(staff_client, answered, model):
    person = city_contact_add(city=factories.city(), full_name="Li Wei", email="li@luoyang.example")
    person_consent_give(person=person, source="test")
    row = model.objects.first()
    opts = model._meta
    before = model.objects.count()

    deleted = staff_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk]), {"post": "yes"}
    )
    changed = staff_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]), {}
    )
    added = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))

    assert (deleted.status_code, changed.status_code, added.status_code) == (403, 403, 403)
    assert model.objects.count() == before


def test_a_theme_in_use_cannot_be_deleted_and_an_unused_one_can(staff_client):
    used, unused = factories.theme(), factories.theme()
    good_practice_create(city=factories.city(), title="Night tours", summary="S", themes=[used])

    refused = staff_client.post(reverse("admin:cities_theme_delete", args=[used.pk]), {"post": "yes"})
    staff_client.post(reverse("admin:cities_theme_delete", args=[unused.pk]), {"post": "yes"})

    assert refused.status_code == 403
    assert list(Theme.objects.values_list("pk", flat=True)) == [used.pk]
    assert list(GoodPractice.objects.get().themes.all()) == [used]
