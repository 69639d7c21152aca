"""Writes for people and cities."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import ContactConsentEvent, Person


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
        person=person, action=ContactConsentEvent.Action.GIVEN, at=at, source=source
    )
    return person


@transaction.atomic
def person_consent_withdraw(*, person: Person, source: str, at: dt.datetime | None = None) -> Person:
    """Record that ``person`` no longer agrees to be contacted. Logged in the consent history.

    Nothing may be sent to them from this moment: senders check consent when they send.
    """
    at = at or timezone.now()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.has_contact_consent:
        return person
    person.contact_consent_withdrawn_at = at
    person.save(update_fields=["contact_consent_withdrawn_at", "updated_at"])
    ContactConsentEvent.objects.create(
        person=person, action=ContactConsentEvent.Action.WITHDRAWN, at=at, source=source
    )
    return person
