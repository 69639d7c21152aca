"""Writes for partnership interests, proposals, partnerships and the matching settings.

Matching runs themselves (full runs and one-city refreshes) are written by partnerships/matching_runs.py;
``city_proposals_refresh`` and ``schedule_city_proposals_refresh`` are re-exported here.
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City, Country, Language, Person, Region, Theme
from cities.services import person_consent_give

from .invitations.services import contact_consent_withdraw, invitations_create_for_proposal
from .matching.runs import city_proposals_refresh, schedule_city_proposals_refresh
from .models import DevelopmentPriority, Interest, MatchingSettings, Partnership, Proposal, TimelineEvent

__all__ = [
    "ProposalStateError",
    "city_proposals_refresh",
    "interest_record",
    "interest_register",
    "interest_supersede_current",
    "matching_settings_update",
    "partnership_create",
    "partnership_outcome_update",
    "partnership_status_change",
    "proposal_approve",
    "proposal_reject",
    "proposal_themes_update",
    "schedule_city_proposals_refresh",
]


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
    message: str = "",
    is_published: bool = False,
    source_note: str = "",
    survey_response=None,
    recorded_by: AbstractBaseUser | None = None,
) -> Interest:
    """Make this the city's current interest. The previous current one is kept as history
    (``interest_supersede_current``).

    Side effects: after commit, the city's partnership proposals are recomputed
    (``partnerships.refresh_city_proposals`` task).
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
    schedule_city_proposals_refresh(city_id=city.pk)
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


# --- Proposals: staff decisions -----------------------------------------------------------------


class ProposalStateError(ValidationError):
    """The proposal is no longer in the state the action needs (someone else acted first)."""


def _timeline(
    *,
    kind: str,
    by: AbstractBaseUser | None,
    message: str,
    proposal: Proposal | None = None,
    partnership: Partnership | None = None,
    data: dict | None = None,
    at: dt.datetime | None = None,
) -> TimelineEvent:
    event = TimelineEvent(
        proposal=proposal,
        partnership=partnership,
        at=at or timezone.now(),
        actor=by,
        actor_label=TimelineEvent.label_of(by),
        kind=kind,
        message=message,
        data=data or {},
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def proposal_approve(*, proposal: Proposal, by: AbstractBaseUser | None) -> Proposal:
    """Approve a proposal awaiting review: its cities' consenting contacts are invited.

    Raises ProposalStateError (a ValidationError) when the proposal is no longer awaiting review.

    Side effects: a timeline event in the staff member's name; one introduction invitation per
    consenting contact of each city (``invitations_create_for_proposal``), written in this
    transaction and queued after it commits, so nothing is sent unless the approval commits.
    """
    now = timezone.now()
    approved = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
        status=Proposal.Status.APPROVED, decided_by=by, decided_at=now, updated_at=now
    )
    if not approved:
        raise ProposalStateError(_("This proposal is no longer awaiting review."), code="not_pending")
    proposal.refresh_from_db()
    _timeline(
        proposal=proposal,
        kind=TimelineEvent.Kind.APPROVED,
        by=by,
        at=now,
        message=f"Approved by {TimelineEvent.label_of(by)}.",
        data={"score": proposal.score, "invitable": proposal.is_invitable},
    )
    invitations_create_for_proposal(proposal=proposal, now=now)
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: Proposal, by: AbstractBaseUser, reason: str) -> Proposal:
    """Reject a proposal awaiting review, with a reason (kept on the proposal and in the timeline).

    The pair is not proposed again during the cooling-off period (MatchingSettings).
    Side effects: a timeline event in the staff member's name.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting this proposal.")}, code="required")
    now = timezone.now()
    rejected = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
        status=Proposal.Status.REJECTED, decided_by=by, decided_at=now, decision_reason=reason, updated_at=now
    )
    if not rejected:
        raise ProposalStateError(_("This proposal is no longer awaiting review."), code="not_pending")
    proposal.refresh_from_db()
    _timeline(
        proposal=proposal,
        kind=TimelineEvent.Kind.REJECTED,
        by=by,
        at=now,
        message=f"Rejected by {TimelineEvent.label_of(by)}: {reason}",
        data={"reason": reason},
    )
    return proposal


@transaction.atomic
def proposal_themes_update(*, proposal: Proposal, themes: Iterable[Theme], by: AbstractBaseUser) -> Proposal:
    """Set the themes proposed to the two cities (while the proposal is open). Later runs keep them.

    Side effects: a timeline event in the staff member's name, listing the themes before and after.
    """
    themes = sorted(set(themes), key=lambda theme: theme.name)
    now = timezone.now()
    editable = Proposal.objects.filter(pk=proposal.pk, status__in=Proposal.OPEN_STATUSES).update(
        themes_edited=True, updated_at=now
    )
    if not editable:
        raise ProposalStateError(_("Only open proposals can have their themes changed."), code="not_open")
    before = sorted(proposal.themes.values_list("name", flat=True))
    proposal.themes.set(themes)
    proposal.refresh_from_db()
    after = [theme.name for theme in themes]
    _timeline(
        proposal=proposal,
        kind=TimelineEvent.Kind.THEMES_EDITED,
        by=by,
        at=now,
        message=f"Themes changed by {TimelineEvent.label_of(by)}: {', '.join(before) or '-'} -> {', '.join(after) or '-'}.",
        data={"before": before, "after": after},
    )
    return proposal


# --- Partnerships: formation and outcome tracking -----------------------------------------------

PARTNERSHIP_TRANSITIONS: dict[str, set[str]] = {
    Partnership.Status.ACTIVE: {
        Partnership.Status.MOU_SIGNED,
        Partnership.Status.DORMANT,
        Partnership.Status.CLOSED,
    },
    Partnership.Status.MOU_SIGNED: {
        Partnership.Status.ACTIVE,
        Partnership.Status.DORMANT,
        Partnership.Status.CLOSED,
    },
    Partnership.Status.DORMANT: {
        Partnership.Status.ACTIVE,
        Partnership.Status.MOU_SIGNED,
        Partnership.Status.CLOSED,
    },
    Partnership.Status.CLOSED: set(),
}


@transaction.atomic
def partnership_create(
    *, proposal: Proposal, by: AbstractBaseUser | None = None, formed_at: dt.datetime | None = None
) -> Partnership:
    """Form the partnership of a proposal both cities accepted (called by the invitations work when
    the second city accepts). Returns the existing partnership when it was formed already.

    Side effects: a timeline event on the partnership.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    existing = Partnership.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if proposal.status != Proposal.Status.ACCEPTED:
        raise ProposalStateError(
            _("Only a proposal both cities accepted forms a partnership."), code="not_accepted"
        )
    partnership = Partnership(
        proposal=proposal,
        city_a_id=proposal.city_a_id,
        city_b_id=proposal.city_b_id,
        formed_at=formed_at or timezone.now(),
    )
    partnership.full_clean()
    partnership.save()
    partnership.themes.set(proposal.themes.all())
    _timeline(
        partnership=partnership,
        kind=TimelineEvent.Kind.PARTNERSHIP_FORMED,
        by=by,
        at=partnership.formed_at,
        message="Partnership formed.",
        data={"proposal": proposal.pk},
    )
    return partnership


