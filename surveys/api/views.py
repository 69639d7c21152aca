from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from travelsouth.api.filters import ApiFilterSet, BooleanFilter, IntegerFilter, search_filter
from travelsouth.api.permissions import StaffOnly
from travelsouth.api.renderers import CSVRenderer
from travelsouth.api.views import ResourceViewSet

from ..models import Survey
from . import selectors, serializers
from .permissions import can_view_survey_results


class SurveyFilter(ApiFilterSet):
    webinar = IntegerFilter(field_name="webinar_id", help_text=_("The webinar's id."))
    results_published = BooleanFilter(field_name="results_published")
    q = search_filter("title", "title_es", "title_zh", "description")

    class Meta:
        model = Survey
        fields = []


@extend_schema_view(
    list=extend_schema(summary="Surveys"),
    retrieve=extend_schema(summary="A survey", description="With its questions and their options."),
)
class SurveyViewSet(ResourceViewSet):
    may_forbid = {"results"}
    list_serializer_class = serializers.SurveyListSerializer
    detail_serializer_class = serializers.SurveyDetailSerializer
    filterset_class = SurveyFilter
    ordering_choices = {
        "opens_at": ("opens_at", "id"),
        "-opens_at": ("-opens_at", "-id"),
        "id": ("id",),
        "-id": ("-id",),
    }
    default_ordering = "-opens_at"

    def get_queryset(self):
        return selectors.api_survey_details() if self.action == "retrieve" else selectors.api_survey_list()

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "results":
            renderers.append(CSVRenderer())
        return renderers

    def get_renderer_context(self):
        return {**super().get_renderer_context(), "csv_header": serializers.RESULTS_CSV_HEADER}

    @extend_schema(
        summary="A survey's results",
        description=(
            "Aggregates only: responses, distinct cities, and per question the count and percentage of "
            "each choice. Public once the results are published; staff see them before. Also as CSV "
            "(one line per question and choice): ?format=csv."
        ),
        responses={
            (200, "application/json"): serializers.SurveyResultsSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
        },
    )
    @action(detail=True, filter_backends=[])
    def results(self, request, pk=None):
        survey = self.get_object()
        if not can_view_survey_results(request.user, survey):
            raise exceptions.PermissionDenied(_("The results of this survey are not published yet."))
        results = selectors.survey_results(survey=survey)
        if request.accepted_renderer.format == "csv":
            return Response(serializers.survey_results_csv_rows(results))
        return Response(
            serializers.SurveyResultsSerializer(results, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="A survey's raw responses (staff only)",
        responses=serializers.SurveyResponseSerializer(many=True),
    )
    @action(detail=True, filter_backends=[], pagination_class=None, permission_classes=[StaffOnly])
    def responses(self, request, pk=None):
        survey = self.get_object()
        responses = selectors.survey_responses(survey=survey)
        context = {**self.get_serializer_context(), "survey": survey}
        return Response(serializers.SurveyResponseSerializer(responses, many=True, context=context).data)
