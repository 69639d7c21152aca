"""Reads for partnership interests, proposals, partnerships and matching runs."""

from django.db.models import Q, QuerySet

from cities.models import City, ReviewStatus

from .models import Interest, MatchingRun, MatchingSettings, Partnership, Proposal, TimelineEvent
from .permissions import can_view_proposals

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
    return Partnership.objects.select_related("city_a__country", "city_b__country").prefetch_related("themes")


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

    if not can_view_proposals(user):
        return Invitation.objects.none()
    return Invitation.objects.select_related("person", "city__country", "proposal", "partnership")
