"""The beat job: whatever is due is sent, whatever was lost is found again.

Run every ``INVITATIONS_DISPATCH_SECONDS`` by Celery beat (``partnerships.dispatch_invitations``), or by
``manage.py dispatch_invitations`` where there is no beat (the embedded default). Each step is a few
set-based queries and safe to run at any time, concurrently with itself and with the workers.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from surveys.models import Response
from travelsouth.queueing import waiting_messages

from ..lifecycle import approvals_expire
from ..models import Invitation, Partnership, Proposal, TimelineEvent
from ..timeline import TimelineEntry, timeline_record_many
from .delivery import invitations_recover_stuck
from .outreach import staff_digest_create
from .queueing import queue_sends_after_commit
from .selectors import invitation_settings
from .services import survey_invitations_create

QUEUE_BATCH = 1000


@dataclass
class DispatchSummary:
    assumed_sent: int = 0
    failed_lost: int = 0
    returned: int = 0
    graced: int = 0
    surveys_answered: int = 0
    survey_invitations: int = 0
    expired: int = 0
    reminders: int = 0
    approvals_expired: int = 0
    staff_digests: int = 0
    queued: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _awaiting_answer(*, now: dt.datetime) -> QuerySet[Invitation]:
    """Sent invitations still waiting for an answer whose cause is still open, with how many reminders
    they had and when the person last heard from us."""
    cause_open = (
        Q(kind=Invitation.Kind.INTRODUCTION, proposal__status=Proposal.Status.APPROVED)
        | Q(kind=Invitation.Kind.SURVEY, survey_invitee__survey__closes_at__gt=now)
        | (Q(kind=Invitation.Kind.CHECK_IN) & ~Q(partnership__status=Partnership.Status.CLOSED))
    )
    return (
        Invitation.objects.filter(cause_open, status=Invitation.Status.SENT)
        .annotate(
            reminder_count=Count("reminders"),
            last_contact_at=Coalesce(Max("reminders__created_at"), "sent_at"),
        )
        .order_by("id")
    )


@transaction.atomic
def survey_invitations_mark_answered(*, now: dt.datetime) -> int:
    """A survey invitation whose person has responded is answered: no reminder, and staff see it."""
    responded = Response.objects.filter(
        survey=OuterRef("survey_invitee__survey"), respondent=OuterRef("person")
    )
    return (
        Invitation.objects.filter(kind=Invitation.Kind.SURVEY, status=Invitation.Status.SENT)
        .filter(Exists(responded))
        .update(
            status=Invitation.Status.ANSWERED,
            answer=Invitation.Answer.RESPONDED,
            answered_at=now,
            updated_at=now,
        )
    )


@transaction.atomic
def reminders_create(*, now: dt.datetime) -> int:
    """A reminder for each invitation unanswered for the staff-set days, up to the staff-set number.

    Rows are due at once, and queued by this same beat run. A reminder is numbered, and the number is
    unique per invitation, so two runs at once cannot remind twice.
    """
    values = invitation_settings()
    if not values.max_reminders:
        return 0
    waiting = _awaiting_answer(now=now).filter(
        reminder_count__lt=values.max_reminders,
        last_contact_at__lte=now - dt.timedelta(days=values.reminder_after_days),
    )
    reminders = [
        Invitation(
            kind=Invitation.Kind.REMINDER,
            reminder_of_id=original.pk,
            reminder_number=original.reminder_count + 1,
            person_id=original.person_id,
            city_id=original.city_id,
            proposal_id=original.proposal_id,
            partnership_id=original.partnership_id,
            survey_invitee_id=original.survey_invitee_id,
            due_at=now,
        )
        for original in waiting
    ]
    Invitation.objects.bulk_create(reminders, ignore_conflicts=True)
    return len(reminders)


@transaction.atomic
def invitations_expire(*, now: dt.datetime) -> int:
    """Invitations still unanswered after every reminder and the staff-set days expire, and so do survey
    invitations whose survey has closed: their links stop working. Staff see expired introductions in
    the proposal's timeline."""
    values = invitation_settings()
    waited_out = _awaiting_answer(now=now).filter(
        reminder_count__gte=values.max_reminders,
        last_contact_at__lte=now - dt.timedelta(days=values.expire_after_days),
    )
    survey_closed = Invitation.objects.filter(
        kind=Invitation.Kind.SURVEY, status=Invitation.Status.SENT, survey_invitee__survey__closes_at__lte=now
    )
    expiring = list(
        Invitation.objects.filter(Q(pk__in=waited_out.values("pk")) | Q(pk__in=survey_closed.values("pk")))
        .select_related("person", "city")
        .order_by("id")
    )
    if not expiring:
        return 0
    ids = [invitation.pk for invitation in expiring]
    expired = Invitation.objects.filter(pk__in=ids, status=Invitation.Status.SENT).update(
        status=Invitation.Status.EXPIRED, updated_at=now
    )
    Invitation.objects.filter(reminder_of__in=ids).not_handed_over().close(
        reason=Invitation.CloseReason.ALREADY_ANSWERED, now=now
    )
    timeline_record_many(
        TimelineEntry(
            kind=TimelineEvent.Kind.INVITATION_EXPIRED,
            proposal_id=invitation.proposal_id,
            at=now,
            data={
                "invitation": invitation.pk,
                "person": invitation.person.full_name,
                "city": invitation.city_id,
            },
        )
        for invitation in expiring
        if invitation.kind == Invitation.Kind.INTRODUCTION
    )
    return expired


@transaction.atomic
def invitations_queue_due(*, now: dt.datetime, limit: int = QUEUE_BATCH) -> int:
    """Queue every pending invitation that is due and was never queued (reminders, check-ins, retries,
    rows returned by recovery, rows the broker was down for), and those queued long ago but still
    pending, whose broker message was lost (a Redis restart, a dead worker's reserved messages).

    Rows queued before are queued again only while the broker's queue is short: a long queue still
    holds their messages, and queueing them again would only lengthen it. Rows another run is
    queueing are skipped (``skip_locked``); a row queued twice is still sent once."""
    pending_due = (
        Invitation.objects.filter(status=Invitation.Status.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .select_for_update(skip_locked=True)
    )
    due = list(pending_due.filter(last_queued_at__isnull=True).values_list("pk", flat=True)[:limit])
    room = limit - len(due) - (waiting_messages() if len(due) < limit else 0)
    if room > 0:
        requeue_before = now - dt.timedelta(seconds=settings.INVITATIONS_REQUEUE_AFTER_SECONDS)
        due += pending_due.filter(last_queued_at__lte=requeue_before).values_list("pk", flat=True)[:room]
    Invitation.objects.filter(pk__in=due).update(last_queued_at=now)
    queue_sends_after_commit(due)
    return len(due)


def invitations_dispatch(*, now: dt.datetime | None = None) -> DispatchSummary:
    """The periodic job: recover lost sends, open surveys' invitations, answers, expiry, reminders,
    approvals that waited too long for a contact, and queue all that is due.

    Side effects: invitation rows created and updated; after each step's commit, one send task per
    invitation queued.
    """
    now = now or timezone.now()
    summary = DispatchSummary(**invitations_recover_stuck(now=now))
    summary.surveys_answered = survey_invitations_mark_answered(now=now)
    summary.survey_invitations = survey_invitations_create(now=now)
    summary.expired = invitations_expire(now=now)
    summary.reminders = reminders_create(now=now)
    summary.approvals_expired = approvals_expire(now=now)
    summary.staff_digests = staff_digest_create(now=now)
    summary.queued = invitations_queue_due(now=now)
    return summary
