"""Reads for cities, organisations and good practices, already filtered to what a visitor may see."""

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from .models import City, Country, GoodPractice, Organisation, ReviewStatus, SustainableDevelopmentGoal, Theme


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
    "webinar_id",
    "city_id",
    "city__name",
    "city__country__iso_code",
    "organisation_id",
)


def api_good_practice_rows() -> QuerySet:
    """Published good practices as flat rows, joined only to their city and its country.

    Few practices belong to an organisation; ``good_practice_page_details`` adds those names.
    """
    return GoodPractice.objects.filter(status=GoodPractice.Status.PUBLISHED).values(*GOOD_PRACTICE_ROW_FIELDS)


def api_good_practice_details() -> QuerySet[GoodPractice]:
    return (
        published_good_practices()
        .select_related("city__country", "organisation__country", "speaker__organisation", "speaker__city")
        .prefetch_related("themes", "sdgs")
    )


def good_practice_page_details(rows: list[dict]) -> list[dict]:
    """Complete a page of ``api_good_practice_rows``: themes, SDGs and organisation owners.

    One raw query fetches the themes and SDGs of every practice on the page. This runs on every
    page of the API's busiest list, and the ORM's two equivalent queries cost more to build than
    to run (bench/api.py). A second query runs only when the page has organisation-owned practices.
    """
    for row in rows:
        row["themes"], row["sdgs"] = [], []
        row["organisation__name"] = row["country_iso_code"] = None
        if row["city_id"] is not None:
            row["country_iso_code"] = row["city__country__iso_code"]
    if not rows:
        return rows
    by_id = {row["id"]: row for row in rows}
    for practice_id, kind, number, slug, name in _vocabulary_of(list(by_id)):
        if kind == "theme":
            by_id[practice_id]["themes"].append({"id": number, "slug": slug, "name": name})
        else:
            by_id[practice_id]["sdgs"].append(number)
    for row in rows:
        row["themes"].sort(key=lambda theme: theme["name"])
        row["sdgs"].sort()
    organisation_ids = {row["organisation_id"] for row in rows if row["organisation_id"] is not None}
    if organisation_ids:
        organisations = {
            organisation_id: (name, iso_code)
            for organisation_id, name, iso_code in Organisation.objects.filter(
                pk__in=organisation_ids
            ).values_list("id", "name", "country__iso_code")
        }
        for row in rows:
            if row["organisation_id"] is not None:
                row["organisation__name"], row["country_iso_code"] = organisations[row["organisation_id"]]
    return rows


def _vocabulary_of(practice_ids: list[int]) -> list[tuple]:
    theme_link, sdg_link = (
        GoodPractice.themes.through._meta.db_table,
        GoodPractice.sdgs.through._meta.db_table,
    )
    theme_table, sdg_table = Theme._meta.db_table, SustainableDevelopmentGoal._meta.db_table
    placeholders = ", ".join(["%s"] * len(practice_ids))
    sql = f"""
        SELECT link.goodpractice_id, 'theme', theme.id, theme.slug, theme.name
        FROM {theme_link} link JOIN {theme_table} theme ON theme.id = link.theme_id
        WHERE link.goodpractice_id IN ({placeholders})
        UNION ALL
        SELECT link.goodpractice_id, 'sdg', sdg.number, '', ''
        FROM {sdg_link} link JOIN {sdg_table} sdg ON sdg.id = link.sustainabledevelopmentgoal_id
        WHERE link.goodpractice_id IN ({placeholders})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*practice_ids, *practice_ids])
        return cursor.fetchall()
