"""Answers to invitations: a city accepts or declines a proposal, a partnership forms, a check-in is reported.

Every answer locks the proposal first and then the invitations, always in that order, so answers
from two cities (or two colleagues) at once are serialised and cannot deadlock.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cities.models import City, Person

from ..models import NOT_HANDED_OVER, Invitation, Partnership, Proposal, TimelineEvent
from ..services import partnership_create
from .services import RELATION_FIELDS, check_ins_create, notices_create


class InvitationClosed(Exception):
    """The invitation can no longer be answered; ``reason`` says why, for the page that shows it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _check_answerable(invitation: Invitation, *, person: Person, kind: str) -> None:
    if invitation.person_id != person.pk:
        raise InvitationClosed("wrong_person")
    if invitation.kind != kind:
        raise InvitationClosed("wrong_link")
    if invitation.status == Invitation.Status.ANSWERED:
        raise InvitationClosed("used")
    if invitation.status == Invitation.Status.EXPIRED:
        raise InvitationClosed("expired")
    # A fast reader may answer between the hand-over and the worker recording "sent".
    on_its_way = invitation.status == Invitation.Status.SENDING and invitation.handed_over_at is not None
    if invitation.status != Invitation.Status.SENT and not on_its_way:
        raise InvitationClosed(invitation.closed_reason or "closed")


def _close_open_invitations(invitations: QuerySet[Invitation], *, reason: str, now: dt.datetime) -> None:
    """Close what still waits: unsent rows and their reminders are cancelled, and sent ones no longer
    take an answer. A message already handed to the mail server is left to finish."""
    Invitation.objects.filter(reminder_of__in=invitations).not_handed_over().close(reason=reason, now=now)
    invitations.filter(NOT_HANDED_OVER | Q(status=Invitation.Status.SENT)).close(reason=reason, now=now)


@transaction.atomic
def invitation_answer(
    *, invitation: Invitation, person: Person, accept: bool, reason: str = ""
) -> Invitation:
    """``person`` answers a partnership introduction for their city: accept or decline (with a reason).

    Raises InvitationClosed if the invitation was already answered, expired, closed, or is not theirs.
    Side effects: those of proposal_accept_by_city or proposal_decline_by_city.
    """
    proposal = Proposal.objects.select_for_update().get(pk=invitation.proposal_id)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("person", "city")
        .get(pk=invitation.pk)
    )
    _check_answerable(invitation, person=person, kind=Invitation.Kind.INTRODUCTION)
    if accept:
        proposal_accept_by_city(proposal=proposal, invitation=invitation)
    else:
        proposal_decline_by_city(proposal=proposal, invitation=invitation, reason=reason)
    invitation.refresh_from_db()
    return invitation


def _city_answer(proposal: Proposal, city: City) -> str:
    return (
        Invitation.objects.filter(proposal=proposal, kind=Invitation.Kind.INTRODUCTION, city=city)
        .exclude(answer="")
        .values_list("answer", flat=True)
        .first()
        or ""
    )


def _record_answer(
    invitation: Invitation, *, answer: str, note: str = "", data=None, now: dt.datetime
) -> None:
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


