"""Cursor pagination for every list: no COUNT(*), stable pages while rows are added, capped size.

A list view declares its orderings (``ordering_choices``: the ``?ordering=`` values and the columns
they sort by, each ending in a unique column) and ``default_ordering``. The first column is the
cursor's position; it must never be NULL.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class ApiCursorPagination(CursorPagination):
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("A whole number from 1 to %d.") % self.max_page_size]}
            )
        return int(value)

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_query_param, view.default_ordering)
        if value not in view.ordering_choices:
            raise exceptions.ValidationError(
                {self.ordering_query_param: [_("One of: %s.") % ", ".join(view.ordering_choices)]}
            )
        return view.ordering_choices[value]

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise self._invalid_cursor() from None

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, DjangoValidationError, DataError, UnicodeError):
            # A well-encoded cursor whose position does not fit the column (edited by hand).
            raise self._invalid_cursor() from None

    def _invalid_cursor(self):
        return exceptions.ValidationError(
            {self.cursor_query_param: [_("Invalid cursor: use the next or previous link as given.")]}
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("The page to return: taken from a response's next or previous link.")),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Rows per page (default %(default)d, at most %(max)d)."))
                % {"default": self.page_size, "max": self.max_page_size},
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.ordering_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Sort order; a leading '-' reverses it. Default: %s."))
                % view.default_ordering,
                "schema": {"type": "string", "enum": list(view.ordering_choices)},
            },
        ]

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }
