from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from travelsouth.api.views import ResourceViewSet
from travelsouth.i18n import translated_fields

from .. import selectors
from . import filters, serializers

NAME_ORDERINGS = {"name": ("name", "id"), "-name": ("-name", "-id"), "id": ("id",), "-id": ("-id",)}


@extend_schema_view(
    list=extend_schema(summary=_("Cities and local authorities"), description=_("Also as CSV: ?format=csv.")),
    retrieve=extend_schema(summary=_("A city or local authority")),
)
class CityViewSet(ResourceViewSet):
    list_serializer_class = serializers.CityListSerializer
    detail_serializer_class = serializers.CityDetailSerializer
    filterset_class = filters.CityFilter
    ordering_choices = NAME_ORDERINGS
    default_ordering = "name"
    csv_filename = "cities.csv"
    csv_header = [
        "id", "slug", *translated_fields("name"), "kind", "country", "region", "subregion",
        "is_global_south", "is_world_heritage_city", "showcased_in_series", "latitude", "longitude",
        "population", "series_part",
    ]  # fmt: skip

    def get_queryset(self):
        return selectors.api_city_rows() if self.action == "list" else selectors.api_city_details()

    def csv_row(self, row):
        return [
            row["id"], row["slug"], *(row[name] for name in translated_fields("name")), row["kind"],
            row["country__iso_code"], row["country__region__name"], row["country__subregion__name"],
            row["country__is_global_south"], row["is_world_heritage_city"], row["showcased_in_series"],
            row["latitude"], row["longitude"], row["population"], row["series_part"],
        ]  # fmt: skip


@extend_schema_view(
    list=extend_schema(summary=_("Countries")), retrieve=extend_schema(summary=_("A country"))
)
class CountryViewSet(ResourceViewSet):
    list_serializer_class = detail_serializer_class = serializers.CountrySerializer
    filterset_class = filters.CountryFilter
    ordering_choices = {**NAME_ORDERINGS, "iso_code": ("iso_code",), "-iso_code": ("-iso_code",)}
    default_ordering = "name"

    def get_queryset(self):
        return selectors.api_country_list()


@extend_schema_view(
    list=extend_schema(summary=_("Organisations")), retrieve=extend_schema(summary=_("An organisation"))
)
class OrganisationViewSet(ResourceViewSet):
    list_serializer_class = detail_serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    ordering_choices = NAME_ORDERINGS
    default_ordering = "name"

    def get_queryset(self):
        return selectors.api_organisation_list()


@extend_schema_view(list=extend_schema(summary=_("Themes")), retrieve=extend_schema(summary=_("A theme")))
class ThemeViewSet(ResourceViewSet):
    list_serializer_class = detail_serializer_class = serializers.ThemeSerializer
    filterset_class = filters.ThemeFilter
    ordering_choices = NAME_ORDERINGS
    default_ordering = "name"

    def get_queryset(self):
        return selectors.api_theme_list()


@extend_schema_view(
    list=extend_schema(summary=_("Good practices"), description=_("Also as CSV: ?format=csv.")),
    retrieve=extend_schema(summary=_("A good practice")),
)
class GoodPracticeViewSet(ResourceViewSet):
    list_serializer_class = serializers.GoodPracticeListSerializer
    detail_serializer_class = serializers.GoodPracticeDetailSerializer
    filterset_class = filters.GoodPracticeFilter
    # Newest first by default: the primary key's index serves it, whatever the filters.
    ordering_choices = {
        "-id": ("-id",),
        "id": ("id",),
        "title": ("title", "id"),
        "-title": ("-title", "-id"),
    }
    default_ordering = "-id"
    csv_filename = "good-practices.csv"
    csv_header = [
        "id", "slug", "title", "summary", "year", "city", "organisation", "country", "themes", "sdgs",
        "digital_tools", "link", "webinar", "webinar_part", "is_reconstructed",
    ]  # fmt: skip

    def get_queryset(self):
        return (
            selectors.api_good_practice_rows()
            if self.action == "list"
            else selectors.api_good_practice_details()
        )

    def complete_rows(self, rows):
        return selectors.good_practice_page_details(rows)

    def csv_row(self, row):
        return [
            row["id"], row["slug"], row["title"], row["summary"], row["year"], row["city__name"],
            row["organisation__name"], row["country_iso_code"],
            "; ".join(theme["slug"] for theme in row["themes"]),
            "; ".join(str(number) for number in row["sdgs"]),
            "; ".join(row["digital_tools"]), row["link"], row["webinar_id"], row["webinar_part"], row["is_reconstructed"],
        ]  # fmt: skip
