"""Reads for cities, organisations, people and good practices, already filtered to what the reader may see."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from travelsouth.collation import display_order
from travelsouth.i18n import contains_text, translated_fields
from travelsouth.pages import versioned
from webinars.parts import city_part, practice_part

from .models import (
    City,
    CityMembership,
    ContactConsentEvent,
    Country,
    GoodPractice,
    Language,
    Organisation,
    Person,
    Region,
    ReviewStatus,
    SustainableDevelopmentGoal,
    Theme,
)

if TYPE_CHECKING:
    from webinars.models import Webinar

# --- Public reads ----------------------------------------------------------------------------------


def public_city_list() -> QuerySet[City]:
    """Approved cities and local authorities, with what a list shows about them: their published good
    practices and their part in the series (``series_part``: webinars.parts.CityPart)."""
    return (
        City.objects.filter(review_status=ReviewStatus.APPROVED)
        .select_related("country__region")
        .annotate(
            good_practice_count=Count(
                "good_practices",
                filter=Q(good_practices__status=GoodPractice.Status.PUBLISHED),
                distinct=True,
            ),
            series_part=city_part(),
        )
        .order_by(display_order("name"), "id")  # by the name in the visitor's language
    )


def _in_region(region: Region, prefix: str = "") -> Q:
    return Q(**{f"{prefix}country__region": region}) | Q(**{f"{prefix}country__subregion": region})


def city_directory(
    *,
    search: str = "",
    country: Country | None = None,
    region: Region | None = None,
    theme: Theme | None = None,
    world_heritage: bool | None = None,
    language: Language | None = None,
) -> QuerySet[City]:
    """The public city directory, narrowed by the visitor's filters.

    A city matches a theme when one of its published good practices has it, or when its published
    current interest offers it. The queryset is lean (no annotation, no join), so that counting and
    paging it stays cheap at any depth: ``city_directory_page`` reads the details of a page's cities.
    """
    # By the name the visitor reads, in their language's order (travelsouth/collation.py).
    cities = City.objects.filter(review_status=ReviewStatus.APPROVED).order_by(display_order("name"), "id")
    if search:
        cities = cities.filter(
            contains_text(search, "name", "country__name") | Q(represented_by__icontains=search)
        )
    if country is not None:
        cities = cities.filter(country=country)
    if region is not None:
        cities = cities.filter(_in_region(region))
    if theme is not None:
        with_practice = GoodPractice.objects.filter(
            status=GoodPractice.Status.PUBLISHED, themes=theme, city__isnull=False
        ).values("city")
        offering = City.objects.filter(
            interests__is_current=True, interests__is_published=True, interests__themes_offered=theme
        ).values("pk")
        cities = cities.filter(Q(pk__in=with_practice) | Q(pk__in=offering))
    if world_heritage is not None:
        cities = cities.filter(is_world_heritage_city=world_heritage)
    if language is not None:
        cities = cities.filter(pk__in=City.objects.filter(languages=language).values("pk"))
    return cities


def city_directory_page(*, city_ids: list[int]) -> list[City]:
    """The cities of one page of ``city_directory``, in its order, with what the directory shows about
    each: country and region, published good practices (``good_practice_count``) and series part."""
    published = (
        GoodPractice.objects.filter(city=OuterRef("pk"), status=GoodPractice.Status.PUBLISHED)
        .order_by()
        .values("city")
        .annotate(count=Count("pk"))
        .values("count")
    )
    cities = (
        City.objects.filter(pk__in=city_ids)
        .select_related("country__region")
        .annotate(good_practice_count=Coalesce(Subquery(published), 0), series_part=city_part())
        .in_bulk()
    )
    return [cities[city_id] for city_id in city_ids if city_id in cities]


def city_directory_map(*, cities: QuerySet[City], limit: int) -> list[City] | None:
    """The directory's cities for its map (country selected), or None when there are more than
    ``limit``: a map of thousands of points helps no one and weighs megabytes."""
    mapped = list(cities.select_related("country")[: limit + 1])
    return None if len(mapped) > limit else mapped


def _public_good_practices() -> QuerySet[GoodPractice]:
    """Published practices whose owner is public (a city awaiting review shows nothing)."""
    return GoodPractice.objects.filter(status=GoodPractice.Status.PUBLISHED).filter(
        Q(city__isnull=True) | Q(city__review_status=ReviewStatus.APPROVED)
    )


def published_good_practices() -> QuerySet[GoodPractice]:
    """Published practices whose owner is public (a city awaiting review shows nothing), with their part
    in their webinar (``webinar_part``: webinars.parts.PracticePart)."""
    return (
        _public_good_practices()
        .select_related("city__country", "organisation", "webinar", "speaker")
        .annotate(webinar_part=practice_part())
        .prefetch_related("themes")
    )


def good_practice_library(
    *,
    search: str = "",
    theme: Theme | None = None,
    sdg: SustainableDevelopmentGoal | None = None,
    country: Country | None = None,
    region: Region | None = None,
    webinar: "Webinar | None" = None,
    year: int | None = None,
) -> QuerySet[GoodPractice]:
    """The public library of good practices, narrowed by the visitor's filters, newest first."""
    practices = published_good_practices().prefetch_related("sdgs")
    if search:
        practices = practices.filter(
            contains_text(search, "title", "summary")
            | Q(city__name__icontains=search)
            | Q(organisation__name__icontains=search)
        )
    if theme is not None:
        practices = practices.filter(pk__in=GoodPractice.objects.filter(themes=theme).values("pk"))
    if sdg is not None:
        practices = practices.filter(pk__in=GoodPractice.objects.filter(sdgs=sdg).values("pk"))
    if country is not None:
        practices = practices.filter(city__country=country)
    if region is not None:
        practices = practices.filter(_in_region(region, prefix="city__"))
    if webinar is not None:
        practices = practices.filter(webinar=webinar)
    if year is not None:
        practices = practices.filter(year=year)
    return practices.order_by("-year", display_order("title"), "id")


