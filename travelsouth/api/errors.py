"""Every API error has the same JSON body, documented in the schema as ``Error``:

    {"error": {"status": 404, "code": "not_found", "detail": "No city with this id."}}

400 adds ``fields`` (each rejected query parameter with its reasons); 429 adds ``retry_after``.
"""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        return None
    error = {"status": response.status_code, "code": exc.default_code, "detail": _detail(exc)}
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        error["fields"] = {
            field: [str(m) for m in _as_list(messages)] for field, messages in exc.detail.items()
        }
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        error["retry_after"] = math.ceil(exc.wait)
    response.data = {"error": error}
    return response


def _as_list(messages) -> list:
    return messages if isinstance(messages, list) else [messages]


def _detail(exc: exceptions.APIException) -> str:
    if isinstance(exc.detail, dict):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in _as_list(messages))}"
            for field, messages in exc.detail.items()
        )
    if isinstance(exc.detail, list):
        return " ".join(str(message) for message in exc.detail)
    return str(exc.detail)


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text=_("The HTTP status code, repeated."))
    code = serializers.CharField(
        help_text=_(
            "A stable machine-readable code: invalid, parse_error, not_authenticated, "
            "authentication_failed, permission_denied, not_found, method_not_allowed, not_acceptable, "
            "throttled."
        )
    )
    detail = serializers.CharField(help_text=_("What went wrong, for people."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("400 only: each rejected query parameter and why."),
    )
    retry_after = serializers.IntegerField(
        required=False, help_text=_("429 only: seconds to wait before trying again.")
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
