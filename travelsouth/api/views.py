"""The base of every API resource, and the constant ``ping`` view the speed bench compares against."""

from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import pages
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
        # Before the filters: building their forms costs more than the stored page (a stored page
        # was a valid query, so nothing is skipped that could have refused it).
        stored = self._stored_page(request) if request.accepted_renderer.format != "csv" else None
        if stored is not None:
            return stored
        rows = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            return self._csv(rows)
        page = self.complete_rows(self.paginate_queryset(rows))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    # A list page (JSON) is kept per caller, address and data version (travelsouth/pages.py): the
    # next identical request gets the same bytes without a query, and any committed write to the
    # data makes it out of date. Its ETag (ConditionalGetMiddleware) then answers If-None-Match
    # with 304, and Last-Modified says when the data last changed.
    def _stored_page(self, request):
        request.api_page_key = None
        if not pages.page_cache_enabled() or any(name in request.GET for name in pages.FREE_TEXT_PARAMETERS):
            return None
        caller = request.user.pk if request.user and request.user.is_authenticated else "anon"
        # Texts are served in the language asked for (?lang=, the cookie, Accept-Language).
        key = f"api:{caller}:{request.accepted_media_type}:{translation.get_language()}:{request.get_full_path()}"
        version, stored = pages.stored_with_version(key)
        if version is None:
            return None
        request.api_page_key, request.api_page_version = key, version
        if stored is None:
            return None
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
        pages.set_last_modified(response, version)
        return response

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON even when CSV was asked for.
        if (
            response.status_code >= 400
            and getattr(request, "accepted_renderer", None).__class__ is CSVRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(request, "api_page_key", None)
        if key and response.status_code == 200 and isinstance(response, Response):
            response.render()
            cache.set(
                key,
                (request.api_page_version, (response.content, response["Content-Type"])),
                timeout=settings.PAGE_CACHE_SECONDS,
            )
            pages.set_last_modified(response, request.api_page_version)
        return response

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
