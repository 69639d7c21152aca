import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from travelsouth.api.filters import ApiFilterSet, BooleanFilter, IntegerFilter, search_filter
from travelsouth.api.permissions import staff_permission
from travelsouth.api.renderers import CSVRenderer
from travelsouth.api.views import ResourceViewSet
from travelsouth.i18n import translated_fields

from .. import selectors as survey_selectors
from ..models import Survey
from ..permissions import shows_who_answered
from . import selectors, serializers


class SurveyFilter(ApiFilterSet):
    webinar = IntegerFilter(field_name="webinar_id", help_text=_("The webinar's id."))
    results_published = BooleanFilter(field_name="results_published")
    q = search_filter(*translated_fields("title"), "description")

    class Meta:
        model = Survey
        fields = []


@extend_schema_view(
    list=extend_schema(summary=_("Surveys")),
    retrieve=extend_schema(summary=_("A survey"), description=_("With its questions and their options.")),
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
        # Only the surveys the caller may see: those with published results, all for staff.
        if self.action == "retrieve":
            return selectors.api_survey_details(user=self.request.user)
        return survey_selectors.survey_list(user=self.request.user)

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "results":
            renderers.append(CSVRenderer())
        return renderers

    def get_renderer_context(self):
        return {**super().get_renderer_context(), "csv_header": serializers.RESULTS_CSV_HEADER}

    @extend_schema(
        summary=_("A survey's results"),
        description=_(
            "The published summary: responses, distinct cities and countries, responses per "
            "country, and per question the count and percentage of each choice (percentages of "
            "respondents, as the report gives them). Free-text answers are never shown. Visible once "
            "the results are published; staff see them before. Also as CSV (one line per question "
            "and choice): ?format=csv."
        ),
        responses={
            (200, "application/json"): serializers.SurveyResultsSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
        },
    )
    @action(detail=True, filter_backends=[])
    def results(self, request, pk=None):
        # public=True: the published summary's level of detail for everyone, staff included (raw
        # answers are the responses endpoint's). Raises PermissionDenied (403) when not published.
        survey = self.get_object()
        results = survey_selectors.survey_results(survey=survey, user=request.user, public=True)
        if request.accepted_renderer.format == "csv":
            return Response(serializers.survey_results_csv_rows(results))
        context = {**self.get_serializer_context(), "survey": survey}
        return Response(serializers.SurveyResultsSerializer(results, context=context).data)

    @extend_schema(
        summary=_("A survey's raw responses (staff only)"),
        description=_(
            "Every response with its answers. For an anonymous survey the answers alone: response, "
            "time, language, city and respondent are null, and the responses are sorted by their "
            "answers, as in the CSV export."
        ),
        responses=serializers.SurveyResponseSerializer(many=True),
    )
    @action(
        detail=True,
        filter_backends=[],
        pagination_class=None,
        permission_classes=[staff_permission("surveys.view_response")],
    )
    def responses(self, request, pk=None):
        survey = self.get_object()
        responses = survey_selectors.answers_for_export(survey=survey, user=request.user)
        context = {**self.get_serializer_context(), "survey": survey}
        rows = serializers.SurveyResponseSerializer(responses, many=True, context=context).data
        if not shows_who_answered(survey):
            rows = sorted(rows, key=lambda row: json.dumps(row["answers"], sort_keys=True))
        return Response(rows)
