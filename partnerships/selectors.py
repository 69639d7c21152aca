"""Reads for partnership interests."""

from django.db.models import QuerySet

from cities.models import City

from .models import Interest

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