def good_practice_library_page(*, practice_ids: list[int]) -> list[GoodPractice]:
    """The practices of one page of ``good_practice_library``, in its order, with their details."""
    practices = published_good_practices().prefetch_related("sdgs").in_bulk(practice_ids)
    return [practices[practice_id] for practice_id in practice_ids if practice_id in practices]


def good_practice_years() -> list[int]:
    """The years the library's practices span, newest first (the year filter's choices). A DISTINCT
    over every practice: kept until the data changes, not run on every page."""
    return versioned(
        "good-practice-years",
        lambda: list(
            _public_good_practices()
            .exclude(year__isnull=True)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        ),
    )


def public_good_practice_detail(*, slug: str) -> GoodPractice:
    return published_good_practices().prefetch_related("sdgs").get(slug=slug)


def public_city_detail(*, slug: str) -> City:
    """An approved city with its languages, heritage sites, published good practices and contacts."""
    return (
        public_city_list()
        .select_related("parent")
        .prefetch_related(
            "languages",
            "heritage_sites",
            Prefetch("good_practices", queryset=published_good_practices().order_by("-year", "title")),
            # Placeholder people (reconstructed to reproduce the report's survey figures) are never public.
            Prefetch(
                "people",
                queryset=Person.objects.filter(is_reconstructed=False).order_by("full_name"),
                to_attr="contacts",
            ),
        )
        .get(slug=slug)
    )


# --- Reads for officials and would-be officials ------------------------------------------------------


def person_of(*, user: AbstractBaseUser) -> Person | None:
    """The person record of a signed-up user, if they have one yet."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("city").first()


def consent_history(*, person: Person) -> QuerySet[ContactConsentEvent]:
    return ContactConsentEvent.objects.filter(person=person).order_by("-at", "-id")


def memberships_of(*, user: AbstractBaseUser) -> QuerySet[CityMembership]:
    """All of a user's requests and memberships, open ones first, newest first."""
    return (
        CityMembership.objects.filter(user=user)
        .select_related("city__country")
        .order_by("-created_at", "-id")
    )


def cities_open_for_requests() -> QuerySet[City]:
    """The cities a user may ask to represent: every approved one."""
    return City.objects.filter(review_status=ReviewStatus.APPROVED).select_related("country").order_by("name")


def city_for_officials(*, slug: str) -> City:
    """A city as its officials see it, whatever its review status (permissions are checked by the door)."""
    return (
        City.objects.select_related("country__region")
        .prefetch_related("languages", "heritage_sites")
        .get(slug=slug)
    )


def city_good_practices_for_officials(*, city: City) -> QuerySet[GoodPractice]:
    """Every practice of the city, withdrawn ones included, for its officials' page."""
    return (
        GoodPractice.objects.filter(city=city)
        .select_related("webinar")
        .prefetch_related("themes", "sdgs")
        .order_by("status", "-year", "title")
    )


def city_contacts(*, city: City) -> QuerySet[Person]:
    return Person.objects.filter(city=city).order_by("full_name", "id")


def city_officials(*, city: City) -> QuerySet[CityMembership]:
    return (
        CityMembership.objects.filter(city=city, status=CityMembership.Status.APPROVED)
        .select_related("user__person")
        .order_by("created_at")
    )


# --- Read API (cities/api/): flat rows for lists and CSV, full rows for detail --------------------
# Lists are read with values(): one query, no model instances, no per-row work (bench/api.py).

CITY_ROW_FIELDS = (
    "id",
    "slug",
    *translated_fields("name"),
    "kind",
    "country_id",
    "country__iso_code",
    *translated_fields("country__name"),
    "country__is_global_south",
    "country__region__code",
    *translated_fields("country__region__name"),
    "country__subregion__code",
    *translated_fields("country__subregion__name"),
    "latitude",
    "longitude",
    "population",
    "is_world_heritage_city",
    "showcased_in_series",
    "series_part",
)


def api_city_rows() -> QuerySet:
    """Approved cities and local authorities as flat rows, with their part in the series."""
    return (
        City.objects.filter(review_status=ReviewStatus.APPROVED)
        .annotate(series_part=city_part())
        .values(*CITY_ROW_FIELDS)
    )


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
    *translated_fields("title"),
    *translated_fields("summary"),
    "original_language",
    "year",
    "digital_tools",
    "link",
    "is_reconstructed",
    "webinar_id",
    "webinar_part",
    "city_id",
    "city__name",
    "city__country__iso_code",
    "organisation_id",
)


def api_good_practice_rows() -> QuerySet:
    """Published good practices as flat rows, joined only to their city and its country.

    Few practices belong to an organisation; ``good_practice_page_details`` adds those names.
    """
    return _public_good_practices().annotate(webinar_part=practice_part()).values(*GOOD_PRACTICE_ROW_FIELDS)


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


def theme_in_use(*, theme: Theme) -> bool:
    """Whether anything refers to ``theme`` (good practices, priorities, interests, proposals,
    partnerships, activities): every many-to-many relation to it, found from the model, so a new one
    counts too."""
    return any(
        getattr(theme, relation.get_accessor_name()).exists()
        for relation in Theme._meta.related_objects
        if relation.many_to_many
    )
