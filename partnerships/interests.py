"""Writes for partnership interests (what each city needs, offers and whom it wants to work with) and
for the development priorities they name.

A city has one current interest; a new one supersedes it and the old one stays as history. Every
writer here calls the change hook (``cities.changes.city_changed``), so the city's proposals are
refreshed after commit. Survey answers reach the interest through partnerships/survey_answers.py.

Each item of an interest (a priority, a partner city, a country not wanted...) remembers where it came
from (``Interest.item_sources``): the web form, a survey answer, staff, a webinar statement, with the
date. An item kept from one interest to the next keeps its origin; an item the form leaves out is
recorded as removed, with when, so that an older survey answer fed again does not bring it back.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cities.changes import city_changed, matching_vocabulary_changed
from cities.consent_sources import interest_form_source
from cities.models import City, Country, Language, Person, Region, Theme
from cities.services import person_consent_give, person_consent_withdraw

from .models import DevelopmentPriority, Interest, PriorityThemeLink

# The interest's relations, each a set of ids once read (the order of the history's display).
RELATIONS = (
    "priorities",
    "themes_sought",
    "themes_offered",
    "partner_cities",
    "partner_countries",
    "partner_regions",
    "working_languages",
    "excluded_countries",
    "excluded_regions",
)


def interest_items(interest: Interest | None) -> dict[str, set[int]]:
    """The ids of each relation of ``interest`` (empty sets for none)."""
    if interest is None:
        return {relation: set() for relation in RELATIONS}
    return {relation: {item.pk for item in getattr(interest, relation).all()} for relation in RELATIONS}


def item_sources_after(
    current: Interest | None, new_items: dict[str, set[int]], origin: dict
) -> dict[str, dict[str, dict]]:
    """``Interest.item_sources`` of a new interest with ``new_items``: kept items keep their origin, new
    ones get ``origin``, items of the current interest left out are recorded as removed (with
    ``origin``'s source and date), and earlier removals are carried forward."""
    before = current.item_sources if current is not None else {}
    current_items = interest_items(current)
    sources: dict[str, dict[str, dict]] = {}
    for relation in RELATIONS:
        previous = before.get(relation, {})
        entries: dict[str, dict] = {}
        for pk in sorted(new_items.get(relation, set())):
            kept = previous.get(str(pk))
            entries[str(pk)] = (
                kept if kept and not kept.get("removed") and pk in current_items[relation] else origin
            )
        for pk in sorted(current_items[relation] - new_items.get(relation, set())):
            entries[str(pk)] = {**origin, "removed": True}
        for key, entry in previous.items():
            if entry.get("removed") and key not in entries:
                entries[key] = entry
        if entries:
            sources[relation] = entries
    return sources


def _origin(source: str, **details) -> dict:
    return {"source": source, "at": timezone.now().isoformat(), **details}


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
    origin: dict | None = None,
) -> Interest:
    """Make this the city's current interest, with exactly these items. The previous current one is
    kept as history (``interest_supersede_current``). ``origin`` says where the items new to the city
    come from (default: ``source``, now); see the module's note on ``item_sources``.

    Side effects: after commit, the city's partnership proposals are recomputed (the change hook).
    """
    City.objects.select_for_update().get(pk=city.pk)  # one writer of the city's interest at a time
    current = Interest.objects.filter(city=city, is_current=True).prefetch_related(*RELATIONS).first()
    new_items = {
        "priorities": {item.pk for item in priorities},
        "themes_sought": {item.pk for item in themes_sought},
        "themes_offered": {item.pk for item in themes_offered},
        "partner_cities": {item.pk for item in partner_cities if item.pk != city.pk},
        "partner_countries": {item.pk for item in partner_countries},
        "partner_regions": {item.pk for item in partner_regions},
        "working_languages": {item.pk for item in working_languages},
        "excluded_countries": {item.pk for item in excluded_countries},
        "excluded_regions": {item.pk for item in excluded_regions},
    }
    item_sources = item_sources_after(current, new_items, origin or _origin(source))
    interest_supersede_current(city=city)
    interest = Interest(
        item_sources=item_sources,
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
    for relation, ids in new_items.items():
        getattr(interest, relation).set(sorted(ids))
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
        source = interest_form_source(city=city, interest_id=interest.pk)
        if consent_to_contact:
            person_consent_give(person=person, source=source)
        else:
            # Also cancels, at once, what was waiting to be sent to them (invitations).
            person_consent_withdraw(person=person, source=source)
    return interest


@transaction.atomic
def interest_withdraw(*, city: City, by: AbstractBaseUser) -> Interest | None:
    """The city's officials withdraw its partnership interest entirely: the current one is kept as
    history, marked withdrawn, and the city has none. Returns the withdrawn interest (None if there was
    none).

    Side effects: after commit, the city's proposals are refreshed: those awaiting review that rested on
    the interest lose their basis and are superseded.
    """
    City.objects.select_for_update().get(pk=city.pk)
    current = Interest.objects.filter(city=city, is_current=True).first()
    if current is None:
        return None
    now = timezone.now()
    Interest.objects.filter(pk=current.pk, is_current=True).update(
        is_current=False, superseded_at=now, withdrawn_at=now, updated_at=now
    )
    current.refresh_from_db()
    city_changed(city_id=city.pk)
    return current


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


@transaction.atomic
def priority_theme_link_save(*, link: PriorityThemeLink) -> PriorityThemeLink:
    """Save a link of the priority-to-theme map (its theme, strength, reason). The matching index
    is rebuilt after commit; the next run scores with the new strength."""
    link.full_clean()
    link.save()
    matching_vocabulary_changed()
    return link


@transaction.atomic
def priority_theme_link_delete(*, link: PriorityThemeLink) -> None:
    """Remove a link: the theme no longer counts towards the priority from the next run."""
    link.delete()
    matching_vocabulary_changed()
