import itertools
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from travelsouth.spreadsheets import csv_lines, csv_text


class CSVRenderer(BaseRenderer):
    """``?format=csv`` or ``Accept: text/csv``: rows of flat values, a header line first.

    Lists stream every matching row (filters apply, pagination does not) through
    ``csv_streaming_response``; smaller documents (survey results) are rendered here from a list of
    flat dicts.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = list(data or [])
        header = (renderer_context or {}).get("csv_header") or (list(rows[0]) if rows else [])
        return csv_text([header, *([row.get(key, "") for key in header] for row in rows)])


def csv_streaming_response(
    *, header: list[str], rows: Iterable[Iterable], filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(itertools.chain([header], rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
