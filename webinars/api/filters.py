from django.utils.translation import gettext_lazy as _

from travelsouth.api.filters import (
    LANGUAGE_CODE,
    SLUG,
    ApiFilterSet,
    CodeFilter,
    IntegerFilter,
    search_filter,
)

from ..models import Webinar


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
    q = search_filter("title", "title_es", "title_zh", "summary")

    class Meta:
        model = Webinar
        fields = []

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__code__iexact=value).distinct()
