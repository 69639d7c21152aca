from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from travelsouth.api.views import ResourceViewSet

from .. import selectors
from . import filters, serializers


@extend_schema_view(
    list=extend_schema(
        summary=_("Webinars"), description=_("With languages and views per platform and in total.")
    ),
    retrieve=extend_schema(summary=_("A webinar"), description=_("With its agenda and speakers.")),
)
class WebinarViewSet(ResourceViewSet):
    list_serializer_class = serializers.WebinarListSerializer
    detail_serializer_class = serializers.WebinarDetailSerializer
    filterset_class = filters.WebinarFilter
    ordering_choices = {
        "broadcast_on": ("broadcast_on", "id"),
        "-broadcast_on": ("-broadcast_on", "-id"),
        "id": ("id",),
        "-id": ("-id",),
    }
    default_ordering = "broadcast_on"

    def get_queryset(self):
        return selectors.api_webinar_list() if self.action == "list" else selectors.api_webinar_details()


@extend_schema_view(
    list=extend_schema(
        summary=_("The report's quotes"),
        description=_(
            "Every quote of the series report, verbatim, with its speakers and the roles printed with it."
        ),
    ),
    retrieve=extend_schema(summary=_("A quote of the report")),
)
class QuoteViewSet(ResourceViewSet):
    list_serializer_class = detail_serializer_class = serializers.QuoteSerializer
    filterset_class = filters.QuoteFilter

    def get_queryset(self):
        return selectors.api_quote_list()
