"""Reads for cities, organisations and good practices, already filtered to what a visitor may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import City, GoodPractice, ReviewStatus


def public_city_list() -> QuerySet[City]:
    """Approved cities and local authorities, with what a list shows about them."""
    return (
        City.objects.filter(review_status=ReviewStatus.APPROVED)
        .select_related("country__region")
        .annotate(
            good_practice_count=Count(
                "good_practices",
                filter=Q(good_practices__status=GoodPractice.Status.PUBLISHED),
                distinct=True,
            )
        )
        .order_by("name", "id")
    )


def published_good_practices() -> QuerySet[GoodPractice]:
    return (
        GoodPractice.objects.filter(status=GoodPractice.Status.PUBLISHED)
        .select_related("city__country", "organisation", "webinar", "speaker")
        .prefetch_related("themes")
    )


def public_city_detail(*, slug: str) -> City:
    return (
        public_city_list()
        .select_related("parent")
        .prefetch_related(
            "languages",
            "heritage_sites",
            Prefetch("good_practices", queryset=published_good_practices().order_by("-year", "title")),
        )
        .get(slug=slug)
    )
