"""Retention: invitations that are over lose their personal data after INVITATION_RETENTION_MONTHS,
through the daily beat job; recent ones and ones still open keep it."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from partnerships.invitations.tasks import purge_invitation_personal_data
from partnerships.models import Invitation

from .builders import contact, proposal_with_contacts

pytestmark = pytest.mark.django_db


def invitation(*, status, age_days, person, proposal):
    row = Invitation.objects.create(
        kind=Invitation.Kind.INTRODUCTION,
        status=status,
        person=person,
        city=person.city,
        proposal=proposal,
        due_at=timezone.now(),
        sent_at=None if status == Invitation.Status.PENDING else timezone.now(),
        sent_to=person.email,
        answer_note="PERSONAL NOTE",
        answer_data={"phone": "+52 443 000"},
        last_error=f"550 refused {person.email}",
    )
    Invitation.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=age_days))
    return row


def test_the_daily_job_purges_old_finished_invitations_only(settings):
    settings.INVITATION_RETENTION_MONTHS = 12
    proposal, spanish, chinese = proposal_with_contacts()
    colleague = contact(city=spanish.city, full_name="Luis Pérez")
    old_answered = invitation(
        status=Invitation.Status.ANSWERED, age_days=400, person=spanish, proposal=proposal
    )
    old_pending = invitation(
        status=Invitation.Status.PENDING, age_days=400, person=chinese, proposal=proposal
    )
    recent = invitation(status=Invitation.Status.ANSWERED, age_days=30, person=colleague, proposal=proposal)

    purged = purge_invitation_personal_data.delay().get()
    again = purge_invitation_personal_data.delay().get()

    kept = {
        row.pk: (row.sent_to, row.answer_note, row.answer_data, row.last_error, row.status)
        for row in Invitation.objects.all()
    }
    assert (purged, again) == (1, 0)
    assert kept[old_answered.pk] == ("", "", {}, "", "answered")
    assert kept[old_pending.pk][1] == "PERSONAL NOTE"
    assert kept[recent.pk][0] == colleague.email


def test_the_job_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["partnerships.purge_invitation_personal_data"]

    assert entry["task"] == "partnerships.purge_invitation_personal_data"
    assert entry["schedule"] == 24 * 3600
    assert settings.CELERY_TASK_ROUTES[entry["task"]] == {"queue": "periodic"}
    assert settings.INVITATION_RETENTION_MONTHS == 24
