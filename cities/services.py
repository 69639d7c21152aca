"""Writes for people, cities, city memberships and good practices.

Permission checks (who may call these for which city) are the doors' job, with the predicates in
cities/permissions.py; these functions enforce the domain's own rules and states.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from travelsouth.i18n import InterfaceLanguage

from .models import (
    City,
    CityMembership,
    ContactConsentEvent,
    Country,
    GoodPractice,
    HeritageSite,
    Language,
    Person,
    ReviewStatus,
    SustainableDevelopmentGoal,
    Theme,
)


def _unique_slug(model: type[Model], text: str, *, max_length: int) -> str:
    """A slug for ``text`` that no row of ``model`` uses yet (``lima``, ``lima-2``, ...)."""
    base = (slugify(text) or model._meta.model_name)[: max_length - 4].strip("-")
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _interface_language(language: str | None) -> str:
    language = (language or "").lower()
    if language.startswith("zh"):
        return InterfaceLanguage.CHINESE
    if language.startswith("es"):
        return InterfaceLanguage.SPANISH
    return InterfaceLanguage.ENGLISH


# --- People and their consent to be contacted ------------------------------------------------------


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
        person = Person(slug=_unique_slug(Person, full_name, max_length=80), email=user.email)
    person.user = user
    person.full_name = full_name
    person.honorific = honorific
    person.title = title
    if language or is_new:
        person.preferred_language = _interface_language(language)
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


# --- City memberships: asking to act for a city, staff's decision, leaving -------------------------


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
        slug=_unique_slug(City, name, max_length=80),
        name=name.strip(),
        kind=kind,
        country=country,
        website=website,
        review_status=ReviewStatus.PENDING,
        source_note=f"Proposed by {user.email} on the portal",
    )
    city.full_clean()
    city.save()
    official_person_save(user=user, full_name=full_name, title=role, language=language)
    membership = CityMembership(user=user, city=city, role=role, message=message)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def city_review_approve(*, city: City, by: AbstractBaseUser) -> City:
    """Staff accept a proposed city: it appears on public pages and its requests can be approved."""
    city = City.objects.select_for_update().get(pk=city.pk)
    if city.review_status == ReviewStatus.APPROVED:
        return city
    city.review_status = ReviewStatus.APPROVED
    city.save(update_fields=["review_status", "updated_at"])
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
    _queue_decision_email(membership)
    return membership


def _queue_decision_email(membership: CityMembership) -> None:
    from .tasks import notify_membership_decision  # tasks import this module

    notify_membership_decision.delay_on_commit(membership_id=membership.pk)


@transaction.atomic
def membership_approve(
    *, membership: CityMembership, by: AbstractBaseUser, reason: str = ""
) -> CityMembership:
    """Staff let the user act for the city. Side effects: a decision e-mail to the user, after commit."""
    if not City.objects.filter(pk=membership.city_id, review_status=ReviewStatus.APPROVED).exists():
        raise ValidationError(_("Approve the proposed city first."))
    membership = _decide(membership=membership, by=by, status=CityMembership.Status.APPROVED, reason=reason)
    # The official becomes one of the city's people (its contacts), unless they already belong elsewhere.
    Person.objects.filter(user=membership.user, city__isnull=True).update(
        city=membership.city, updated_at=timezone.now()
    )
    return membership


@transaction.atomic
def membership_reject(*, membership: CityMembership, by: AbstractBaseUser, reason: str) -> CityMembership:
    """Staff refuse the request, saying why. Side effects: a decision e-mail to the user, after commit."""
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
    Person.objects.filter(user=user, city=membership.city).update(city=None, updated_at=now)
    membership.refresh_from_db()
    return membership


@transaction.atomic
def membership_decision_notify(*, membership: CityMembership) -> bool:
    """E-mail the user staff's decision on their request, in their language. Sends at most once.

    Returns whether an e-mail was sent.
    """
    membership = (
        CityMembership.objects.select_for_update(of=("self",))
        .select_related("city", "user")
        .get(pk=membership.pk)
    )
    if membership.decision_notified_at is not None or membership.status not in (
        CityMembership.Status.APPROVED,
        CityMembership.Status.REJECTED,
    ):
        return False
    person = Person.objects.filter(user=membership.user).first()
    language = person.preferred_language if person else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "membership": membership,
            "person": person,
            "city_name": membership.city.display_name,
            "dashboard_url": settings.SITE_URL + reverse("officials:dashboard"),
        }
        subject = render_to_string("cities/email/membership_decision_subject.txt", context).strip()
        body = render_to_string("cities/email/membership_decision_message.txt", context)
    send_mail(subject, body, None, [membership.user.email])
    membership.decision_notified_at = timezone.now()
    membership.save(update_fields=["decision_notified_at"])
    return True


# --- A city's profile and contacts, edited by its officials ------------------------------------------


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
    description: str,
    description_es: str = "",
    description_zh: str = "",
    website: str = "",
    languages: Iterable[Language] = (),
    is_world_heritage_city: bool = False,
    heritage_sites: Sequence[dict] = (),
) -> City:
    """Replace the city's profile, its heritage sites included, all at once or not at all.

    ``heritage_sites`` is the whole new list: dicts with ``name``, ``is_world_heritage``,
    ``inscribed_year`` and, for a site already on file, its ``id``. Sites left out are removed.
    """
    city = City.objects.select_for_update().get(pk=city.pk)
    city.description = description
    city.description_es = description_es
    city.description_zh = description_zh
    city.website = website
    city.is_world_heritage_city = is_world_heritage_city
    city.full_clean()
    city.save(
        update_fields=[
            "description",
            "description_es",
            "description_zh",
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
        slug=_unique_slug(Person, full_name, max_length=80),
        city=city,
        full_name=full_name,
        honorific=honorific,
        title=title,
        email=email,
        preferred_language=preferred_language,
    )
    person.full_clean()
    person.save()
    return person


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
    person.email = email
    person.preferred_language = preferred_language
    person.full_clean()
    person.save()
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
    return person


# --- Good practices -----------------------------------------------------------------------------------


def _clean_tools(digital_tools: Iterable[str]) -> list[str]:
    tools: list[str] = []
    for tool in digital_tools:
        tool = tool.strip()
        if tool and tool.lower() not in {known.lower() for known in tools}:
            tools.append(tool)
    return tools


@transaction.atomic
def good_practice_create(
    *,
    city: City,
    title: str,
    summary: str,
    title_es: str = "",
    title_zh: str = "",
    summary_es: str = "",
    summary_zh: str = "",
    themes: Iterable[Theme],
    sdgs: Iterable[SustainableDevelopmentGoal] = (),
    digital_tools: Iterable[str] = (),
    link: str = "",
    year: int | None = None,
) -> GoodPractice:
    """Publish a good practice of ``city``: it appears at once in the library and on the city's page.

    Side effects: after commit, the city's partnership proposals are recomputed.
    """
    practice = GoodPractice(
        slug=_unique_slug(GoodPractice, title, max_length=100),
        city=city,
        status=GoodPractice.Status.PUBLISHED,
    )
    return _good_practice_save(
        practice,
        title=title,
        summary=summary,
        title_es=title_es,
        title_zh=title_zh,
        summary_es=summary_es,
        summary_zh=summary_zh,
        themes=themes,
        sdgs=sdgs,
        digital_tools=digital_tools,
        link=link,
        year=year or timezone.now().year,
    )


def _good_practice_save(
    practice: GoodPractice,
    *,
    themes: Iterable[Theme],
    sdgs: Iterable[SustainableDevelopmentGoal],
    digital_tools: Iterable[str],
    **fields,
) -> GoodPractice:
    """Set what a good practice says (titles, summaries, link, year, tools, themes, SDGs), validate, save,
    and have its city's proposals recomputed after commit."""
    themes = list(themes)
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.digital_tools = _clean_tools(digital_tools)
    practice.full_clean()
    practice.save()
    practice.themes.set(themes)
    practice.sdgs.set(sdgs)
    _refresh_proposals(practice)
    return practice


