"""Writes for partnership interests (what each city needs, offers and whom it wants to work with) and
for the development priorities they name.

A city has one current interest; a new one supersedes it and the old one stays as history. Every
writer here calls the change hook (``cities.changes.city_changed``), so the city's proposals are
refreshed after commit. Survey answers reach the interest through partnerships/survey_answers.py.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cities.changes import city_changed, matching_vocabulary_changed
from cities.models import City, Country, Language, Person, Region, Theme
from cities.services import person_consent_give, person_consent_withdraw

from .models import DevelopmentPriority, Interest


@transaction.atomic
def interest_supersede_current(*, city: City) -> None:
    """Keep the city's current interest as history, before a new one is saved as current. The city's
    row is locked so two simultaneous registrations for one city serialise instead of failing on the
    one-current-interest constraint."""
    City.objects.select_for_update().get(pk=city.pk)
    now = timezone.now()
    Interest.objects.filter(city=city, is_current=True).update(
        is_current=False, superseded_at=now, updated_at=now
    )


@transaction.atomic
def interest_record(
    *,
    city: City,
    source: str,
    priorities: Iterable[DevelopmentPriority] = (),
    themes_sought: Iterable[Theme] = (),
    themes_offered: Iterable[Theme] = (),
    partner_cities: Iterable[City] = (),
    partner_countries: Iterable[Country] = (),
    partner_regions: Iterable[Region] = (),
    working_languages: Iterable[Language] = (),
    excluded_countries: Iterable[Country] = (),
    excluded_regions: Iterable[Region] = (),
    message: str = "",
    is_published: bool = False,
    source_note: str = "",
    survey_response=None,
    recorded_by: AbstractBaseUser | None = None,
) -> Interest:
    """Make this the city's current interest. The previous current one is kept as history
    (``interest_supersede_current``).

    Side effects: after commit, the city's partnership proposals are recomputed (the change hook).
    """
    interest_supersede_current(city=city)
    interest = Interest(
        city=city,
        source=source,
        source_note=source_note,
        message=message,
        is_published=is_published,
        survey_response=survey_response,
        recorded_by=recorded_by,
    )
    interest.full_clean()
    interest.save()
    interest.priorities.set(priorities)
    interest.themes_sought.set(themes_sought)
    interest.themes_offered.set(themes_offered)
    interest.partner_cities.set([partner for partner in partner_cities if partner.pk != city.pk])
    interest.partner_countries.set(partner_countries)
    interest.partner_regions.set(partner_regions)
    interest.working_languages.set(working_languages)
    interest.excluded_countries.set(excluded_countries)
    interest.excluded_regions.set(excluded_regions)
    city_changed(city_id=city.pk)
    return interest


@transaction.atomic
def interest_register(
    *,
    city: City,
    official: AbstractBaseUser,
    consent_to_contact: bool,
    priorities: Iterable[DevelopmentPriority] = (),
    themes_sought: Iterable[Theme] = (),
    themes_offered: Iterable[Theme] = (),
    partner_cities: Iterable[City] = (),
    partner_countries: Iterable[Country] = (),
    partner_regions: Iterable[Region] = (),
    working_languages: Iterable[Language] = (),
    excluded_countries: Iterable[Country] = (),
    excluded_regions: Iterable[Region] = (),
    message: str = "",
    is_published: bool = False,
) -> Interest:
    """An official registers their city's interest on the web form, and says whether they may be contacted.

    The interest becomes the city's current one (``interest_record``). The official's consent is
    given or withdrawn in the same transaction, with its time and the form as its source, and kept
    in their consent history.
    """
    interest = interest_record(
        city=city,
        source=Interest.Source.WEB_FORM,
        priorities=priorities,
        themes_sought=themes_sought,
        themes_offered=themes_offered,
        partner_cities=partner_cities,
        partner_countries=partner_countries,
        partner_regions=partner_regions,
        working_languages=working_languages,
        excluded_countries=excluded_countries,
        excluded_regions=excluded_regions,
        message=message,
        is_published=is_published,
        recorded_by=official,
    )
    person = Person.objects.filter(user=official).first()
    if person is not None:
        source = f"Interest form for {city.name} (web, interest #{interest.pk})"
        if consent_to_contact:
            person_consent_give(person=person, source=source)
        else:
            # Also cancels, at once, what was waiting to be sent to them (invitations).
            person_consent_withdraw(person=person, source=source)
    return interest


@transaction.atomic
def interest_save(*, interest: Interest, by: AbstractBaseUser) -> Interest:
    """Save an interest staff entered or corrected in the admin. A new one becomes the city's current
    interest (the previous one kept as history, as ``interest_record`` does).

    Side effects: after commit, the city's proposals are refreshed (the change hook). The caller saves
    the interest's relations (the admin's form) in the same transaction, before the refresh runs.
    """
    if interest.pk is None:
        interest_supersede_current(city=interest.city)
        interest.is_current = True
        interest.superseded_at = None
        interest.recorded_by = by
    interest.full_clean()
    interest.save()
    city_changed(city_id=interest.city_id)
    return interest


@transaction.atomic
def interest_delete(*, interest: Interest) -> None:
    """Delete an interest (staff). Its city's proposals are refreshed after commit: proposals awaiting
    review that rested on it lose their basis and are superseded."""
    city_id = interest.city_id
    interest.delete()
    city_changed(city_id=city_id)


@transaction.atomic
def development_priority_save(*, priority: DevelopmentPriority) -> DevelopmentPriority:
    """Save a development priority staff edited. The themes it covers place cities in matching's
    buckets, so the matching index is rebuilt after commit (after the themes are saved too)."""
    priority.full_clean()
    priority.save()
    matching_vocabulary_changed()
    return priority
