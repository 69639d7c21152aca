"""Writing invitations: created in the same transaction as their cause, queued only after it commits.

Only people who agreed to be contacted and have an address are ever given an invitation, and consent
is checked again at the moment of sending (delivery.py).
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cities.models import Person
from surveys.models import SurveyInvitee

from ..models import (
    NOT_HANDED_OVER,
    CheckIn,
    Invitation,
    Partnership,
    Proposal,
    TimelineEvent,
    TrainingWorkshop,
)
from ..timeline import timeline_record
from .queueing import queue_sends_after_commit
from .selectors import CONTACTABLE, city_contacts, invitation_settings, training_candidates

RELATION_FIELDS = [
    "person",
    "city",
    "proposal",
    "partnership",
    "survey_invitee",
    "workshop",
    "membership",
    "reminder_of",
]


class InvitationClosed(Exception):
    """The invitation can no longer be answered; ``reason`` says why, for the page that shows it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _create(invitations: list[Invitation], *, queue: bool = True) -> list[Invitation]:
    """Validate and insert; queue each send after commit unless the beat job will pick the rows up.

    Field validation runs here; foreign keys and the uniqueness and consistency rules are the
    database's constraints, checked by the insert itself (per-row validation queries would cost six
    queries an invitation when a survey opens for hundreds of invitees).
    """
    for invitation in invitations:
        invitation.full_clean(exclude=RELATION_FIELDS, validate_unique=False, validate_constraints=False)
    created = Invitation.objects.bulk_create(invitations)
    if queue:
        queue_sends_after_commit(invitation.pk for invitation in created)
    return created


@transaction.atomic
def invitations_create_for_proposal(
    *, proposal: Proposal, now: dt.datetime | None = None
) -> list[Invitation]:
    """Introduce an approved proposal to the consenting contacts of both cities.

    Call it inside the approving transaction (``proposal_approve``). Side effects: after commit, one
    send task per invitation; a city without a contact we may write to gets a timeline note for staff.
    Contacts already introduced to this proposal are skipped, so calling it twice invites nobody twice.
    """
    now = now or timezone.now()
    already_invited = set(introductions_of(proposal).values_list("person_id", flat=True))
    invitations = []
    for city in (proposal.city_a, proposal.city_b):
        contacts = list(city_contacts(city=city))
        if not contacts:
            timeline_record(
                proposal=proposal, kind=TimelineEvent.Kind.NO_CONTACT, at=now, data={"city": city.pk}
            )
        invitations += [
            Invitation(
                kind=Invitation.Kind.INTRODUCTION,
                person=person,
                city=city,
                proposal=proposal,
                proposal_round=proposal.approval_round,
                due_at=now,
                last_queued_at=now,
            )
            for person in contacts
            if person.pk not in already_invited
        ]
    created = _create(invitations)
    if created:
        timeline_record(
            proposal=proposal,
            kind=TimelineEvent.Kind.INVITATIONS_CREATED,
            at=now,
            data={
                "invitations": [invitation.pk for invitation in created],
                "people": [[invitation.person.full_name, invitation.city_id] for invitation in created],
            },
        )
    return created


@transaction.atomic
def survey_invitations_create(*, now: dt.datetime | None = None) -> int:
    """Invite every contactable invitee of every open survey who has no survey invitation yet.

    Run by the beat job, so a survey's invitations go out when it opens, and an invitee added or
    consenting later is invited on the next run. The rows are due at once; the same beat run queues
    them. Idempotent: one survey invitation per invitee (a database constraint).
    """
    now = now or timezone.now()
    invited = Invitation.objects.filter(kind=Invitation.Kind.SURVEY, survey_invitee=OuterRef("pk"))
    invitees = (
        SurveyInvitee.objects.filter(survey__opens_at__lte=now, survey__closes_at__gt=now)
        .filter(person__in=Person.objects.filter(CONTACTABLE))
        .exclude(Exists(invited))
        .only("pk", "person_id", "city_id")
    )
    invitations = [
        Invitation(
            kind=Invitation.Kind.SURVEY,
            person_id=invitee.person_id,
            city_id=invitee.city_id,
            survey_invitee=invitee,
            due_at=now,
        )
        for invitee in invitees
    ]
    _create(invitations, queue=False)
    return len(invitations)


