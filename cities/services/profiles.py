"""A city's profile and contacts, edited by its officials."""

from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from travelsouth.i18n import InterfaceLanguage, language_codes, texts_by_column, translated_fields

from ..changes import city_changed
from ..models import (
    City,
    HeritageSite,
    Language,
    Person,
)
from ._common import _save_new_with_unique_slug
from .people import person_consent_follow_address


def _check_email_free(email: str, *, person: Person | None = None) -> None:
    if (
        email
        and Person.objects.filter(email__iexact=email).exclude(pk=person.pk if person else None).exists()
    ):
        raise ValidationError({"email": _("Someone on file already has this e-mail address.")})


@transaction.atomic
def city_profile_update(
    *,
    city: City,
    description: str = "",
    texts: Mapping[str, Mapping[str, str]] | None = None,
    website: str = "",
    languages: Iterable[Language] = (),
    is_world_heritage_city: bool = False,
    heritage_sites: Sequence[dict] = (),
) -> City:
    """Replace the city's profile, its heritage sites included, all at once or not at all.

    ``description`` is the English text; ``texts`` the description in other portal languages,
    ``{"es": {"description": ...}}`` (a profile may be written in one language only: every visitor
    reads it, with a note of its language). ``heritage_sites`` is the whole new list: dicts with
    ``name``, ``is_world_heritage``, ``inscribed_year`` and, for a site already on file, its ``id``.
    Sites left out are removed.
    """
    city = City.objects.select_for_update().get(pk=city.pk)
    descriptions = dict.fromkeys(language_codes(), "") | {settings.LANGUAGE_CODE: description}
    descriptions.update({code: fields.get("description", "") for code, fields in (texts or {}).items()})
    for name, text in texts_by_column("description", descriptions).items():
        setattr(city, name, text)
    city.website = website
    city.is_world_heritage_city = is_world_heritage_city
    city.full_clean()
    city.save(
        update_fields=[
            *translated_fields("description"),
            "website",
            "is_world_heritage_city",
            "updated_at",
        ]
    )
    city.languages.set(languages)

    existing = {site.pk: site for site in city.heritage_sites.all()}
    kept_ids = {row["id"] for row in heritage_sites if row.get("id") in existing}
    city.heritage_sites.exclude(pk__in=kept_ids).delete()
    for row in heritage_sites:
        site = existing.get(row.get("id")) or HeritageSite(city=city)
        site.name = row["name"].strip()
        site.is_world_heritage = row.get("is_world_heritage", True)
        site.inscribed_year = row.get("inscribed_year")
        site.full_clean()
        site.save()
    city_changed(city_id=city.pk)  # its languages and World Heritage status are matching signals
    return city


@transaction.atomic
def city_contact_add(
    *,
    city: City,
    full_name: str,
    honorific: str = "",
    title: str = "",
    email: str = "",
    preferred_language: str = InterfaceLanguage.ENGLISH,
) -> Person:
    """Add one of the city's people (a contact). Consent to be contacted is theirs to give, not ours."""
    _check_email_free(email)
    person = Person(
        city=city,
        full_name=full_name,
        honorific=honorific,
        title=title,
        email=email,
        preferred_language=preferred_language,
    )
    return _save_new_with_unique_slug(person, full_name, max_length=80)


@transaction.atomic
def city_contact_update(
    *,
    person: Person,
    full_name: str,
    honorific: str = "",
    title: str = "",
    email: str = "",
    preferred_language: str = InterfaceLanguage.ENGLISH,
) -> Person:
    """Correct a contact's details. People with an account keep their own details up to date."""
    if person.user_id is not None:
        raise ValidationError(_("This person has an account and keeps their own details."))
    _check_email_free(email, person=person)
    person.full_name = full_name
    person.honorific = honorific
    person.title = title
    previous_email = person.email
    email_changed = person.email != email
    person.email = email
    person.preferred_language = preferred_language
    person.full_clean()
    person.save()
    if email_changed:
        person_consent_follow_address(person=person, previous_email=previous_email)
        city_changed(city_id=person.city_id)  # whether the city has a contact to invite
    return person


@transaction.atomic
def city_contact_remove(*, city: City, person: Person) -> Person:
    """Take the person off the city's contacts. The person stays on file (they may have spoken at a webinar)."""
    if person.city_id != city.pk:
        raise ValidationError(_("This person is not one of the city's contacts."))
    if person.user_id is not None:
        raise ValidationError(_("An official leaves the city from their own page."))
    person.city = None
    person.save(update_fields=["city", "updated_at"])
    city_changed(city_id=city.pk)  # one contact fewer
    return person
