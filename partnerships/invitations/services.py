"""Writing invitations: created in the same transaction as their cause, queued only after it commits.

Only people who agreed to be contacted and have an address are ever given an invitation, and consent
is checked again at the moment of sending (delivery.py).
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cities.models import Person
from cities.services import person_consent_withdraw
from surveys.models import SurveyInvitee

from ..models import Invitation, Partnership, Proposal, TimelineEvent, TrainingWorkshop
from .queueing import queue_sends_after_commit
from .selectors import CONTACTABLE, city_contacts, invitation_settings, training_candidates

RELATION_FIELDS = ["person", "city", "proposal", "partnership", "survey_invitee", "workshop", "reminder_of"]


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
    already_invited = set(
        Invitation.objects.filter(proposal=proposal, kind=Invitation.Kind.INTRODUCTION).values_list(
            "person_id", flat=True
        )
    )
    invitations = []
    for city in (proposal.city_a, proposal.city_b):
        contacts = list(city_contacts(city=city))
        if not contacts:
            TimelineEvent.objects.create(
                proposal=proposal,
                at=now,
                actor_label="Travel South",
                kind=TimelineEvent.Kind.NO_CONTACT,
                message=f"{city}: nobody who agreed to be contacted; this city was not invited.",
            )
        invitations += [
            Invitation(
                kind=Invitation.Kind.INTRODUCTION,
                person=person,
                city=city,
                proposal=proposal,
                due_at=now,
                last_queued_at=now,
            )
            for person in contacts
            if person.pk not in already_invited
        ]
    created = _create(invitations)
    if created:
        TimelineEvent.objects.create(
            proposal=proposal,
            at=now,
            actor_label="Travel South",
            kind=TimelineEvent.Kind.INVITATIONS_CREATED,
            message="Invited: " + ", ".join(f"{i.person} ({i.city})" for i in created),
            data={"invitations": [i.pk for i in created]},
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


def check_ins_create(*, partnership: Partnership, people: Iterable[Person]) -> list[Invitation]:
    """Schedule the check-ins after a partnership forms: due times are columns, sent by the beat job."""
    values = invitation_settings()
    invitations = [
        Invitation(
            kind=Invitation.Kind.CHECK_IN,
            person=person,
            city_id=person.city_id,
            partnership=partnership,
            proposal_id=partnership.proposal_id,
            check_in_after_days=days,
            due_at=partnership.formed_at + dt.timedelta(days=days),
        )
        for person in people
        for days in (values.first_check_in_days, values.second_check_in_days)
    ]
    return _create(invitations, queue=False)


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
            partnership=partnership,
            due_at=now,
            last_queued_at=now,
        )
        for person, city_id in recipients
        if person.pk in contactable
    ]
    return _create(invitations)


@transaction.atomic
def invitations_cancel_for_person(*, person: Person, now: dt.datetime | None = None) -> int:
    """Cancel everything not yet handed to the mail server for ``person``. Returns how many rows."""
    now = now or timezone.now()
    return (
        Invitation.objects.filter(person=person)
        .not_handed_over()
        .close(reason=Invitation.CloseReason.NO_CONSENT, now=now)
    )


@transaction.atomic
def contact_consent_withdraw(*, person: Person, source: str, at: dt.datetime | None = None) -> int:
    """``person`` withdraws their consent to be contacted: recorded, and all that is pending for them is
    cancelled at once, in the same transaction. Returns how many invitations were cancelled.

    Every door that withdraws consent (the link in e-mails, the officials' consent page and interest
    form, a "no" to a survey's consent question) goes through here. A worker sending to them right now
    can no longer hand its message over (delivery.py).
    """
    person_consent_withdraw(person=person, source=source, at=at)
    return invitations_cancel_for_person(person=person)


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
        _staff_timeline(invitation, TimelineEvent.Kind.INVITATION_CANCELLED, by=by, now=now, verb="cancelled")
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
        _staff_timeline(invitation, TimelineEvent.Kind.INVITATION_RESENT, by=by, now=now, verb="sent again")
        queue_sends_after_commit([invitation.pk])
    return bool(resent)


def _staff_timeline(
    invitation: Invitation, kind: str, *, by: AbstractBaseUser | None, now, verb: str
) -> None:
    """A staff action on an introduction, in its proposal's timeline (other invitations have none)."""
    if invitation.proposal_id is None:
        return
    person = invitation.person.full_name
    TimelineEvent.objects.create(
        proposal_id=invitation.proposal_id,
        at=now,
        actor=by,
        actor_label=TimelineEvent.label_of(by),
        kind=kind,
        message=f"Invitation to {person} {verb}.",
        data={"invitation": invitation.pk, "person": person},
    )