@transaction.atomic
def training_invitations_create(
    *, workshop: TrainingWorkshop, by: AbstractBaseUser | None = None, now: dt.datetime | None = None
) -> list[Invitation]:
    """Invite to ``workshop`` everyone who answered that they want future training workshops.

    Side effects: after commit, one send task per invitation. People already invited are skipped.
    """
    now = now or timezone.now()
    invitations = [
        Invitation(
            kind=Invitation.Kind.TRAINING,
            person=person,
            city_id=person.city_id,
            workshop=workshop,
            due_at=now,
            last_queued_at=now,
            created_by=by,
        )
        for person in training_candidates(workshop=workshop)
    ]
    return _create(invitations)


def check_ins_create(*, partnership: Partnership, people: Iterable[Person]) -> list[CheckIn]:
    """Schedule the check-ins after a partnership forms: for each city, one CheckIn per staff-set day
    (30, 90, 180 by default), and an e-mail asking it for each of ``people`` of that city, due then
    (due times are columns; the beat job sends them). Any official of the city can answer instead,
    from their dashboard."""
    values = invitation_settings()
    days_list = (values.first_check_in_days, values.second_check_in_days, values.third_check_in_days)
    people = list(people)
    check_ins = CheckIn.objects.bulk_create(
        [
            CheckIn(
                partnership=partnership,
                city_id=city_id,
                after_days=days,
                due_at=partnership.formed_at + dt.timedelta(days=days),
            )
            for city_id in (partnership.city_a_id, partnership.city_b_id)
            for days in days_list
        ]
    )
    invitations = [
        Invitation(
            kind=Invitation.Kind.CHECK_IN,
            person=person,
            city_id=check_in.city_id,
            partnership=partnership,
            proposal_id=partnership.proposal_id,
            check_in=check_in,
            check_in_after_days=check_in.after_days,
            due_at=check_in.due_at,
        )
        for check_in in check_ins
        for person in people
        if person.city_id == check_in.city_id
    ]
    _create(invitations, queue=False)
    return check_ins


def notices_create(
    *,
    kind: str,
    proposal: Proposal,
    recipients: Iterable[tuple[Person, int]],
    partnership: Partnership | None = None,
    now: dt.datetime,
) -> list[Invitation]:
    """Tell people what became of a proposal (partnership formed, proposal declined). Queued after commit.

    ``recipients`` are (person, city id) pairs; people we may no longer write to are left out.
    """
    recipients = list(recipients)
    contactable = set(
        Person.objects.filter(CONTACTABLE, pk__in=[person.pk for person, _ in recipients]).values_list(
            "pk", flat=True
        )
    )
    invitations = [
        Invitation(
            kind=kind,
            person=person,
            city_id=city_id,
            proposal=proposal,
            proposal_round=proposal.approval_round,
            partnership=partnership,
            due_at=now,
            last_queued_at=now,
        )
        for person, city_id in recipients
        if person.pk in contactable
    ]
    return _create(invitations)


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, by: AbstractBaseUser | None = None) -> bool:
    """Staff cancel an invitation that has not been handed to the mail server. False if it was too late.
    An introduction's cancellation lands in its proposal's timeline with ``by``'s name."""
    now = timezone.now()
    cancelled = Invitation.objects.filter(
        pk=invitation.pk,
        status__in=(*Invitation.OPEN_FOR_SENDING, Invitation.Status.FAILED),
        handed_over_at__isnull=True,
    ).close(reason=Invitation.CloseReason.STAFF, now=now)
    if cancelled:
        _staff_timeline(invitation, TimelineEvent.Kind.INVITATION_CANCELLED, by=by, now=now)
    return bool(cancelled)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: AbstractBaseUser | None = None) -> bool:
    """Staff send a failed or cancelled invitation again: it becomes pending with fresh attempts.

    Side effects: after commit, one send task. Consent and the cause are checked again when it is
    sent, so a resend never reaches someone who withdrew consent. False if the row was not failed or
    cancelled (a sent e-mail is never sent twice). An introduction's resend lands in its proposal's
    timeline with ``by``'s name.
    """
    now = timezone.now()
    resent = Invitation.objects.filter(
        pk=invitation.pk, status__in=(Invitation.Status.FAILED, Invitation.Status.CANCELLED)
    ).update(
        status=Invitation.Status.PENDING,
        attempts=0,
        retrying_since=None,
        due_at=now,
        last_queued_at=now,
        closed_reason="",
        handed_over_at=None,
        updated_at=now,
    )
    if resent:
        _staff_timeline(invitation, TimelineEvent.Kind.INVITATION_RESENT, by=by, now=now)
        queue_sends_after_commit([invitation.pk])
    return bool(resent)


