"""City memberships: asking to act for a city, staff's decision, leaving."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..changes import city_changed, membership_decided
from ..models import (
    City,
    CityMembership,
    Country,
    Person,
    ReviewStatus,
)
from ._common import _save_new_with_unique_slug
from .people import official_person_save


def _open_membership_exists(*, user: AbstractBaseUser, city: City) -> bool:
    return CityMembership.objects.filter(
        user=user, city=city, status__in=[CityMembership.Status.PENDING, CityMembership.Status.APPROVED]
    ).exists()


@transaction.atomic
def membership_request(
    *,
    user: AbstractBaseUser,
    city: City,
    full_name: str,
    role: str,
    message: str = "",
    language: str | None = None,
) -> CityMembership:
    """Ask UNOSSC staff to let ``user`` act for ``city``. Nothing of the city is editable until approved.

    Also creates or updates the user's person record (name, position, language).
    """
    if city.review_status != ReviewStatus.APPROVED:
        raise ValidationError({"city": _("This city is not open for requests.")})
    if _open_membership_exists(user=user, city=city):
        raise ValidationError({"city": _("You have already asked to represent this city.")})
    official_person_save(user=user, full_name=full_name, title=role, language=language)
    membership = CityMembership(user=user, city=city, role=role, message=message)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def city_propose(
    *,
    user: AbstractBaseUser,
    name: str,
    kind: str,
    country: Country,
    website: str = "",
    full_name: str,
    role: str,
    message: str = "",
    language: str | None = None,
) -> CityMembership:
    """Add a city or local authority the portal does not know yet, for staff to review, and ask to act for it.

    The city stays hidden from every public page until staff approve it (``city_review_approve``).
    """
    if City.objects.filter(name__iexact=name.strip(), country=country).exists():
        raise ValidationError(
            {"name": _("This city is already listed: ask to represent it instead of adding it.")}
        )
    city = City(
        name=name.strip(),
        kind=kind,
        country=country,
        website=website,
        review_status=ReviewStatus.PENDING,
        source_note=f"Proposed by {user.email} on the portal",
    )
    _save_new_with_unique_slug(city, name, max_length=80)
    official_person_save(user=user, full_name=full_name, title=role, language=language)
    membership = CityMembership(user=user, city=city, role=role, message=message)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def city_review_approve(*, city: City, by: AbstractBaseUser) -> City:
    """Staff accept a proposed city: it appears on public pages and its requests can be approved.

    Side effects: after commit, the city's proposals are computed (a one-city matching refresh).
    """
    city = City.objects.select_for_update().get(pk=city.pk)
    if city.review_status == ReviewStatus.APPROVED:
        return city
    city.review_status = ReviewStatus.APPROVED
    city.save(update_fields=["review_status", "updated_at"])
    city_changed(city_id=city.pk)  # it joins the matching index, and gets proposals
    return city


@transaction.atomic
def city_review_reject(*, city: City, by: AbstractBaseUser, reason: str) -> City:
    """Staff refuse a proposed city. Its pending membership requests are rejected with the same reason.

    Side effects: a decision e-mail to each requester, after commit.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason: the requester will read it.")})
    city = City.objects.select_for_update().get(pk=city.pk)
    if city.review_status != ReviewStatus.PENDING:
        raise ValidationError(_("Only a city awaiting review can be rejected."))
    city.review_status = ReviewStatus.REJECTED
    city.save(update_fields=["review_status", "updated_at"])
    for membership in CityMembership.objects.filter(city=city, status=CityMembership.Status.PENDING):
        membership_reject(membership=membership, by=by, reason=reason)
    return city


def _decide(*, membership: CityMembership, by: AbstractBaseUser, status: str, reason: str) -> CityMembership:
    # A conditional update: two staff members deciding at once cannot both win.
    now = timezone.now()
    decided = CityMembership.objects.filter(pk=membership.pk, status=CityMembership.Status.PENDING).update(
        status=status, decided_by=by, decided_at=now, decision_reason=reason.strip(), updated_at=now
    )
    if not decided:
        raise ValidationError(_("Only a request awaiting review can be decided."))
    membership.refresh_from_db()
    # The decision e-mail goes into the outbox in this transaction (partnerships' receiver).
    membership_decided.send(membership=membership)
    return membership


@transaction.atomic
def membership_approve(
    *, membership: CityMembership, by: AbstractBaseUser, reason: str = ""
) -> CityMembership:
    """Staff let the user act for the city.

    Side effects: a decision e-mail to the user (the outbox, sent after commit); the official becomes one
    of the city's people, so the city's proposals are refreshed (a new contact may be invitable).
    """
    if not City.objects.filter(pk=membership.city_id, review_status=ReviewStatus.APPROVED).exists():
        raise ValidationError(_("Approve the proposed city first."))
    membership = _decide(membership=membership, by=by, status=CityMembership.Status.APPROVED, reason=reason)
    # The official becomes one of the city's people (its contacts), unless they already belong elsewhere.
    joined = Person.objects.filter(user=membership.user, city__isnull=True).update(
        city=membership.city, updated_at=timezone.now()
    )
    if joined:
        city_changed(city_id=membership.city_id)
    return membership


@transaction.atomic
def membership_reject(*, membership: CityMembership, by: AbstractBaseUser, reason: str) -> CityMembership:
    """Staff refuse the request, saying why. Side effects: a decision e-mail to the user (the outbox)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason: the requester will read it.")})
    return _decide(membership=membership, by=by, status=CityMembership.Status.REJECTED, reason=reason)


@transaction.atomic
def membership_leave(*, membership: CityMembership, user: AbstractBaseUser) -> CityMembership:
    """The user stops acting for the city (or withdraws a request still awaiting review)."""
    now = timezone.now()
    left = CityMembership.objects.filter(
        pk=membership.pk,
        user=user,
        status__in=[CityMembership.Status.PENDING, CityMembership.Status.APPROVED],
    ).update(status=CityMembership.Status.LEFT, updated_at=now)
    if not left:
        raise ValidationError(_("This membership is already closed."))
    if Person.objects.filter(user=user, city=membership.city).update(city=None, updated_at=now):
        city_changed(city_id=membership.city_id)  # one contact fewer
    membership.refresh_from_db()
    return membership
