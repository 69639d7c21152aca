"""Response headers that protect the people who use the portal (docs/security.md).

Kept apart from any caching middleware: the page cache is for anonymous visitors, and this module
only ever makes a response less cacheable.

- ``Cache-Control: private, no-store`` on every response to a signed-in user: a page with their
  data is never kept by a shared cache or the browser's back/forward history on a shared computer.
- ``Permissions-Policy``: the portal uses no camera, microphone, location or payment, so no page
  (nor anything embedded in one) may ask for them.

The Content-Security-Policy comes from django-csp (``CONTENT_SECURITY_POLICY`` in settings).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
)


def _is_signed_in(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in: an anonymous request costs no session lookup.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _is_signed_in(request):
            response["Cache-Control"] = "private, no-store"
        return response
