"""The project's addresses: the pages (under /, /es/, /zh-hans/), the admin, and the API at /api/v1/.

This module and celery.py are the only parts of travelsouth/ that import the apps (docs/architecture.md).
Every app's API resources are listed in its ``<app>/api/urls.py`` (``routes``); a new app with
resources is one import here.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from cities.api.urls import routes as city_routes
from partnerships.api.urls import routes as partnership_routes
from portal.views import home, language_choose, language_switch
from report.views import about_data
from surveys.api.urls import routes as survey_routes
from travelsouth.api.views import PingView
from travelsouth.views import healthz
from webinars.api.urls import routes as webinar_routes

admin.site.site_header = _("Travel South administration")
admin.site.site_title = _("Travel South")
admin.site.index_title = _("Brokering city-to-city partnerships")


class ApiRouter(DefaultRouter):
    include_format_suffixes = False


class NoSuchEndpoint(APIView):
    """Any other path under /api/v1/ answers a JSON 404, not the HTML page."""

    schema = None

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("No such API endpoint: see /api/v1/docs/."))

    get = post = put = patch = delete = head = options = http_method_not_allowed


_no_such_endpoint = NoSuchEndpoint.as_view()


@csrf_exempt
def no_such_endpoint(request, *args, **kwargs):
    # A plain function, not the APIView itself: the browsable API's breadcrumbs list every prefix of
    # the address that resolves to an APIView, and "/api/v1/cities" (no slash) resolves here.
    return _no_such_endpoint(request, *args, **kwargs)


router = ApiRouter()
for prefix, viewset, basename in [*city_routes, *webinar_routes, *survey_routes, *partnership_routes]:
    router.register(prefix, viewset, basename=basename)

api_urlpatterns = [
    path("ping/", PingView.as_view(), name="ping"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The documentation pages are the libraries' (Swagger UI, Redoc), which style themselves inline and
    # (Redoc) start a worker from a blob: those two pages only relax the policy for that. The Swagger
    # UI page loads its start-up script as a file; Redoc's is ours, with a nonce
    # (templates/drf_spectacular/redoc.html).
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    *router.urls,
    # [\s\S]: also a path with a line break in it (%0A), which "." would not match.
    re_path(r"^[\s\S]*\Z", no_such_endpoint, name="not-found"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Same address as Django's set_language, matched first: a signed-in user's language is remembered.
    path("i18n/setlang/", language_switch, name="set_language"),
    path("i18n/choose/<str:language>/", language_choose, name="language_choose"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urlpatterns, "api"), namespace="api")),
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("about-the-data/", about_data, name="about_data"),
    path("webinars/", include("webinars.urls")),
    path("cities/", include("cities.urls")),
    path("accounts/", include("allauth.urls")),
    path("good-practices/", include("cities.practice_urls")),
    path("officials/", include("cities.official_urls")),
    path("officials/", include("portal.personal_urls")),
    path("partnerships/", include("partnerships.urls")),
    path("surveys/", include("surveys.urls")),
    path("invitations/", include("partnerships.invitations.urls")),
    path("data/", include("report.urls")),
    prefix_default_language=False,
)
