"""Reads for partnership interests, proposals, partnerships and matching runs."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.models import City, CityMembership, Person, ReviewStatus
from travelsouth.text_search import rows_containing

from .invitations.selectors import invitation_settings
from .models import (
    Agreement,
    CheckIn,
    Interest,
    Invitation,
    JointActivity,
    MatchingRun,
    MatchingSettings,
    Partnership,
    Proposal,
    TimelineEvent,
)
from .permissions import can_view_invitations, can_view_proposals

INTEREST_RELATIONS = (
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


def interest_history(*, city: City) -> QuerySet[Interest]:
    """All of a city's interests, newest first, the current one included."""
    return (
        Interest.objects.filter(city=city)
        .select_related("recorded_by", "survey_response__survey")
        .prefetch_related(*INTEREST_RELATIONS)
        .order_by("-created_at", "-id")
    )


# --- An interest's history, item by item ------------------------------------------------------------

_RELATION_LABELS = {
    "priorities": _("Development priorities"),
    "themes_sought": _("Seeks"),
    "themes_offered": _("Offers"),
    "partner_cities": _("Partner cities wanted"),
    "partner_countries": _("Partner countries wanted"),
    "partner_regions": _("Partner regions wanted"),
    "working_languages": _("Working languages"),
    "excluded_countries": _("Countries not wanted"),
    "excluded_regions": _("Regions not wanted"),
}


@dataclass(frozen=True)
class InterestVersion:
    interest: Interest
    # (relation label, [(item name, where and when it came from, removed by this version)])
    rows: list[tuple[str, list[tuple[str, str, bool]]]]


def _origin_text(entry: dict | None) -> str:
    if not entry:
        return ""
    source = str(dict(Interest.Source.choices).get(entry.get("source"), entry.get("source", "")))
    if entry.get("survey"):
        source = gettext("survey “%(survey)s”") % {"survey": entry["survey"]}
    when = date_format(dt.datetime.fromisoformat(entry["at"]), "DATE_FORMAT") if entry.get("at") else ""
    return ", ".join(part for part in (source, when) if part)


def interest_history_versions(*, city: City) -> list[InterestVersion]:
    """The city's interests, newest first, each item with where and when it came from, and the items
    each version removed: a constant number of queries, whatever the length of the history."""
    interests = list(interest_history(city=city))
    removed: dict[str, set[int]] = {}
    for interest in interests:
        for relation, entries in (interest.item_sources or {}).items():
            removed.setdefault(relation, set()).update(
                int(key) for key, entry in entries.items() if entry.get("removed")
            )
    names = {
        relation: getattr(Interest, relation).field.related_model.objects.in_bulk(sorted(ids))
        for relation, ids in removed.items()
        if ids and relation in _RELATION_LABELS
    }
    versions = []
    for interest in interests:
        sources = interest.item_sources or {}
        rows = []
        for relation, label in _RELATION_LABELS.items():
            present = list(getattr(interest, relation).all())
            present_ids = {item.pk for item in present}
            items = [
                (item.display_name, _origin_text(sources.get(relation, {}).get(str(item.pk))), False)
                for item in present
            ]
            for key, entry in sources.get(relation, {}).items():
                item = names.get(relation, {}).get(int(key))
                if entry.get("removed") and int(key) not in present_ids and item is not None:
                    items.append((item.display_name, _origin_text(entry), True))
            if items:
                rows.append((label, items))
        versions.append(InterestVersion(interest=interest, rows=rows))
    return versions


def matching_settings() -> MatchingSettings:
    """The staff's matching settings (one row, created with the defaults when missing)."""
    return MatchingSettings.objects.get_or_create(id=MatchingSettings.SINGLETON_ID)[0]


def proposals_for_review() -> QuerySet[Proposal]:
    """Proposals for the staff's review list: best first, with what the list shows."""
    return (
        Proposal.objects.select_related("city_a__country", "city_b__country", "run__city")
        .prefetch_related("themes")
        .order_by("-score", "id")
    )


def proposals_matching_city_names(*, proposals: QuerySet[Proposal], search: str) -> QuerySet[Proposal]:
    """``proposals`` where each word of ``search`` is in the name (in any language) of one of their
    two cities, as the admin's search reads it. The names are matched in the cities table through its
    trigram index (travelsouth/text_search.py) and the proposals found through their city indexes:
    the admin's own search joined both cities to every proposal and scanned them all."""
    for word in search.split():
        city_ids = rows_containing(City, word).values("pk")
        proposals = proposals.filter(Q(city_a__in=city_ids) | Q(city_b__in=city_ids))
    return proposals


