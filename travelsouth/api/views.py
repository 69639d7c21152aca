"""The base of every API resource, and the constant ``ping`` view the speed bench compares against."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .links import Links
from .pagination import ApiCursorPagination
from .renderers import CSVRenderer, csv_streaming_response

CSV_BATCH_SIZE = 2000


class ResourceViewSet(viewsets.GenericViewSet):
    """A read-only resource: ``list`` (filters, cursor pages, optionally CSV) and ``retrieve`` by id.

    Subclasses set ``list_serializer_class`` and ``detail_serializer_class``; ``get_queryset`` calls
    a selector. Lists are serialised from ``values()`` rows (see ``complete_rows``), which is what
    keeps a 50-row page close to the cost of a constant response (bench/api.py).
    """

    lookup_value_regex = "[0-9]{1,18}"
    pagination_class = ApiCursorPagination
    filter_backends = [DjangoFilterBackend]
    list_serializer_class: type[serializers.Serializer]
    detail_serializer_class: type[serializers.Serializer]
    ordering_choices: dict[str, tuple[str, ...]] = {"id": ("id",), "-id": ("-id",)}
    default_ordering = "id"
    # A list that can also be had as CSV names its columns; csv_row() gives one row's values.
    csv_header: list[str] | None = None
    csv_filename = "export.csv"

    def initial(self, request, *args, **kwargs):
        # An unsupported method is a 405 whatever the parameters: check it before content
        # negotiation and filters can refuse the request for another reason.
        if request.method.lower() not in self.action_map:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self):
        return self.list_serializer_class if self.action == "list" else self.detail_serializer_class

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "links": Links(self.request)}

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.csv_header and self.action == "list":
            renderers.append(CSVRenderer())
        return renderers

    def complete_rows(self, rows: list[dict]) -> list[dict]:
        """Add what a row needs from other tables (many-to-many), in a constant number of queries."""
        return rows

    def csv_row(self, row: dict) -> list:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            return self._csv(rows)
        page = self.complete_rows(self.paginate_queryset(rows))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON even when CSV was asked for.
        if (
            response.status_code >= 400
            and getattr(request, "accepted_renderer", None).__class__ is CSVRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    def _csv(self, rows):
        ordering = self.paginator.get_ordering(self.request, rows, self)
        return csv_streaming_response(
            header=self.csv_header, rows=self._csv_rows(rows.order_by(*ordering)), filename=self.csv_filename
        )

    def _csv_rows(self, rows) -> Iterator[list]:
        batch = []
        for row in rows.iterator(chunk_size=CSV_BATCH_SIZE):
            batch.append(row)
            if len(batch) == CSV_BATCH_SIZE:
                yield from map(self.csv_row, self.complete_rows(batch))
                batch = []
        yield from map(self.csv_row, self.complete_rows(batch))


class PingView(APIView):
    """A constant body through the same stack as every resource (auth, throttling, rendering).

    The speed bench's ceiling: what the framework costs before any query or serialisation.
    """

    @extend_schema(
        operation_id="ping",
        responses=inline_serializer("Ping", {"status": serializers.CharField()}),
        description=_('Always {"status": "ok"}: a liveness check for clients.'),
    )
    def get(self, request):
        return Response({"status": "ok"})