@transaction.atomic
def partnership_status_change(
    *, partnership: Partnership, status: str, by: AbstractBaseUser, note: str = ""
) -> Partnership:
    """Move a partnership to ``status`` (active, MoU signed, dormant, closed; closed is final).

    Side effects: a timeline event in the staff member's name, with the note.
    """
    current = partnership.status
    if status not in PARTNERSHIP_TRANSITIONS.get(current, set()):
        raise ValidationError(
            {
                "status": ValidationError(
                    _("A partnership cannot go from “%(current)s” to “%(status)s”."),
                    code="invalid_transition",
                    params={"current": current, "status": status},
                )
            }
        )
    now = timezone.now()
    moved = Partnership.objects.filter(pk=partnership.pk, status=current).update(
        status=status, updated_at=now
    )
    if not moved:
        raise ProposalStateError(_("The partnership changed meanwhile; reload and try again."), code="stale")
    partnership.refresh_from_db()
    note = note.strip()
    _timeline(
        partnership=partnership,
        kind=TimelineEvent.Kind.STATUS_CHANGED,
        by=by,
        at=now,
        message=f"Status {current} -> {status} by {TimelineEvent.label_of(by)}."
        + (f" {note}" if note else ""),
        data={"from": current, "to": status, "note": note},
    )
    return partnership


@transaction.atomic
def partnership_outcome_update(
    *, partnership: Partnership, outcome_notes: str, joint_activities: str, by: AbstractBaseUser
) -> Partnership:
    """Record what the partnership achieved and did together.

    Side effects: a timeline event in the staff member's name when anything changed.
    """
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    changed = [
        name
        for name, value in (("outcome_notes", outcome_notes), ("joint_activities", joint_activities))
        if getattr(partnership, name) != value
    ]
    if not changed:
        return partnership
    partnership.outcome_notes = outcome_notes
    partnership.joint_activities = joint_activities
    partnership.full_clean()
    partnership.save(update_fields=[*changed, "updated_at"])
    _timeline(
        partnership=partnership,
        kind=TimelineEvent.Kind.OUTCOME_UPDATED,
        by=by,
        message=f"Outcome updated by {TimelineEvent.label_of(by)}.",
        data={"changed": changed},
    )
    return partnership


# --- Matching settings ------------------------------------------------------------------------------


@transaction.atomic
def matching_settings_update(*, by: AbstractBaseUser, **values) -> MatchingSettings:
    """Change the matching settings (weights, proposals per city, cooling-off, same-country...).
    They apply from the next run."""
    settings_row, _created = MatchingSettings.objects.select_for_update().get_or_create(
        id=MatchingSettings.SINGLETON_ID
    )
    for name, value in values.items():
        if name in {"id", "updated_at", "updated_by"} or not hasattr(settings_row, name):
            raise ValueError(f"Not a matching setting: {name}")
        setattr(settings_row, name, value)
    settings_row.updated_by = by
    settings_row.full_clean()
    settings_row.save()
    return settings_row
