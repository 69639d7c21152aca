"""Writes for partnership interests (and, with the matching work, proposals and partnerships)."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country, Language, Person, Region, Theme
from cities.services import person_consent_give

from .invitations.services import contact_consent_withdraw, invitations_create_for_proposal
from .models import DevelopmentPriority, Interest, Proposal, TimelineEvent


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
    message: str = "",
    is_published: bool = False,
    source_note: str = "",
    survey_response=None,
    recorded_by: AbstractBaseUser | None = None,
) -> Interest:
    """Make this the city's current interest. The previous current one is kept as history (superseded).

    The city's row is locked so two simultaneous registrations for one city serialise instead of
    failing on the one-current-interest constraint.
    """
    City.objects.select_for_update().get(pk=city.pk)
    now = timezone.now()
    Interest.objects.filter(city=city, is_current=True).update(
        is_current=False, superseded_at=now, updated_at=now
    )
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
            contact_consent_withdraw(person=person, source=source)
    return interest


# Minimal version for the invitations branch; the matching branch's version replaces it at merge and
# must keep the invitations call (invitations_create_for_proposal inside the approving transaction).
@transaction.atomic
def proposal_approve(*, proposal: Proposal, by: AbstractBaseUser | None) -> Proposal:
    """Staff approve a proposal awaiting review; its cities' consenting contacts are invited.

    Side effects: a timeline event naming the staff member; one introduction invitation per
    consenting contact of each city, written in this transaction and queued after it commits.
    Raises ValidationError unless the proposal is awaiting review.
    """
    now = timezone.now()
    approved = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
        status=Proposal.Status.APPROVED, decided_by=by, decided_at=now, updated_at=now
    )
    if not approved:
        raise ValidationError(_("Only a proposal awaiting review can be approved."), code="not_pending")
    proposal.refresh_from_db()
    TimelineEvent.objects.create(
        proposal=proposal,
        at=now,
        actor=by,
        actor_label=str(by or ""),
        kind="approved",
        message="Approved by staff.",
    )
    invitations_create_for_proposal(proposal=proposal, now=now)
    return proposal
