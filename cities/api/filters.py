from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from travelsouth.api.filters import (
    ISO_COUNTRY,
    LANGUAGE_CODE,
    M49_CODE,
    SLUG,
    ApiFilterSet,
    BooleanFilter,
    ChoiceFilter,
    CodeFilter,
    IntegerFilter,
    search_filter,
)
from travelsouth.i18n import translated_fields
from webinars.models import AgendaItem

from ..models import City, Country, GoodPractice, Organisation, Theme


def _in_region(prefix: str):
    def filter_region(queryset, name, value):
        return queryset.filter(
            Q(**{f"{prefix}region__code": value}) | Q(**{f"{prefix}subregion__code": value})
        )

    return filter_region


def _country(prefix: str):
    def filter_country(queryset, name, value):
        return queryset.filter(**{f"{prefix}iso_code__iexact": value})

    return filter_country


def _published_practices_of_city():
    return GoodPractice.objects.filter(city=OuterRef("pk"), status=GoodPractice.Status.PUBLISHED)


country_filter = CodeFilter(
    method=_country("country__"), pattern=ISO_COUNTRY, max_length=2, help_text=_("ISO 3166 code, e.g. MX.")
)
region_filter = CodeFilter(
    method=_in_region("country__"),
    pattern=M49_CODE,
    max_length=3,
    help_text=_("UN M49 region or sub-region code, e.g. 142 (Asia) or 030 (Eastern Asia)."),
)
global_south_filter = BooleanFilter(
    field_name="country__is_global_south", help_text=_("In a global South (developing) country.")
)
theme_filter_help = _("Theme slug, e.g. heritage-conservation (see /api/v1/themes/).")
sdg_help = _("Sustainable Development Goal number, 1 to 17.")


class CityFilter(ApiFilterSet):
    country = country_filter
    region = region_filter
    global_south = global_south_filter
    world_heritage = BooleanFilter(field_name="is_world_heritage_city", help_text=_("A World Heritage city."))
    showcased = BooleanFilter(
        field_name="showcased_in_series", help_text=_("Showcased in the Travel South Over Cloud series.")
    )
    kind = ChoiceFilter(choices=City.Kind.choices)
    language = CodeFilter(
        field_name="languages__code",
        method="filter_language",
        pattern=LANGUAGE_CODE,
        max_length=12,
        help_text=_("Working language code, e.g. es, zh, sgn."),
    )
    theme = CodeFilter(
        method="filter_theme",
        pattern=SLUG,
        max_length=60,
        help_text=_("Has a published good practice with this theme slug."),
    )
    sdg = IntegerFilter(
        method="filter_sdg", minimum=1, maximum=17, help_text=_("Has a published good practice for this SDG.")
    )
    webinar = IntegerFilter(method="filter_webinar", help_text=_("Took part in the webinar with this id."))
    q = search_filter(*translated_fields("name"), "represented_by", "country__name")

    class Meta:
        model = City
        fields = []

    def filter_language(self, queryset, name, value):
        return queryset.filter(
            Exists(City.languages.through.objects.filter(city=OuterRef("pk"), language__code__iexact=value))
        )

    def filter_theme(self, queryset, name, value):
        return queryset.filter(Exists(_published_practices_of_city().filter(themes__slug=value)))

    def filter_sdg(self, queryset, name, value):
        return queryset.filter(Exists(_published_practices_of_city().filter(sdgs__number=value)))

    def filter_webinar(self, queryset, name, value):
        presented = Exists(AgendaItem.objects.filter(webinar_id=value, city=OuterRef("pk")))
        practice_shown = Exists(_published_practices_of_city().filter(webinar_id=value))
        return queryset.filter(presented | practice_shown)


class CountryFilter(ApiFilterSet):
    region = CodeFilter(
        method=_in_region(""),
        pattern=M49_CODE,
        max_length=3,
        help_text=_("UN M49 region or sub-region code, e.g. 419."),
    )
    global_south = BooleanFilter(
        field_name="is_global_south", help_text=_("A global South (developing) country.")
    )
    q = search_filter(*translated_fields("name"), "iso_code")

    class Meta:
        model = Country
        fields = []


class OrganisationFilter(ApiFilterSet):
    kind = ChoiceFilter(choices=Organisation.Kind.choices)
    country = CodeFilter(
        method=_country("country__"), pattern=ISO_COUNTRY, max_length=2, help_text=_("ISO 3166 code.")
    )
    q = search_filter("name", "acronym")

    class Meta:
        model = Organisation
        fields = []


class ThemeFilter(ApiFilterSet):
    q = search_filter(*translated_fields("name"), "slug", "description")

    class Meta:
        model = Theme
        fields = []


class GoodPracticeFilter(ApiFilterSet):
    city = IntegerFilter(field_name="city_id", help_text=_("City id."))
    organisation = IntegerFilter(field_name="organisation_id", help_text=_("Organisation id."))
    country = CodeFilter(
        method="filter_country", pattern=ISO_COUNTRY, max_length=2, help_text=_("The owner's ISO 3166 code.")
    )
    region = CodeFilter(
        method="filter_region",
        pattern=M49_CODE,
        max_length=3,
        help_text=_("The owner's UN M49 (sub-)region code."),
    )
    global_south = BooleanFilter(
        method="filter_global_south",
        help_text=_("Owned by a city or organisation in a global South country."),
    )
    world_heritage = BooleanFilter(
        field_name="city__is_world_heritage_city", help_text=_("Of a World Heritage city.")
    )
    theme = CodeFilter(method="filter_theme", pattern=SLUG, max_length=60, help_text=theme_filter_help)
    sdg = IntegerFilter(method="filter_sdg", minimum=1, maximum=17, help_text=sdg_help)
    webinar = IntegerFilter(
        field_name="webinar_id",
        help_text=_("From the webinar with this id, presented, quoted or cited (webinar_part)."),
    )
    year = IntegerFilter(field_name="year", minimum=1900, maximum=2100)
    q = search_filter(*translated_fields("title"), "summary", "city__name", "organisation__name")

    class Meta:
        model = GoodPractice
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(
            Q(city__country__iso_code__iexact=value) | Q(organisation__country__iso_code__iexact=value)
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            Q(city__country__region__code=value)
            | Q(city__country__subregion__code=value)
            | Q(organisation__country__region__code=value)
            | Q(organisation__country__subregion__code=value)
        )

    def filter_global_south(self, queryset, name, value):
        return queryset.filter(
            Q(city__country__is_global_south=value) | Q(organisation__country__is_global_south=value)
        )

    def filter_theme(self, queryset, name, value):
        return queryset.filter(
            Exists(
                GoodPractice.themes.through.objects.filter(goodpractice_id=OuterRef("pk"), theme__slug=value)
            )
        )

    def filter_sdg(self, queryset, name, value):
        return queryset.filter(
            Exists(
                GoodPractice.sdgs.through.objects.filter(
                    goodpractice_id=OuterRef("pk"), sustainabledevelopmentgoal__number=value
                )
            )
        )
