"""Requests refused before any view reads them: a form whose bytes are not UTF-8 text.

Django refuses a form that declares another charset (400), but decodes one that declares none
leniently, replacing the bytes it cannot read: a form posted as latin-1 reached the views with
mangled text (and some paths on to a 500). Such a form now gets a 400 saying why; nothing is saved.
"""

from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

FORM = "application/x-www-form-urlencoded"


def _form_is_readable(request: HttpRequest) -> bool:
    for pair in request.body.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


class RefuseUnreadableFormsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_form = request.method in {"POST", "PUT", "PATCH"} and request.content_type == FORM
        if is_form and not _form_is_readable(request):
            return HttpResponse(
                _(
                    "This form was not sent as UTF-8 text, so it cannot be read. Nothing was saved: "
                    "reload the page and send it again."
                ),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
