from django.utils.translation import gettext_lazy as _

from travelsouth.api.filters import (
    LANGUAGE_CODE,
    SLUG,
    ApiFilterSet,
    ChoiceFilter,
    CodeFilter,
    IntegerFilter,
    search_filter,
)
from travelsouth.i18n import translated_fields

from ..models import Quote, Webinar


class WebinarFilter(ApiFilterSet):
    series = CodeFilter(field_name="series__slug", pattern=SLUG, max_length=80, help_text=_("Series slug."))
    language = CodeFilter(
        method="filter_language",
        pattern=LANGUAGE_CODE,
        max_length=12,
        help_text=_("Language code, e.g. zh, sgn."),
    )
    year = IntegerFilter(
        field_name="broadcast_on__year", minimum=1900, maximum=2100, help_text=_("Broadcast year.")
    )
    q = search_filter(*translated_fields("title"), "summary")

    class Meta:
        model = Webinar
        fields = []

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__code__iexact=value).distinct()


class QuoteFilter(ApiFilterSet):
    webinar = IntegerFilter(field_name="webinar_id", help_text=_("Webinar id."))
    series = CodeFilter(
        field_name="webinar__series__slug", pattern=SLUG, max_length=80, help_text=_("Series slug.")
    )
    section = ChoiceFilter(choices=Quote.Section.choices, help_text=_("Section of the report."))
    city = IntegerFilter(field_name="city_id", help_text=_("Id of the city or local authority spoken for."))
    mentions = IntegerFilter(
        method="filter_mentions", help_text=_("Id of a city or local authority the quote names.")
    )
    speaker = IntegerFilter(
        method="filter_speaker", help_text=_("Id of a person the quote is attributed to.")
    )
    q = search_filter("text")

    class Meta:
        model = Quote
        fields = []

    def filter_mentions(self, queryset, name, value):
        return queryset.filter(
            pk__in=Quote.cities_mentioned.through.objects.filter(city_id=value).values("quote")
        )

    def filter_speaker(self, queryset, name, value):
        return queryset.filter(pk__in=Quote.speakers.through.objects.filter(person_id=value).values("quote"))
