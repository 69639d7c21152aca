"""E-mails that are not about one proposal: asking a person for consent (a double opt-in), telling a
person staff's decision on their request, the staff's digest of requests awaiting review, and what
happens to a person's invitations when they withdraw consent.

These kinds answer a person's request or ask for consent, so they are sent without the consent to
partnership contact that every other kind needs (``Invitation.TRANSACTIONAL_KINDS``); never to a
placeholder person.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cities.models import City, CityMembership, Person, ReviewStatus
from cities.services import person_consent_give

from ..models import NEEDS_CONSENT, Invitation, InvitationSettings, Proposal, TimelineEvent
from ..timeline import timeline_record
from .services import InvitationClosed, _create, invitation_answer_record


def consent_request_send(
    *, person: Person, by: AbstractBaseUser | None, proposal: Proposal | None = None
) -> Invitation | None:
    """Ask ``person`` by e-mail whether they agree to be contacted (a double opt-in: nothing else is
    sent to them until they follow the e-mail's link and confirm). At most one open request per person:
    a request still waiting is returned as it is. None when the person cannot be asked (no address, a
    placeholder, or they already agreed).

    Side effects: after commit, the e-mail is sent; on ``proposal``'s timeline, in ``by``'s name.
    """
    if not person.email or person.is_reconstructed or person.has_contact_consent:
        return None
    waiting = (
        Invitation.objects.filter(
            kind=Invitation.Kind.CONSENT_REQUEST,
            person=person,
            status__in=(*Invitation.OPEN_FOR_SENDING, Invitation.Status.SENT),
        )
        .order_by("-created_at")
        .first()
    )
    if waiting is not None:
        return waiting
    now = timezone.now()
    [request] = _create(
        [
            Invitation(
                kind=Invitation.Kind.CONSENT_REQUEST,
                person=person,
                city_id=person.city_id,
                proposal=proposal,
                due_at=now,
                last_queued_at=now,
                created_by=by,
            )
        ]
    )
    if proposal is not None:
        timeline_record(
            proposal=proposal,
            kind=TimelineEvent.Kind.CONSENT_REQUESTED,
            by=by,
            at=now,
            data={"invitation": request.pk, "person": person.full_name, "city": person.city_id},
        )
    return request


@transaction.atomic
def consent_request_answer(*, invitation: Invitation, person: Person) -> Invitation:
    """``person`` confirms, through the link in a consent request, that they agree to be contacted.

    Raises InvitationClosed when the link is not theirs or the request is closed. Side effects: their
    consent is recorded with the request as its source (``person_consent_give``), which makes their
    city's waiting approvals move on (the change hook).
    """
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.kind != Invitation.Kind.CONSENT_REQUEST:
        raise InvitationClosed("wrong_link")
    if invitation.person_id != person.pk:
        raise InvitationClosed("wrong_person")
    if invitation.status == Invitation.Status.ANSWERED:
        raise InvitationClosed("used")
    on_its_way = invitation.status == Invitation.Status.SENDING and invitation.handed_over_at is not None
    if invitation.status != Invitation.Status.SENT and not on_its_way:
        raise InvitationClosed(invitation.closed_reason or "closed")
    now = timezone.now()
    invitation_answer_record(invitation, answer=Invitation.Answer.CONSENTED, now=now)
    person_consent_give(person=person, source=f"consent request e-mail (invitation #{invitation.pk})", at=now)
    return invitation


def invitations_cancel_for_person(*, person: Person, at: dt.datetime | None = None) -> int:
    """``person`` withdrew their consent to be contacted: everything not yet handed to the mail server
    for them is cancelled, in the withdrawing transaction (the receiver of cities' ``consent_withdrawn``
    hook, connected in PartnershipsConfig.ready). Replies to their own requests (TRANSACTIONAL_KINDS)
    still go. A worker sending to them right now can no longer hand its message over (delivery.py).
    Returns how many rows were cancelled."""
    return (
        Invitation.objects.filter(NEEDS_CONSENT, person=person)
        .not_handed_over()
        .close(reason=Invitation.CloseReason.NO_CONSENT, now=at or timezone.now())
    )


def membership_decision_email_create(*, membership: CityMembership) -> Invitation | None:
    """Staff decided on a membership request: the decision e-mail to the requester is written to the
    outbox in the deciding transaction and queued after it commits (the receiver of cities'
    ``membership_decided`` hook). One per membership, whatever happens to the request afterwards."""
    person = Person.objects.filter(user_id=membership.user_id).first()
    if (
        person is None
        or Invitation.objects.filter(kind=Invitation.Kind.MEMBERSHIP_DECISION, membership=membership).exists()
    ):
        return None
    now = timezone.now()
    created = _create(
        [
            Invitation(
                kind=Invitation.Kind.MEMBERSHIP_DECISION,
                person=person,
                city_id=membership.city_id,
                membership=membership,
                due_at=now,
                last_queued_at=now,
                created_by_id=membership.decided_by_id,
            )
        ]
    )
    return created[0]


def brokering_staff():
    """The staff who decide on requests to act for a city: active staff with the permission to change
    memberships (or superusers), who have an address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="change_citymembership")
            | Q(groups__permissions__codename="change_citymembership")
        )
        .distinct()
        .order_by("pk")
    )


def _staff_person(user: AbstractBaseUser) -> Person:
    """The person record through which the outbox writes to a staff member (made on first need)."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    person = Person(
        user=user,
        email=user.email if not Person.objects.filter(email__iexact=user.email).exists() else "",
        full_name=user.get_full_name() or user.get_username(),
        slug=f"staff-{user.pk}",
    )
    person.full_clean(exclude=["city", "organisation"])
    person.save()
    return person


@transaction.atomic
def staff_digest_create(*, now: dt.datetime | None = None) -> int:
    """At most once every staff-set hours: if membership requests or proposed cities arrived since the
    last digest, one e-mail to each brokering staff member listing what awaits review. Returns how many
    digests were written (the beat job calls this; two beats at once write one, by a conditional
    update of the last digest's time)."""
    now = now or timezone.now()
    values, _created = InvitationSettings.objects.select_for_update().get_or_create(pk=1)
    since = values.last_staff_digest_at
    if since is not None and now - since < dt.timedelta(hours=values.staff_digest_every_hours):
        return 0
    window_start = since or now - dt.timedelta(hours=values.staff_digest_every_hours)
    InvitationSettings.objects.filter(pk=1).update(last_staff_digest_at=now)
    new_requests = (
        CityMembership.objects.filter(
            status=CityMembership.Status.PENDING, created_at__gt=window_start
        ).exists()
        or City.objects.filter(review_status=ReviewStatus.PENDING, created_at__gt=window_start).exists()
    )
    if not new_requests:
        return 0
    digests = [
        Invitation(
            kind=Invitation.Kind.STAFF_DIGEST,
            person=person,
            due_at=now,
            last_queued_at=now,
            answer_data={"since": window_start.isoformat()},
        )
        for person in (_staff_person(user) for user in brokering_staff())
        if person.email
    ]
    return len(_create(digests))
