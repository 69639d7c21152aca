"""Every door that withdraws consent cancels what is pending for that person at once."""

import datetime as dt

import pytest
from django.urls import reverse

from cities.services import person_consent_give
from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation
from surveys.models import Question
from surveys.services import response_submit
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db


def approve_without_sending(proposal, staff_user, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        proposal_approve(proposal=proposal, by=staff_user)


def test_withdrawing_on_the_officials_consent_page_cancels_pending_invitations(
    client, staff_user, django_capture_on_commit_callbacks
):
    proposal, _, _ = builders.proposal_with_contacts()
    account = factories.official(city_=proposal.city_a)
    official = person_consent_give(person=account.person, source="Interest form")
    approve_without_sending(proposal, staff_user, django_capture_on_commit_callbacks)
    client.force_login(account)

    client.post(reverse("officials:consent"), {"consent": "withdraw"})

    official.refresh_from_db()
    assert not official.has_contact_consent
    assert list(
        Invitation.objects.filter(person=official, kind=Invitation.Kind.INTRODUCTION).values_list(
            "status", "closed_reason"
        )
    ) == [("cancelled", "no_consent")]
    # The reply to her own membership request is not partnership contact: it still goes.
    assert list(
        Invitation.objects.filter(person=official, kind=Invitation.Kind.MEMBERSHIP_DECISION).values_list(
            "status", "closed_reason"
        )
    ) == [("pending", "")]


def test_a_no_to_the_survey_consent_question_cancels_pending_invitations(
    staff_user, django_capture_on_commit_callbacks
):
    proposal, spanish, _ = builders.proposal_with_contacts()
    survey = builders.survey()
    consent_question = Question.objects.create(
        survey=survey,
        order=1,
        kind=Question.Kind.YES_NO,
        text="May we contact you?",
        purpose=Question.Purpose.CONSENT,
    )
    approve_without_sending(proposal, staff_user, django_capture_on_commit_callbacks)

    response_submit(
        survey=survey,
        respondent=spanish,
        city=proposal.city_a,
        answers={consent_question.pk: False},
        language="es",
        at=survey.opens_at + dt.timedelta(hours=1),
    )

    spanish.refresh_from_db()
    assert not spanish.has_contact_consent
    assert list(Invitation.objects.filter(person=spanish).values_list("status", "closed_reason")) == [
        ("cancelled", "no_consent")
    ]
