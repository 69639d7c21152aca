"""Cities, countries, organisations, themes and good practices as the API shows them.

List serializers declare their fields for the schema and write rows by hand from ``values()``
dicts (cities/selectors.py): that is what keeps a 50-row page fast. Detail serializers are
ordinary declarative serializers over model instances.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from travelsouth.api.serializers import (
    LinkField,
    RefField,
    RefSerializer,
    number,
    ref,
    row_languages,
    translated_row,
    with_translations,
)
from travelsouth.i18n import localized
from webinars.parts import CityPart, PracticePart


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CountryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    iso_code = serializers.CharField()
    name = serializers.CharField()


def _country_ref(links, country) -> dict:
    return {
        "id": country.pk,
        "url": links.detail("country", country.pk),
        "iso_code": country.iso_code,
        "name": localized(country, "name"),
    }


SERIES_PART = serializers.ChoiceField(
    choices=[choice for choice, _label in CityPart.choices],
    help_text=_(
        "Its part in the series: 'presented' (someone spoke for it on an agenda), 'quoted' (one of its "
        "officials is quoted in the report), 'mentioned' (a quote names it), '' (none)."
    ),
)
WEBINAR_PART = serializers.ChoiceField(
    choices=[choice for choice, _label in PracticePart.choices],
    help_text=_(
        "How it comes from its webinar: 'presented' (by its speaker, on the agenda, for its owner), "
        "'quoted' (its speaker is quoted in the webinar's highlights), 'cited' (named by someone "
        "speaking for another), '' (no webinar)."
    ),
)


@with_translations("name")
class CityListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["city", "province", "national", "region"])
    country = CountryRefSerializer()
    region = CodeNameSerializer(help_text=_("The country's UN M49 region."))
    subregion = CodeNameSerializer(help_text=_("The country's UN M49 sub-region."))
    is_global_south = serializers.BooleanField(help_text=_("The country is a developing economy (UNCTAD)."))
    is_world_heritage_city = serializers.BooleanField()
    showcased_in_series = serializers.BooleanField(
        help_text=_("One of the cities and local authorities the series report lists as showcased.")
    )
    series_part = SERIES_PART
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    population = serializers.IntegerField(allow_null=True)

    def to_representation(self, row):
        links = self.context["links"]
        return {
            "id": row["id"],
            "url": links.detail("city", row["id"]),
            "slug": row["slug"],
            **translated_row(row, "name"),
            "kind": row["kind"],
            "country": {
                "id": row["country_id"],
                "url": links.detail("country", row["country_id"]),
                "iso_code": row["country__iso_code"],
                "name": localized(row, "country__name"),
            },
            "region": {"code": row["country__region__code"], "name": localized(row, "country__region__name")},
            "subregion": {
                "code": row["country__subregion__code"],
                "name": localized(row, "country__subregion__name"),
            },
            "is_global_south": row["country__is_global_south"],
            "is_world_heritage_city": row["is_world_heritage_city"],
            "showcased_in_series": row["showcased_in_series"],
            "series_part": row["series_part"],
            "latitude": number(row["latitude"]),
            "longitude": number(row["longitude"]),
            "population": row["population"],
            **row_languages(row, "name"),
        }


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class HeritageSiteSerializer(serializers.Serializer):
    name = serializers.CharField()
    is_world_heritage = serializers.BooleanField()
    inscribed_year = serializers.IntegerField(allow_null=True)


@with_translations("name", "description")
class CityDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("city", source="*")
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    subregion = serializers.SerializerMethodField()
    is_global_south = serializers.BooleanField(source="country.is_global_south")
    is_world_heritage_city = serializers.BooleanField()
    showcased_in_series = serializers.BooleanField()
    series_part = SERIES_PART
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    population = serializers.IntegerField(allow_null=True)
    parent = RefField("city", allow_null=True, help_text=_("The province or authority it belongs to."))
    represented_by = serializers.CharField()
    description = serializers.CharField()
    website = serializers.CharField()
    languages = LanguageSerializer(many=True)
    heritage_sites = HeritageSiteSerializer(many=True)
    good_practice_count = serializers.IntegerField(help_text=_("Published good practices."))
    good_practices_url = serializers.SerializerMethodField(
        help_text=_("Its good practices, as a filtered list.")
    )

    def get_country(self, city) -> CountryRefSerializer:
        return _country_ref(self.context["links"], city.country)

    def get_region(self, city) -> CodeNameSerializer:
        return {"code": city.country.region.code, "name": localized(city.country.region, "name")}

    def get_subregion(self, city) -> CodeNameSerializer:
        return {"code": city.country.subregion.code, "name": localized(city.country.subregion, "name")}

    def get_good_practices_url(self, city) -> str:
        return f"{self.context['links'].list('good-practice')}?city={city.pk}"


@with_translations("name")
class CountrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("country", source="*")
    iso_code = serializers.CharField()
    name = serializers.CharField()
    region = CodeNameSerializer()
    subregion = CodeNameSerializer()
    is_global_south = serializers.BooleanField()
    city_count = serializers.IntegerField(help_text=_("Approved cities and local authorities."))
    cities_url = serializers.SerializerMethodField()

    def get_cities_url(self, country) -> str:
        return f"{self.context['links'].list('city')}?country={country.iso_code}"


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("organisation", source="*")
    slug = serializers.SlugField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.SerializerMethodField()
    website = serializers.CharField()

    def get_country(self, organisation) -> CountryRefSerializer(allow_null=True):
        return (
            None
            if organisation.country_id is None
            else _country_ref(self.context["links"], organisation.country)
        )


@with_translations("name")
class ThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("theme", source="*")
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    good_practices_url = serializers.SerializerMethodField()

    def get_good_practices_url(self, theme) -> str:
        return f"{self.context['links'].list('good-practice')}?theme={theme.slug}"


class ThemeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    slug = serializers.SlugField()
    name = serializers.CharField()


@with_translations("title", "summary")
class GoodPracticeListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    city = RefSerializer(allow_null=True, help_text=_("The owner, when a city; else organisation."))
    organisation = RefSerializer(allow_null=True)
    country = serializers.CharField(allow_null=True, help_text=_("The owner's ISO 3166 code."))
    themes = ThemeRefSerializer(many=True)
    sdgs = serializers.ListField(child=serializers.IntegerField(), help_text=_("SDG numbers."))
    digital_tools = serializers.ListField(child=serializers.CharField())
    link = serializers.CharField()
    webinar = serializers.URLField(
        allow_null=True, help_text=_("The webinar it comes from (see webinar_part).")
    )
    webinar_part = WEBINAR_PART
    is_reconstructed = serializers.BooleanField(
        help_text=_("Reconstructed to reproduce the report's published figures.")
    )

    def to_representation(self, row):
        links = self.context["links"]
        return {
            "id": row["id"],
            "url": links.detail("good-practice", row["id"]),
            "slug": row["slug"],
            **translated_row(row, "title", "summary"),
            "year": row["year"],
            "city": ref(links, "city", row["city_id"], row["city__name"]),
            "organisation": ref(links, "organisation", row["organisation_id"], row["organisation__name"]),
            "country": row["country_iso_code"],
            "themes": [{**theme, "url": links.detail("theme", theme["id"])} for theme in row["themes"]],
            "sdgs": row["sdgs"],
            "digital_tools": row["digital_tools"],
            "link": row["link"],
            "webinar": links.detail("webinar", row["webinar_id"]),
            "webinar_part": row["webinar_part"],
            "is_reconstructed": row["is_reconstructed"],
            **row_languages(row, "title"),
        }


class SpeakerSerializer(serializers.Serializer):
    """A person as the public sees them: name, position and affiliation. Never contact details."""

    name = serializers.CharField(source="display_name")
    title = serializers.CharField()
    city = RefField("city", allow_null=True)
    organisation = RefField("organisation", name="str", allow_null=True)


@with_translations("title", "summary")
class GoodPracticeDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("good-practice", source="*")
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    city = RefField("city", allow_null=True)
    organisation = RefField("organisation", allow_null=True)
    country = serializers.SerializerMethodField(help_text=_("The owner's ISO 3166 code."))
    themes = serializers.SerializerMethodField()
    sdgs = serializers.SerializerMethodField(help_text=_("SDG numbers."))
    digital_tools = serializers.ListField(child=serializers.CharField())
    link = serializers.CharField()
    webinar = LinkField(
        "webinar", allow_null=True, help_text=_("The webinar it comes from (see webinar_part).")
    )
    webinar_part = WEBINAR_PART
    speaker = SpeakerSerializer(allow_null=True, help_text=_("Who presented, was quoted on or cited it."))
    source_quote = serializers.CharField(help_text=_("The report's words it rests on."))
    is_reconstructed = serializers.BooleanField()

    def get_country(self, practice) -> str | None:
        country = practice.city.country if practice.city_id else practice.organisation.country
        return country.iso_code if country else None

    def get_themes(self, practice) -> ThemeRefSerializer(many=True):
        links = self.context["links"]
        return [
            {"id": theme.pk, "url": links.detail("theme", theme.pk), "slug": theme.slug, "name": theme.name}
            for theme in sorted(practice.themes.all(), key=lambda theme: theme.name)
        ]

    def get_sdgs(self, practice) -> list[int]:
        return sorted(sdg.number for sdg in practice.sdgs.all())