def proposal_timeline(*, proposal: Proposal) -> QuerySet[TimelineEvent]:
    return TimelineEvent.objects.filter(proposal=proposal).select_related("actor").order_by("at", "id")


def partnership_timeline(*, partnership: Partnership) -> QuerySet[TimelineEvent]:
    return (
        TimelineEvent.objects.filter(Q(partnership=partnership) | Q(proposal_id=partnership.proposal_id))
        .select_related("actor")
        .order_by("at", "id")
    )


def partnerships_for_tracking() -> QuerySet[Partnership]:
    return (
        Partnership.objects.select_related("city_a__country", "city_b__country", "proposal")
        .prefetch_related("themes")
        .order_by("-formed_at", "id")
    )


def matching_runs() -> QuerySet[MatchingRun]:
    return MatchingRun.objects.select_related("city", "started_by").order_by("-created_at", "-id")


def latest_full_run() -> MatchingRun | None:
    return matching_runs().filter(scope=MatchingRun.Scope.ALL).first()


def published_interest(*, city: City) -> Interest | None:
    """The city's current interest, when its officials chose to publish it."""
    return (
        Interest.objects.filter(city=city, is_current=True, is_published=True)
        .prefetch_related(*INTEREST_RELATIONS)
        .first()
    )


def current_interest(*, city: City) -> Interest | None:
    """The city's current interest, published or not (for its officials)."""
    return Interest.objects.filter(city=city, is_current=True).prefetch_related(*INTEREST_RELATIONS).first()


def partnership_figures() -> dict[str, int]:
    """What the home page says about brokering: partnerships formed, cities with a current interest."""
    return {
        "partnerships": Partnership.objects.count(),
        "cities_with_interest": Interest.objects.filter(
            is_current=True, city__review_status=ReviewStatus.APPROVED
        ).count(),
    }


# --- Read API (partnerships/api/) -----------------------------------------------------------------


def api_partnership_list() -> QuerySet[Partnership]:
    """Formed partnerships: public, as open data on what the series brought about."""
    return Partnership.objects.select_related("city_a__country", "city_b__country").prefetch_related(
        "themes",
        Prefetch("agreements", queryset=Agreement.objects.order_by("signed_on", "id")),
        Prefetch("activities", queryset=JointActivity.objects.order_by("-starts_on", "id")),
    )


def api_proposal_list(*, user) -> QuerySet[Proposal]:
    """Every proposal, for staff; nothing for anyone else."""
    if not can_view_proposals(user):
        return Proposal.objects.none()
    return Proposal.objects.select_related(
        "city_a__country", "city_b__country", "partnership"
    ).prefetch_related("themes")


def api_invitation_list(*, user) -> QuerySet:
    """Every invitation e-mail and its outcome, for staff; nothing for anyone else."""
    from .models import Invitation

    if not can_view_invitations(user):
        return Invitation.objects.none()
    return Invitation.objects.select_related("person", "city__country", "proposal", "partnership")


# --- Partnerships: the public pages, the officials' page ------------------------------------------


def public_partnership_list(*, activity_details: bool = False) -> QuerySet[Partnership]:
    """Formed partnerships as the public sees them: the two cities, themes, since when, the kinds of
    agreement signed and the joint activities (with their themes and SDGs for a detail page); nothing
    about people."""
    activities = JointActivity.objects.order_by("-starts_on", "id")
    if activity_details:
        activities = activities.prefetch_related("themes", "sdgs")
    return (
        Partnership.objects.filter(
            city_a__review_status=ReviewStatus.APPROVED, city_b__review_status=ReviewStatus.APPROVED
        )
        .select_related("city_a__country", "city_b__country")
        .prefetch_related(
            "themes",
            Prefetch("agreements", queryset=Agreement.objects.order_by("signed_on", "id")),
            Prefetch("activities", queryset=activities),
        )
        .order_by("-formed_at", "-id")
    )


def public_partnership_detail(*, pk: int) -> Partnership:
    return public_partnership_list(activity_details=True).get(pk=pk)


def city_partnerships(*, city: City) -> list[Partnership]:
    """The city's formed partnerships, for its public page."""
    return list(public_partnership_list().filter(Q(city_a=city) | Q(city_b=city)))


def partnerships_of_official(*, user) -> list[Partnership]:
    """The partnerships of the cities ``user`` is an approved official of, with their check-ins."""
    if not user.is_authenticated:
        return []
    city_ids = list(
        CityMembership.objects.filter(user=user, status=CityMembership.Status.APPROVED).values_list(
            "city_id", flat=True
        )
    )
    return list(
        Partnership.objects.filter(Q(city_a_id__in=city_ids) | Q(city_b_id__in=city_ids))
        .select_related("city_a", "city_b")
        .prefetch_related(
            Prefetch(
                "check_ins",
                queryset=CheckIn.objects.filter(city_id__in=city_ids)
                .select_related("city")
                .order_by("due_at"),
                to_attr="own_check_ins",
            )
        )
        .order_by("-formed_at", "-id")
    )


