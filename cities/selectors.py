"""Reads for cities, organisations, people and good practices, already filtered to what the reader may see."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    City,
    CityMembership,
    ContactConsentEvent,
    Country,
    GoodPractice,
    Language,
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
    current interest offers it.
    """
    cities = public_city_list()
    if search:
        cities = cities.filter(
            Q(name__icontains=search)
            | Q(name_es__icontains=search)
            | Q(name_zh__icontains=search)
            | Q(represented_by__icontains=search)
            | Q(country__name__icontains=search)
            | Q(country__name_es__icontains=search)
            | Q(country__name_zh__icontains=search)
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


def published_good_practices() -> QuerySet[GoodPractice]:
    """Published practices whose owner is public (a city awaiting review shows nothing)."""
    return (
        GoodPractice.objects.filter(status=GoodPractice.Status.PUBLISHED)
        .filter(Q(city__isnull=True) | Q(city__review_status=ReviewStatus.APPROVED))
        .select_related("city__country", "organisation", "webinar", "speaker")
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
            Q(title__icontains=search)
            | Q(title_es__icontains=search)
            | Q(title_zh__icontains=search)
            | Q(summary__icontains=search)
            | Q(summary_es__icontains=search)
            | Q(summary_zh__icontains=search)
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
    return practices.order_by("-year", "title", "id")


def good_practice_years() -> list[int]:
    """The years the library's practices span, newest first (the year filter's choices)."""
    return list(
        published_good_practices()
        .exclude(year__isnull=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
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
            Prefetch("people", queryset=Person.objects.order_by("full_name"), to_attr="contacts"),
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
