"""The OpenAPI schema: every operation lists the errors it can answer, all with the ``Error`` body."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema

from .errors import ErrorSerializer
from .permissions import StaffOnly

ERROR_DESCRIPTIONS = {
    "400": _("A query parameter was rejected: ``error.fields`` says which and why."),
    "401": _("The API token is missing (staff-only resources), malformed, unknown or revoked."),
    "403": _("Not for you: staff-only, or not published yet (``error.detail`` says which)."),
    "404": _("No such resource (or not visible to you)."),
    "406": _("None of the formats in the Accept header is offered."),
    "429": _("Rate limit reached: wait ``error.retry_after`` seconds (also in Retry-After)."),
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        ok = responses.get("200", {}).get("content", {})
        if "text/csv" in ok:
            ok["text/csv"] = {"schema": {"type": "string", "description": str(_("CSV with a header line."))}}
        error_ref = self.resolve_serializer(ErrorSerializer, "response").ref
        for code in self._error_codes():
            responses.setdefault(
                code,
                {
                    "description": str(ERROR_DESCRIPTIONS[code]),
                    "content": {"application/json": {"schema": error_ref}},
                },
            )
        return responses

    def _error_codes(self) -> list[str]:
        codes = ["400", "401"]
        staff_only = any(issubclass(permission, StaffOnly) for permission in self.view.permission_classes)
        if staff_only or getattr(self.view, "action", None) in getattr(self.view, "may_forbid", ()):
            codes.append("403")
        if "{" in self.path:
            codes.append("404")
        return [*codes, "406", "429"]