def _refresh_proposals(practice: GoodPractice) -> None:
    """What a city offers changed: recompute its partnership proposals after commit."""
    from partnerships.matching_runs import schedule_city_proposals_refresh

    if practice.city_id is not None:
        schedule_city_proposals_refresh(city_id=practice.city_id)


@transaction.atomic
def good_practice_update(
    *,
    good_practice: GoodPractice,
    title: str,
    summary: str,
    title_es: str = "",
    title_zh: str = "",
    summary_es: str = "",
    summary_zh: str = "",
    themes: Iterable[Theme],
    sdgs: Iterable[SustainableDevelopmentGoal] = (),
    digital_tools: Iterable[str] = (),
    link: str = "",
    year: int | None = None,
) -> GoodPractice:
    """Change what a good practice says. Its slug (its address) never changes.

    Side effects: after commit, the city's partnership proposals are recomputed.
    """
    practice = GoodPractice.objects.select_for_update().get(pk=good_practice.pk)
    return _good_practice_save(
        practice,
        title=title,
        summary=summary,
        title_es=title_es,
        title_zh=title_zh,
        summary_es=summary_es,
        summary_zh=summary_zh,
        themes=themes,
        sdgs=sdgs,
        digital_tools=digital_tools,
        link=link,
        year=year,
    )


def _good_practice_set_status(*, good_practice: GoodPractice, status: str) -> GoodPractice:
    practice = GoodPractice.objects.select_for_update().get(pk=good_practice.pk)
    if practice.status != status:
        practice.status = status
        practice.save(update_fields=["status", "updated_at"])
        _refresh_proposals(practice)
    return practice


@transaction.atomic
def good_practice_withdraw(*, good_practice: GoodPractice) -> GoodPractice:
    """Take a practice off the public pages. It stays on file and its officials can publish it again."""
    return _good_practice_set_status(good_practice=good_practice, status=GoodPractice.Status.WITHDRAWN)


@transaction.atomic
def good_practice_publish(*, good_practice: GoodPractice) -> GoodPractice:
    """Show a withdrawn (or draft) practice on the public pages again."""
    return _good_practice_set_status(good_practice=good_practice, status=GoodPractice.Status.PUBLISHED)