@transaction.atomic
def proposal_accept_by_city(*, proposal: Proposal, invitation: Invitation) -> Proposal:
    """``invitation``'s city accepts ``proposal``. When the other city has accepted too, the partnership forms.

    Side effects: the city's other invitations to this proposal are closed (a colleague answered);
    a timeline event; partnership_form's side effects when both have accepted.
    """
    now = timezone.now()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.APPROVED:
        raise InvitationClosed(Invitation.CloseReason.PROPOSAL_CLOSED)
    city = invitation.city
    if _city_answer(proposal, city):
        raise InvitationClosed(Invitation.CloseReason.CITY_ANSWERED)
    _record_answer(invitation, answer=Invitation.Answer.ACCEPTED, now=now)
    colleagues = Invitation.objects.filter(
        proposal=proposal, kind=Invitation.Kind.INTRODUCTION, city=city
    ).exclude(pk=invitation.pk)
    _close_open_invitations(colleagues, reason=Invitation.CloseReason.CITY_ANSWERED, now=now)
    TimelineEvent.objects.create(
        proposal=proposal,
        at=now,
        actor_label=f"{invitation.person} ({city})",
        kind=TimelineEvent.Kind.CITY_ACCEPTED,
        message=f"{city} accepted the proposal.",
        data={"invitation": invitation.pk, "city": city.pk},
    )
    other_city = proposal.city_b if city.pk == proposal.city_a_id else proposal.city_a
    if _city_answer(proposal, other_city) == Invitation.Answer.ACCEPTED:
        partnership_form(proposal=proposal)
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def proposal_decline_by_city(*, proposal: Proposal, invitation: Invitation, reason: str = "") -> Proposal:
    """``invitation``'s city declines ``proposal``: the proposal is declined and closed for everyone.

    Side effects: a timeline event with the city's reason (for staff only); every open invitation and
    reminder of the proposal is closed; the other city's invited contacts get a polite notice after
    commit (the reason is not passed on).
    """
    now = timezone.now()
    declined = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.APPROVED).update(
        status=Proposal.Status.DECLINED, updated_at=now
    )
    if not declined:
        raise InvitationClosed(Invitation.CloseReason.PROPOSAL_CLOSED)
    city = invitation.city
    _record_answer(invitation, answer=Invitation.Answer.DECLINED, note=reason, now=now)
    introductions = Invitation.objects.filter(proposal=proposal, kind=Invitation.Kind.INTRODUCTION)
    _close_open_invitations(
        introductions.exclude(pk=invitation.pk), reason=Invitation.CloseReason.PROPOSAL_CLOSED, now=now
    )
    TimelineEvent.objects.create(
        proposal=proposal,
        at=now,
        actor_label=f"{invitation.person} ({city})",
        kind=TimelineEvent.Kind.CITY_DECLINED,
        message=reason or f"{city} declined without giving a reason.",
        data={"invitation": invitation.pk, "city": city.pk, "reason": reason},
    )
    other_city_id = proposal.city_b_id if city.pk == proposal.city_a_id else proposal.city_a_id
    told = introductions.filter(city_id=other_city_id, sent_at__isnull=False).select_related("person")
    notices_create(
        kind=Invitation.Kind.PROPOSAL_DECLINED,
        proposal=proposal,
        recipients=[(other.person, other_city_id) for other in told],
        now=now,
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def partnership_form(*, proposal: Proposal) -> Partnership:
    """Both cities accepted: the proposal becomes a partnership.

    Side effects: approved -> accepted; the partnership with the proposal's themes; timeline events on
    both; a notice to each city's accepting contact (queued after commit) introducing the other; the
    check-ins (30 and 90 days by default) scheduled as due rows for the beat job.
    """
    now = timezone.now()
    accepted = Invitation.objects.filter(
        proposal=proposal, kind=Invitation.Kind.INTRODUCTION, answer=Invitation.Answer.ACCEPTED
    ).select_related("person")
    accepting = {invitation.city_id: invitation for invitation in accepted}
    if set(accepting) != {proposal.city_a_id, proposal.city_b_id}:
        raise InvitationClosed("not_both_accepted")
    if not Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.APPROVED).update(
        status=Proposal.Status.ACCEPTED, updated_at=now
    ):
        raise InvitationClosed(Invitation.CloseReason.PROPOSAL_CLOSED)
    partnership = partnership_create(proposal=proposal, formed_at=now)
    TimelineEvent.objects.create(
        proposal=proposal,
        at=now,
        actor_label="Travel South",
        kind=TimelineEvent.Kind.PARTNERSHIP_FORMED,
        message="Both cities accepted: the partnership is formed.",
    )
    people = [(invitation.person, city_id) for city_id, invitation in accepting.items()]
    notices_create(
        kind=Invitation.Kind.PARTNERSHIP_FORMED,
        proposal=proposal,
        partnership=partnership,
        recipients=people,
        now=now,
    )
    check_ins_create(partnership=partnership, people=[person for person, _ in people])
    return partnership


@transaction.atomic
def check_in_answer(
    *, invitation: Invitation, person: Person, progress: str, activities: str = "", outcomes: str = ""
) -> Invitation:
    """``person`` reports how their partnership is going. Recorded on the invitation and, for staff,
    in the partnership's timeline. Raises InvitationClosed if already answered, expired or not theirs."""
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("city").get(pk=invitation.pk)
    )
    _check_answerable(invitation, person=person, kind=Invitation.Kind.CHECK_IN)
    report = {"progress": progress, "activities": activities, "outcomes": outcomes}
    _record_answer(invitation, answer=Invitation.Answer.REPORTED, data=report, now=now)
    TimelineEvent.objects.create(
        partnership_id=invitation.partnership_id,
        at=now,
        actor_label=f"{person} ({invitation.city})",
        kind=TimelineEvent.Kind.CHECK_IN,
        message=f"Check-in after {invitation.check_in_after_days} days: {progress}. {outcomes}".strip(),
        data={**report, "invitation": invitation.pk, "after_days": invitation.check_in_after_days},
    )
    invitation.refresh_from_db()
    return invitation
