"""People and their consent to be contacted."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..changes import city_changed, consent_withdrawn
from ..models import (
    ContactConsentEvent,
    Person,
)
from ._common import _interface_language, _save_new_with_unique_slug


@transaction.atomic
def person_consent_give(*, person: Person, source: str, at: dt.datetime | None = None) -> Person:
    """Record that ``person`` agrees to be contacted, and how (``source``). Logged in the consent history."""
    at = at or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.has_contact_consent:
        return person
    person.contact_consent_given_at = at
    person.contact_consent_source = source
    person.contact_consent_withdrawn_at = None
    person.full_clean()
    person.save(
        update_fields=[
            "contact_consent_given_at",
            "contact_consent_source",
            "contact_consent_withdrawn_at",
            "updated_at",
        ]
    )
    ContactConsentEvent.objects.create(
        person=person, action=ContactConsentEvent.Action.GIVEN, at=at, source=source, email=person.email
    )
    city_changed(city_id=person.city_id)  # whether the city has a contact to invite
    return person


@transaction.atomic
def person_consent_withdraw(*, person: Person, source: str, at: dt.datetime | None = None) -> Person:
    """Record that ``person`` no longer agrees to be contacted. Logged in the consent history.

    Every door that withdraws consent (the stop link in e-mails, the officials' consent page and
    interest form, a "no" to a survey's consent question) goes through here.

    Side effects: in this transaction, everything waiting to be sent to them is cancelled (partnerships'
    receiver of the ``consent_withdrawn`` hook); senders also check consent at the moment of sending;
    after commit, their city's proposals are refreshed (one consenting contact fewer).
    """
    at = at or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.has_contact_consent:
        return person
    person.contact_consent_withdrawn_at = at
    person.save(update_fields=["contact_consent_withdrawn_at", "updated_at"])
    ContactConsentEvent.objects.create(
        person=person, action=ContactConsentEvent.Action.WITHDRAWN, at=at, source=source, email=person.email
    )
    consent_withdrawn.send(person=person, at=at)
    city_changed(city_id=person.city_id)  # whether the city has a contact to invite
    return person


ADDRESS_CHANGED = "The e-mail address changed: the new address needs its own consent"


def person_consent_follow_address(*, person: Person, previous_email: str) -> Person:
    """Consent belongs to the address it was given for. When ``person``'s address changed, their
    consent ends (recorded for the old address): the new address is asked for its own."""
    if (previous_email or "").strip().lower() == (person.email or "").strip().lower():
        return person
    stored = Person.objects.select_for_update().get(pk=person.pk)
    if not stored.has_contact_consent:
        return person
    at = timezone.now()
    stored.contact_consent_withdrawn_at = at
    stored.save(update_fields=["contact_consent_withdrawn_at", "updated_at"])
    ContactConsentEvent.objects.create(
        person=stored,
        action=ContactConsentEvent.Action.WITHDRAWN,
        at=at,
        source=ADDRESS_CHANGED,
        email=previous_email,
    )
    consent_withdrawn.send(person=stored, at=at)
    city_changed(city_id=stored.city_id)
    person.contact_consent_withdrawn_at = at
    return person


@transaction.atomic
def person_account_email_changed(*, user: AbstractBaseUser, previous_email: str, email: str) -> Person | None:
    """The user made ``email`` their account's address in place of ``previous_email`` (allauth's e-mail
    page: a verified address made primary). Their person record, when it carried the old address (or
    none), takes the new one, and the consent given for the old address ends with it
    (``person_consent_follow_address``): the new address receives nothing until it consents itself. A
    person record with a contact address of its own (set by staff) keeps it.

    Side effects: as ``person_consent_follow_address`` (pending e-mails cancelled, the city's proposals
    refreshed after commit) when consent ended."""
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None or not email:
        return person
    current = (person.email or "").strip().lower()
    if current == email.strip().lower() or (current and current != (previous_email or "").strip().lower()):
        return person
    old_email, person.email = person.email, email
    person.full_clean()
    person.save(update_fields=["email", "updated_at"])
    if old_email:
        person_consent_follow_address(person=person, previous_email=old_email)
    return person


@transaction.atomic
def person_save(*, person: Person, previous_city_id: int | None = None) -> Person:
    """Save a person staff edited. Side effects: the proposals of their city, and of the city they
    left, are refreshed after commit (whether each city has a contact to invite may have changed); a
    changed e-mail address ends the consent given for the old one (``person_consent_follow_address``)."""
    previous_email = Person.objects.filter(pk=person.pk).values_list("email", flat=True).first() or ""
    person.full_clean()
    person.save()
    if previous_email:
        person_consent_follow_address(person=person, previous_email=previous_email)
    for city_id in {person.city_id, previous_city_id} - {None}:
        city_changed(city_id=city_id)
    return person


@transaction.atomic
def official_person_save(
    *,
    user: AbstractBaseUser,
    full_name: str,
    honorific: str = "",
    title: str = "",
    language: str | None = None,
) -> Person:
    """Create or update the person record of a signed-up user (an official or one who wants to be).

    The person carries what the portal knows about the user as a contact: name, position, preferred
    language (for e-mails) and consent to be contacted. A person already on file with the user's
    verified e-mail address (a speaker of the series, say) is linked rather than duplicated.
    """
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None:
        person = (
            Person.objects.select_for_update().filter(user__isnull=True, email__iexact=user.email).first()
            if user.email
            else None
        )
    is_new = person is None
    if is_new:
        person = Person(email=user.email)
    person.user = user
    person.full_name = full_name
    person.honorific = honorific
    person.title = title
    if language or is_new:
        person.preferred_language = _interface_language(language)
    if is_new:
        return _save_new_with_unique_slug(person, full_name, max_length=80)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_language_set(*, user: AbstractBaseUser, language: str) -> Person | None:
    """The user chose an interface language: e-mails to them follow it from now on."""
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None:
        return None
    preferred = _interface_language(language)
    if person.preferred_language != preferred:
        person.preferred_language = preferred
        person.save(update_fields=["preferred_language", "updated_at"])
    return person
