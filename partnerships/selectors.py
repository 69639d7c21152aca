"""Reads for partnership interests."""

from django.db.models import QuerySet

from cities.models import City, ReviewStatus

from .models import Interest, Partnership, Proposal
from .permissions import can_view_proposals

INTEREST_RELATIONS = (
    "priorities",
    "themes_sought",
    "themes_offered",
    "partner_cities",
    "partner_countries",
    "partner_regions",
    "working_languages",
)


def interest_history(*, city: City) -> QuerySet[Interest]:
    """All of a city's interests, newest first, the current one included."""
    return (
        Interest.objects.filter(city=city)
        .select_related("recorded_by", "survey_response__survey")
        .prefetch_related(*INTEREST_RELATIONS)
        .order_by("-created_at", "-id")
    )


def current_interests() -> QuerySet[Interest]:
    return (
        Interest.objects.filter(is_current=True)
        .select_related("city__country")
        .prefetch_related(*INTEREST_RELATIONS)
    )


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