def _staff_timeline(invitation: Invitation, kind: str, *, by: AbstractBaseUser | None, now) -> None:
    """A staff action on an introduction, in its proposal's timeline (other invitations have none)."""
    if invitation.proposal_id is None:
        return
    timeline_record(
        proposal=invitation.proposal,
        kind=kind,
        by=by,
        at=now,
        data={"invitation": invitation.pk, "person": invitation.person.full_name},
    )


# --- Answers: the invitations' side of a city's answer (the proposal's side is lifecycle.py) ------------


def introductions_of(proposal: Proposal) -> QuerySet[Invitation]:
    """The introductions of ``proposal``'s current approval round (an approval moved back or a proposal
    reopened starts a new round: earlier answers no longer count)."""
    return Invitation.objects.filter(
        proposal=proposal, kind=Invitation.Kind.INTRODUCTION, proposal_round=proposal.approval_round
    )


def city_answer(*, proposal: Proposal, city) -> str:
    """What ``city`` answered to ``proposal`` in this round (accepted, declined), or "" if nobody has."""
    return (
        introductions_of(proposal)
        .filter(city=city)
        .exclude(answer="")
        .values_list("answer", flat=True)
        .first()
        or ""
    )


def introductions_close(invitations: QuerySet[Invitation], *, reason: str, now: dt.datetime) -> None:
    """Close what still waits: unsent rows and their reminders are cancelled, and sent ones no longer
    take an answer. A message already handed to the mail server is left to finish."""
    Invitation.objects.filter(reminder_of__in=invitations).not_handed_over().close(reason=reason, now=now)
    invitations.filter(NOT_HANDED_OVER | Q(status=Invitation.Status.SENT)).close(reason=reason, now=now)


def invitation_answer_record(
    invitation: Invitation, *, answer: str, note: str = "", data=None, now: dt.datetime
) -> None:
    """Record ``answer`` on ``invitation`` (locked by the caller); its reminders still waiting are closed."""
    invitation.status = Invitation.Status.ANSWERED
    invitation.sent_at = invitation.sent_at or invitation.handed_over_at
    invitation.lease_id = ""
    invitation.lease_expires_at = None
    invitation.answer = answer
    invitation.answered_at = now
    invitation.answer_note = note
    invitation.answer_data = data or {}
    invitation.full_clean(exclude=RELATION_FIELDS)
    invitation.save(
        update_fields=[
            "status",
            "sent_at",
            "lease_id",
            "lease_expires_at",
            "answer",
            "answered_at",
            "answer_note",
            "answer_data",
            "updated_at",
        ]
    )
    Invitation.objects.filter(reminder_of=invitation).not_handed_over().close(
        reason=Invitation.CloseReason.ALREADY_ANSWERED, now=now
    )
