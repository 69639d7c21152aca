"""Reads for cities, organisations and good practices, already filtered to what a visitor may see."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from .models import City, Country, GoodPractice, Organisation, ReviewStatus, Theme


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


# --- Read API (cities/api/): flat rows for lists and CSV, full rows for detail --------------------
# Lists are read with values(): one query, no model instances, no per-row work (bench/api.py).

CITY_ROW_FIELDS = (
    "id",
    "slug",
    "name",
    "name_es",
    "name_zh",
    "kind",
    "country_id",
    "country__iso_code",
    "country__name",
    "country__is_global_south",
    "country__region__code",
    "country__region__name",
    "country__subregion__code",
    "country__subregion__name",
    "latitude",
    "longitude",
    "population",
    "is_world_heritage_city",
    "showcased_in_series",
)


def api_city_rows() -> QuerySet:
    """Approved cities and local authorities as flat rows."""
    return City.objects.filter(review_status=ReviewStatus.APPROVED).values(*CITY_ROW_FIELDS)


def api_city_details() -> QuerySet[City]:
    """Approved cities with everything their API detail shows."""
    return (
        public_city_list()
        .select_related("parent", "country__subregion")
        .prefetch_related("languages", "heritage_sites")
    )


def api_country_list() -> QuerySet[Country]:
    approved_cities = Count("cities", filter=Q(cities__review_status=ReviewStatus.APPROVED))
    return Country.objects.select_related("region", "subregion").annotate(city_count=approved_cities)


def api_organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("country")


def api_theme_list() -> QuerySet[Theme]:
    return Theme.objects.all()


GOOD_PRACTICE_ROW_FIELDS = (
    "id",
    "slug",
    "title",
    "title_es",
    "title_zh",
    "summary",
    "summary_es",
    "summary_zh",
    "year",
    "digital_tools",
    "link",
    "is_reconstructed",
    "city_id",
    "city__name",
    "organisation_id",
    "organisation__name",
    "country_id",
    "country_iso_code",
    "webinar_id",
    "webinar__title",
)


def api_good_practice_rows() -> QuerySet:
    """Published good practices as flat rows; the owner's country is the city's or the organisation's."""
    return (
        GoodPractice.objects.filter(status=GoodPractice.Status.PUBLISHED)
        .annotate(
            country_id=Coalesce("city__country_id", "organisation__country_id"),
            country_iso_code=Coalesce("city__country__iso_code", "organisation__country__iso_code"),
        )
        .values(*GOOD_PRACTICE_ROW_FIELDS)
    )


def api_good_practice_details() -> QuerySet[GoodPractice]:
    return (
        published_good_practices()
        .select_related("city__country", "organisation__country", "speaker__organisation", "speaker__city")
        .prefetch_related("themes", "sdgs")
    )


def good_practice_vocabulary(*, practice_ids: list[int]) -> dict[int, dict[str, list]]:
    """Each practice's themes and SDGs, in two queries whatever the number of practices."""
    vocabulary = {practice_id: {"themes": [], "sdgs": []} for practice_id in practice_ids}
    themes = (
        GoodPractice.themes.through.objects.filter(goodpractice_id__in=practice_ids)
        .order_by("theme__name")
        .values_list("goodpractice_id", "theme_id", "theme__slug", "theme__name")
    )
    for practice_id, theme_id, slug, name in themes:
        vocabulary[practice_id]["themes"].append({"id": theme_id, "slug": slug, "name": name})
    sdgs = (
        GoodPractice.sdgs.through.objects.filter(goodpractice_id__in=practice_ids)
        .order_by("sustainabledevelopmentgoal__number")
        .values_list("goodpractice_id", "sustainabledevelopmentgoal__number")
    )
    for practice_id, number in sdgs:
        vocabulary[practice_id]["sdgs"].append(number)
    return vocabulary