def partnership_for_officials(*, pk: int) -> Partnership:
    """A partnership with everything its officials see: agreements, activities, check-ins and each
    city's contacts (the door checks who may see it)."""
    from .invitations.selectors import CONTACTABLE

    contacts = Person.objects.filter(CONTACTABLE).order_by("full_name", "id")
    return (
        Partnership.objects.select_related("city_a__country", "city_b__country", "proposal")
        .prefetch_related(
            "themes",
            Prefetch("agreements", queryset=Agreement.objects.order_by("-signed_on", "-id")),
            Prefetch("activities", queryset=JointActivity.objects.prefetch_related("themes", "sdgs")),
            Prefetch(
                "check_ins",
                queryset=CheckIn.objects.select_related("city", "answered_by").order_by("due_at", "city_id"),
            ),
            Prefetch("city_a__people", queryset=contacts, to_attr="contacts"),
            Prefetch("city_b__people", queryset=contacts, to_attr="contacts"),
        )
        .get(pk=pk)
    )


# --- Follow-ups: what the staff's work queue counts and the admin's filters list ------------------
# ``days`` is the setting unanswered_after_days, read once by a caller that needs several of these.


def _unanswered_since(now: dt.datetime, days: int | None) -> dt.datetime:
    return now - dt.timedelta(days=unanswered_after_days() if days is None else days)


def unanswered_after_days() -> int:
    """After how many days without an answer an introduction or a check-in needs the staff (a setting)."""
    return invitation_settings().unanswered_after_days


def proposals_waiting_for_contact() -> QuerySet[Proposal]:
    """Approved proposals that wait for a consenting contact of one of their cities."""
    return Proposal.objects.filter(status=Proposal.Status.WAITING)


def introductions_unanswered(*, now: dt.datetime, days: int | None = None) -> QuerySet:
    """Introductions sent at least ``unanswered_after_days`` ago that nobody has answered (reminders
    included: the introduction stays sent until its answer or its expiry)."""
    return Invitation.objects.filter(
        kind=Invitation.Kind.INTRODUCTION,
        status=Invitation.Status.SENT,
        sent_at__lte=_unanswered_since(now, days),
    )


def check_ins_due(*, now: dt.datetime, days: int | None = None) -> QuerySet[CheckIn]:
    """Check-ins asked (due) and not answered yet, within ``unanswered_after_days`` of their date."""
    return CheckIn.objects.filter(
        answered_at__isnull=True, due_at__lte=now, due_at__gt=_unanswered_since(now, days)
    )


def check_ins_overdue(*, now: dt.datetime, days: int | None = None) -> QuerySet[CheckIn]:
    """Check-ins still unanswered ``unanswered_after_days`` after their date: the staff should ask."""
    return CheckIn.objects.filter(answered_at__isnull=True, due_at__lte=_unanswered_since(now, days))


# --- Reach: who of each city can be invited, and what is missing --------------------------------


@dataclass(frozen=True)
class SideReach:
    """One city of a proposal as staff need to see it before approving: the people who can be invited,
    and why the others cannot (no consent yet, no address, a placeholder from the report's data)."""

    city: City
    invitable: list[Person]
    without_consent: list[Person]
    without_email: list[Person]
    placeholders: int

    @property
    def is_reachable(self) -> bool:
        return bool(self.invitable)


def proposal_reach(*, proposal: Proposal) -> list[SideReach]:
    """Both cities' reach: one query for the people of the two cities."""
    from .invitations.selectors import CONTACTABLE

    people = list(
        Person.objects.filter(city_id__in=[proposal.city_a_id, proposal.city_b_id])
        .annotate(invitable=Exists(Person.objects.filter(CONTACTABLE, pk=OuterRef("pk"))))
        .order_by("full_name", "id")
    )
    sides = []
    for city in (proposal.city_a, proposal.city_b):
        own = [person for person in people if person.city_id == city.pk]
        real = [person for person in own if not person.is_reconstructed]
        sides.append(
            SideReach(
                city=city,
                invitable=[person for person in real if person.invitable],
                without_consent=[person for person in real if person.email and not person.invitable],
                without_email=[person for person in real if not person.email],
                placeholders=len(own) - len(real),
            )
        )
    return sides
